/**
 * Attendance and discipline on the real stack, through the gateway, with nothing but Kafka between
 * the services: 90 truant hours recorded in assessment → an imposed-withdrawal case in status-change
 * (AS-8 → SC-17), and so do two weeks away without leave; an expulsion filed by the authority → status
 * EXPELLED → subsidy eligibility ended with the reason (AS-11 → SB-3); an appeal annulling it restores
 * the status and eligibility (AS-14). Under jilin, whose 001 §36–37 has no exception for minors (AS-11):
 * the demo students are 15–17.
 */
import { graphql, tokenFor, waitFor } from '@xueji/testkit';
import { school, seedSchools } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';
import { formalStudent } from '../support/students';

const RECORD_TRUANCY = `mutation ($input: TruancyInput!) {
  recordTruancy(input: $input) { truantHours limitReached } }`;
const DECIDE = `mutation ($input: SanctionInput!) { decideSanction(input: $input) { id state authorityStep } }`;
const APPROVE = `mutation ($id: ID!) { approveExpulsion(id: $id, comment: "已备案") { id state effectiveOn } }`;

const STUDENT_VIEW = /* GraphQL */ `
  query ($id: ID!) {
    student(id: $id) {
      status {
        code
      }
      changeRequests {
        kind
        state
        imposed
        details
      }
      attendance(semester: "2026-2027-1") {
        truantHours
      }
      sanctions {
        edges {
          node {
            kind
            state
          }
        }
      }
      subsidyEligibility {
        grant {
          eligible
          reasons {
            rule
            met
            messageEn
          }
        }
      }
    }
  }
`;

interface StudentView {
  student: {
    status: { code: string } | null;
    changeRequests: { kind: string; state: string; imposed: boolean; details: string }[];
    attendance: { truantHours: number } | null;
    sanctions: { edges: { node: { kind: string; state: string } }[] } | null;
    subsidyEligibility: { grant: { eligible: boolean; reasons: { rule: string; met: boolean; messageEn: string }[] } };
  } | null;
}

describe('assessment on the real stack: truancy and expulsion reach status-change and subsidy', () => {
  let stack: Stack;
  let A: string;
  const registrar = () => tokenFor({ subject: 'registrar-as', role: 'SCHOOL_REGISTRAR', schoolId: A });
  const reviewer = tokenFor({ subject: 'reviewer-as', role: 'AUTHORITY_REVIEWER', regionCode: '220102' });
  const view = (id: string) => graphql<StudentView>(stack.gatewayUrl, STUDENT_VIEW, { id }, reviewer);

  beforeAll(async () => {
    stack = await startStack({ profile: 'jilin', today: '2026-09-15' });
    [A] = (await seedSchools(stack.services.enrolment, [
      school('AS-A01', '220102', { name: '南关区职业教育中心' }),
    ])) as [string];
    await waitFor(
      async () =>
        (
          (await stack.services['status-change'].dataSource.query(
            'SELECT count(*)::int AS n FROM school_directory',
          )) as { n: number }[]
        )[0]!.n === 1,
      { what: 'status-change to learn the school' },
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const formal = (n: number) =>
    formalStudent(stack, { schoolId: A, regionCode: '220102', registrar: registrar(), reviewer }, n);

  /** Assessment learns of the student from enrolment's event: retry a write until it knows the student. */
  async function onceKnown<T>(
    write: () => Promise<{ errors?: { extensions?: Record<string, unknown> }[]; data?: T | null }>,
  ) {
    return waitFor(
      async () => {
        const r = await write();
        if (r.errors?.[0]?.extensions?.code === 'NOT_FOUND') return null;
        expect(r.errors).toBeUndefined();
        return r.data!;
      },
      { what: 'assessment to learn of the student' },
    );
  }

  it('AS-8 → SC-17: 90 truant hours in a semester open an imposed-withdrawal case in status-change', async () => {
    const id = await formal(401);
    stack.setToday('2026-10-20');
    await onceKnown(() =>
      graphql(stack.gatewayUrl, RECORD_TRUANCY, { input: { studentId: id, hours: 60, on: '2026-10-12' } }, registrar()),
    );
    const crossed = await graphql<{ recordTruancy: { truantHours: number; limitReached: boolean } }>(
      stack.gatewayUrl,
      RECORD_TRUANCY,
      { input: { studentId: id, hours: 30, on: '2026-10-19', reason: '考勤记录' } },
      registrar(),
    );
    expect(crossed.data?.recordTruancy).toEqual({ truantHours: 90, limitReached: true });

    const student = await waitFor(
      async () => {
        const s = (await view(id)).data?.student;
        return s?.changeRequests.some((r) => r.imposed) ? s : null;
      },
      { what: 'status-change to open the imposed-withdrawal case', timeoutMs: 15_000 },
    );
    expect(student.attendance).toEqual({ truantHours: 90 });
    expect(student.changeRequests).toEqual([
      expect.objectContaining({ kind: 'WITHDRAWAL', state: 'PENDING', imposed: true }),
    ]);
    expect(JSON.parse(student.changeRequests[0]!.details)).toMatchObject({ ground: 'TRUANCY' });
  });

  it('SC-17: two weeks away without leave open an imposed-withdrawal case in status-change', async () => {
    const id = await formal(404);
    stack.setToday('2026-10-20');
    const run = await onceKnown<{ recordAbsence: { absentDays: number; limitReached: boolean } }>(() =>
      graphql(
        stack.gatewayUrl,
        `
          mutation ($input: AbsenceInput!) {
            recordAbsence(input: $input) {
              absentDays
              limitReached
            }
          }
        `,
        { input: { studentId: id, from: '2026-10-05', to: '2026-10-18', reason: '擅自离校' } },
        registrar(),
      ),
    );
    expect(run.recordAbsence).toEqual({ absentDays: 14, limitReached: true });
    const student = await waitFor(
      async () => {
        const s = (await view(id)).data?.student;
        return s?.changeRequests.some((r) => r.imposed) ? s : null;
      },
      { what: 'status-change to open the imposed-withdrawal case', timeoutMs: 15_000 },
    );
    expect(JSON.parse(student.changeRequests[0]!.details)).toMatchObject({ ground: 'ABSENT_WITHOUT_LEAVE' });
  });

  it('AS-11 → SB-3: an expulsion filed by the authority makes the student EXPELLED and ends eligibility, with the reason', async () => {
    const id = await formal(402);
    await waitFor(async () => ((await view(id)).data?.student?.subsidyEligibility.grant.eligible ? true : null), {
      what: 'subsidy to decide the formal student eligible',
    });
    stack.setToday('2026-10-21');
    const decided = await onceKnown<{ decideSanction: { id: string; state: string; authorityStep: string } }>(() =>
      graphql(
        stack.gatewayUrl,
        DECIDE,
        {
          input: {
            studentId: id,
            kind: 'EXPULSION',
            decidingBody: 'PRINCIPAL_OFFICE_MEETING',
            decidedOn: '2026-10-20',
            reason: '严重违纪',
            decisionRef: '校办会议纪要-2026-15',
          },
        },
        registrar(),
      ),
    );
    expect(decided.decideSanction).toMatchObject({ state: 'PENDING_AUTHORITY', authorityStep: 'FILING' });
    const approved = await graphql<{ approveExpulsion: { state: string; effectiveOn: string } }>(
      stack.gatewayUrl,
      APPROVE,
      { id: decided.decideSanction.id },
      reviewer,
    );
    expect(approved.data?.approveExpulsion).toMatchObject({ state: 'EFFECTIVE', effectiveOn: '2026-10-21' });

    const startedAt = Date.now();
    const after = await waitFor(
      async () => {
        const s = (await view(id)).data?.student;
        return s?.status?.code === 'EXPELLED' && !s.subsidyEligibility.grant.eligible ? s : null;
      },
      { what: 'status-change and subsidy to apply the expulsion', timeoutMs: 15_000 },
    );
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    expect(after.subsidyEligibility.grant.reasons).toContainEqual({
      rule: 'SB-3',
      met: false,
      messageEn: 'Status EXPELLED since 2026-10-21: eligibility ended',
    });
    expect(after.sanctions?.edges.map((e) => e.node)).toEqual([{ kind: 'EXPULSION', state: 'EFFECTIVE' }]);
  });

  it('AS-14: the school’s appeal body annuls the expulsion → the status is restored (REINSTATEMENT), eligibility returns, the archive is clear', async () => {
    const id = await formal(403);
    stack.setToday('2026-10-22');
    const decided = await onceKnown<{ decideSanction: { id: string } }>(() =>
      graphql(
        stack.gatewayUrl,
        DECIDE,
        {
          input: {
            studentId: id,
            kind: 'EXPULSION',
            decidingBody: 'PRINCIPAL_OFFICE_MEETING',
            decidedOn: '2026-10-21',
            reason: '严重违纪',
            decisionRef: '校办会议纪要-2026-16',
          },
        },
        registrar(),
      ),
    );
    const sanctionId = decided.decideSanction.id;
    expect((await graphql(stack.gatewayUrl, APPROVE, { id: sanctionId }, reviewer)).errors).toBeUndefined();
    await waitFor(async () => ((await view(id)).data?.student?.status?.code === 'EXPELLED' ? true : null), {
      what: 'status-change to apply the expulsion',
    });

    stack.setToday('2026-11-02');
    const lodged = await graphql<{ lodgeSchoolAppeal: { id: string } }>(
      stack.gatewayUrl,
      `
        mutation ($input: AppealInput!) {
          lodgeSchoolAppeal(input: $input) {
            id
          }
        }
      `,
      { input: { sanctionId, receivedOn: '2026-10-26', statementRef: '申诉书-403' } },
      registrar(),
    );
    expect(lodged.errors).toBeUndefined();
    const annulled = await graphql<{ decideSchoolAppeal: { outcome: string; sanction: { state: string } } }>(
      stack.gatewayUrl,
      `
        mutation ($input: AppealDecisionInput!) {
          decideSchoolAppeal(input: $input) {
            outcome
            sanction {
              state
            }
          }
        }
      `,
      {
        input: {
          id: lodged.data!.lodgeSchoolAppeal.id,
          outcome: 'ANNUL',
          decidedOn: '2026-11-02',
          deliveredOn: '2026-11-02',
          decisionRef: '复查决定-403',
          reason: '程序不当',
        },
      },
      registrar(),
    );
    expect(annulled.data?.decideSchoolAppeal).toEqual({ outcome: 'ANNUL', sanction: { state: 'ANNULLED' } });
    const restored = await waitFor(
      async () => {
        const s = (await view(id)).data?.student;
        return s?.status?.code === 'ACTIVE' && s.subsidyEligibility.grant.eligible ? s : null;
      },
      { what: 'status-change and subsidy to restore the status and eligibility', timeoutMs: 15_000 },
    );
    expect(restored.sanctions?.edges).toEqual([]);
  });
});

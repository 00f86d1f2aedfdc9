import { graphql, tokenFor, waitFor } from '@xueji/testkit';
import { school, seedSchools } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';
import { APPROVE_CHANGE, formalStudent, SUBMIT_CHANGE, type Change } from '../support/students';

const SUBSIDY_VIEW = /* GraphQL */ `
  query ($id: ID!) {
    student(id: $id) {
      name
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
      subsidyTimeline {
        period
        grant {
          eligible
        }
      }
      entitlements {
        period
        state
      }
    }
  }
`;

type SubsidyView = {
  student: {
    name: string;
    subsidyEligibility: { grant: { eligible: boolean; reasons: { rule: string; met: boolean; messageEn: string }[] } };
    subsidyTimeline: { period: string; grant: { eligible: boolean } }[];
    entitlements: { period: string; state: string }[];
  };
};

describe('subsidy on the real stack: a withdrawal ends eligibility with nothing but Kafka in between (SB-3)', () => {
  let stack: Stack;
  let A: string;
  const registrar = () => tokenFor({ subject: 'registrar-sb', role: 'SCHOOL_REGISTRAR', schoolId: A });
  const reviewer = tokenFor({ subject: 'reviewer-sb', role: 'AUTHORITY_REVIEWER', regionCode: '220102' });
  const officer = tokenFor({ subject: 'officer-sb', role: 'SUBSIDY_OFFICER', regionCode: '220100' });

  beforeAll(async () => {
    // A spring 2026 intake registered in March; the withdrawal is reviewed in September.
    stack = await startStack({ today: '2026-03-10' });
    [A] = (await seedSchools(stack.services.enrolment, [
      school('SB-A01', '220102', { name: '南关区职业教育中心' }),
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

  it('register and approve → eligible → withdrawal approved → not eligible, with the withdrawal as reason, later entitlements cancelled', async () => {
    const id = await formalStudent(
      stack,
      { schoolId: A, regionCode: '220102', registrar: registrar(), reviewer },
      301,
      { entryDate: '2026-03-01', intake: 'SPRING' },
    );
    const view = () => graphql<SubsidyView>(stack.gatewayUrl, SUBSIDY_VIEW, { id }, officer);
    // Eligible, with a pending grant entitlement for each period so far (the spring and the autumn term).
    const before = await waitFor(
      async () => {
        const r = await view();
        const s = r.data?.student;
        return s?.subsidyEligibility?.grant.eligible && s.entitlements.length >= 2 ? s : null;
      },
      { what: 'subsidy to decide the formal student eligible' },
    );
    expect(before.entitlements.slice(0, 2)).toEqual([
      { period: '2026-spring', state: 'PENDING' },
      { period: '2026-autumn', state: 'PENDING' },
    ]);

    // The school asks in September for a withdrawal effective over the summer; the county approves.
    stack.setToday('2026-09-15');
    const submitted = await graphql<{ submitChangeRequest: Change }>(
      stack.gatewayUrl,
      SUBMIT_CHANGE,
      {
        input: {
          studentId: id,
          kind: 'WITHDRAWAL',
          effectiveDate: '2026-08-25',
          evidenceRefs: ['application/student-and-guardian'],
          withdrawal: { ground: 'VOLUNTARY', guardianConsentRef: 'consent/301' },
        },
      },
      registrar(),
    );
    expect(submitted.errors).toBeUndefined();
    const requestId = submitted.data!.submitChangeRequest.id;
    let state = submitted.data!.submitChangeRequest.state;
    for (const token of [registrar(), reviewer]) {
      const approved = await graphql<{ approveChangeRequest: Change }>(
        stack.gatewayUrl,
        APPROVE_CHANGE,
        { id: requestId },
        token,
      );
      expect(approved.errors).toBeUndefined();
      state = approved.data!.approveChangeRequest.state;
    }
    expect(state).toBe('EFFECTIVE');

    // Within seconds, through the gateway: not eligible, the withdrawal named; the later entitlement cancelled.
    const startedAt = Date.now();
    const after = await waitFor(
      async () => {
        const s = (await view()).data?.student;
        return s && !s.subsidyEligibility.grant.eligible && s.entitlements[1]?.state === 'CANCELLED' ? s : null;
      },
      { what: 'subsidy to revoke eligibility', timeoutMs: 10_000 },
    );
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(after.subsidyEligibility.grant.reasons).toContainEqual({
      rule: 'SB-3',
      met: false,
      messageEn: 'Status WITHDRAWN since 2026-08-25: eligibility ended',
    });
    expect(after.subsidyTimeline.slice(0, 2)).toEqual([
      { period: '2026-spring', grant: { eligible: true } },
      { period: '2026-autumn', grant: { eligible: false } },
    ]);
    expect(after.entitlements.slice(0, 2)).toEqual([
      { period: '2026-spring', state: 'PENDING' },
      { period: '2026-autumn', state: 'CANCELLED' },
    ]);

    // The subsidy office's roster of the school shows it, by name, with the rule.
    const roster = await graphql<{
      eligibilityRoster: { entries: { name: string; grantEligible: boolean; unmetRules: string[] }[] };
    }>(
      stack.gatewayUrl,
      `
        query ($filter: EligibilityRosterFilter!) {
          eligibilityRoster(filter: $filter) {
            entries {
              name
              grantEligible
              unmetRules
              student {
                studentNumber
              }
            }
          }
        }
      `,
      { filter: { period: '2026-autumn', schoolId: A } },
      officer,
    );
    expect(roster.errors).toBeUndefined();
    expect(roster.data!.eligibilityRoster.entries).toEqual([
      expect.objectContaining({ name: after.name, grantEligible: false, unmetRules: ['SB-3'] }),
    ]);

    // Subsidy officers read; they never change student records.
    const attempt = await graphql(
      stack.gatewayUrl,
      SUBMIT_CHANGE,
      {
        input: {
          studentId: id,
          kind: 'RESUMPTION',
          effectiveDate: '2026-09-20',
          evidenceRefs: ['x'],
        },
      },
      officer,
    );
    expect(attempt.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

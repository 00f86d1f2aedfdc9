/**
 * Graduation per profile end to end, through the gateway with nothing but Kafka between the services.
 * Fujian: diploma numbers of 12 digits, YYYY + the last four digits of the school's provincial code + a
 * four-digit school sequence (GR-4); a withdrawal after more than a year with passing results gives a
 * study record and a partial-study certificate (GR-7, SC-18); a registration cancelled at the re-check
 * (ENR-9) recalls the diploma and the public lookup says so (GR-9). Beijing: the city authority hands the
 * school numbered blanks, the approval numbers the diplomas from them, too few blanks refuse it (GR-3).
 * Under both, approvals at once never share a number. One stack per profile; the national chain is
 * test/e2e/graduation.int.test.ts.
 */
import { selectRows } from '@xueji/db';
import type { EventEnvelope } from '@xueji/events';
import { deliverEvents, graphql, passedEverything as passedEverythingAt, tokenFor, waitFor } from '@xueji/testkit';
import { school, seedSchools, TEST_TODAY } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';
import { APPROVE_CHANGE, formalStudent, SUBMIT_CHANGE, type Change } from '../support/students';

type Issued = { kind: string; number: string; state: string; issuedOn: string; statedDuration: string | null };

/** The certificates graduation issued to a student, as the school's registrar reads them through the gateway. */
async function certificatesOf(c: { stack: Stack; registrar: string }, id: string): Promise<Issued[]> {
  const r = await graphql<{ student: { graduation: { certificates: Issued[] } | null } | null }>(
    c.stack.gatewayUrl,
    `
      query ($id: ID!) {
        student(id: $id) {
          graduation {
            certificates {
              kind
              number
              state
              issuedOn
              statedDuration
            }
          }
        }
      }
    `,
    { id },
    c.registrar,
  );
  expect(r.errors).toBeUndefined();
  return r.data?.student?.graduation?.certificates ?? [];
}

const SUBMIT = /* GraphQL */ `
  mutation ($input: GraduateListInput!) {
    submitGraduateList(input: $input) {
      id
    }
  }
`;
const APPROVE = /* GraphQL */ `
  mutation ($id: ID!, $sheet: String!) {
    approveGraduateList(id: $id, verificationSheetRef: $sheet) {
      entries {
        diplomaNumber
      }
    }
  }
`;
type Approved = { approveGraduateList: { entries: { diplomaNumber: string }[] } };

/** What assessment publishes of a student who passed everything, with beijing's appraisal at graduation (AS-2). */
const passedEverything = (studentId: string, schoolId: string, at: string): EventEnvelope[] =>
  passedEverythingAt(studentId, schoolId, {
    at,
    conductPeriods: ['SEMESTER', 'GRADUATION'],
    internshipId: `00000000-0000-4000-8000-${studentId.slice(-12)}`,
  });

/** A stack under a profile with one school and `n` formal students who passed everything. */
async function graduatingClass(
  profile: string,
  region: string,
  code: string,
  n: number,
  first: number,
): Promise<{ stack: Stack; schoolId: string; students: string[]; registrar: string; reviewer: string }> {
  const stack = await startStack({ profile, today: TEST_TODAY });
  const [schoolId] = (await seedSchools(stack.services.enrolment, [school(code, region)])) as [string];
  const registrar = tokenFor({ subject: `registrar-${code}`, role: 'SCHOOL_REGISTRAR', schoolId });
  const reviewer = tokenFor({ subject: `reviewer-${region}`, role: 'AUTHORITY_REVIEWER', regionCode: region });
  await waitFor(
    async () =>
      (
        await selectRows<{ n: number }>(
          stack.services.graduation.dataSource,
          'SELECT count(*)::int AS n FROM graduation_school',
        )
      )[0]!.n === 1,
    { what: 'graduation to learn the school' },
  );
  const students: string[] = [];
  for (let i = 0; i < n; i++)
    students.push(await formalStudent(stack, { schoolId, regionCode: region, registrar, reviewer }, first + i));
  await deliverEvents(
    stack.services.graduation,
    `${stack.topicPrefix}xueji.assessment.events`,
    students.flatMap((id) => passedEverything(id, schoolId, '2029-04-30T08:00:00.000Z')),
    'graduation to apply assessment’s facts',
  );
  return { stack, schoolId, students, registrar, reviewer };
}

async function submit(stack: Stack, schoolId: string, studentIds: string[], registrar: string): Promise<string> {
  const r = await graphql<{ submitGraduateList: { id: string } }>(
    stack.gatewayUrl,
    SUBMIT,
    { input: { schoolId, term: '2029-spring', studentIds } },
    registrar,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.submitGraduateList.id;
}

describe('fujian: 12-digit diploma numbers (GR-4)', () => {
  let c: Awaited<ReturnType<typeof graduatingClass>>;
  beforeAll(async () => {
    c = await graduatingClass('fujian', '350102', '3501024321', 4, 801);
    c.stack.setToday('2029-05-10'); // fujian's spring batch is verified by mid-May (GR-3)
    // Fujian's GR-1: a vocational qualification or skill certificate held, recorded by the school.
    for (const studentId of c.students) {
      const r = await graphql(
        c.stack.gatewayUrl,
        `
          mutation ($input: HeldCertificateInput!) {
            recordHeldCertificate(input: $input) {
              id
            }
          }
        `,
        {
          input: {
            studentId,
            kind: 'SKILL_CERTIFICATE',
            title: '计算机程序设计员（四级）',
            number: `S-${studentId.slice(0, 8)}`,
            issuedOn: '2029-01-10',
          },
        },
        c.registrar,
      );
      expect(r.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await c?.stack.stop();
  });

  it('YYYY + the last four digits of the provincial code + the school’s sequence; approvals at once share none', async () => {
    const lists = [
      await submit(c.stack, c.schoolId, [c.students[0]!], c.registrar),
      await submit(c.stack, c.schoolId, c.students.slice(1, 3), c.registrar),
    ];
    const results = await Promise.all(
      lists.map((id) =>
        graphql<Approved>(c.stack.gatewayUrl, APPROVE, { id, sheet: `验印单-闽-${id.slice(0, 4)}` }, c.reviewer),
      ),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const numbers = results.flatMap((r) => r.data!.approveGraduateList.entries.map((e) => e.diplomaNumber));
    for (const n of numbers) expect(n).toMatch(/^20294321\d{4}$/);
    expect(numbers.map((n) => n.slice(-4)).sort()).toEqual(['0001', '0002', '0003']);
  });

  it('GR-7 / SC-18: a withdrawal after more than a year with passing results → a study record and a partial-study certificate stating the years', async () => {
    const id = c.students[3]!;
    const submitted = await graphql<{ submitChangeRequest: Change }>(
      c.stack.gatewayUrl,
      SUBMIT_CHANGE,
      {
        input: {
          studentId: id,
          kind: 'WITHDRAWAL',
          effectiveDate: '2029-05-10',
          evidenceRefs: ['application/student-and-guardian'],
          withdrawal: { ground: 'VOLUNTARY', guardianConsentRef: 'consent/804' },
        },
      },
      c.registrar,
    );
    expect(submitted.errors).toBeUndefined();
    let state = submitted.data!.submitChangeRequest.state;
    for (const token of [c.registrar, c.reviewer]) {
      if (state === 'EFFECTIVE') break;
      const approved = await graphql<{ approveChangeRequest: Change }>(
        c.stack.gatewayUrl,
        APPROVE_CHANGE,
        { id: submitted.data!.submitChangeRequest.id },
        token,
      );
      expect(approved.errors).toBeUndefined();
      state = approved.data!.approveChangeRequest.state;
    }
    expect(state).toBe('EFFECTIVE');
    const certificates = await waitFor(
      async () => {
        const list = (await certificatesOf(c, id)).filter((x) => x.kind !== 'DIPLOMA');
        return list.length >= 2 ? list : null;
      },
      { what: 'graduation to issue the leaving certificates' },
    );
    expect(certificates).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'STUDY_RECORD', issuedOn: '2029-05-10', state: 'VALID' }),
        expect.objectContaining({
          kind: 'PARTIAL_STUDY',
          issuedOn: '2029-05-10',
          state: 'VALID',
          statedDuration: expect.stringMatching(/\d/),
        }),
      ]),
    );
  });

  it('GR-9: the school cancels the registration at the re-check (ENR-9) → the diploma is recalled and the public lookup says so', async () => {
    const id = c.students[0]!;
    const [diploma] = (await certificatesOf(c, id)).filter((x) => x.kind === 'DIPLOMA');
    expect(diploma).toMatchObject({ state: 'VALID' });
    const name = (
      await graphql<{ student: { name: string } }>(
        c.stack.gatewayUrl,
        `
          query ($id: ID!) {
            student(id: $id) {
              name
            }
          }
        `,
        { id },
        c.registrar,
      )
    ).data!.student.name;
    const LOOKUP = `query ($number: String!, $name: String!) { certificateLookup(number: $number, name: $name) { number state } }`;
    const lookup = async () =>
      (
        await graphql<{ certificateLookup: { number: string; state: string } | null }>(c.stack.gatewayUrl, LOOKUP, {
          number: diploma!.number,
          name,
        })
      ).data!.certificateLookup;
    expect(await lookup()).toEqual({ number: diploma!.number, state: 'VALID' });
    const cancelled = await graphql(
      c.stack.gatewayUrl,
      `
        mutation ($id: ID!) {
          cancelRegistration(id: $id, reason: "入学资格复查不合格：学历证明材料不实") {
            id
          }
        }
      `,
      { id },
      c.registrar,
    );
    expect(cancelled.errors).toBeUndefined();
    await waitFor(async () => ((await lookup())?.state === 'RECALLED' ? true : null), {
      what: 'graduation to recall the diploma',
    });
    expect(await lookup()).toEqual({ number: diploma!.number, state: 'RECALLED' });
  });
});

describe('beijing: the city’s numbered blanks (GR-3, GR-4 city-wide)', () => {
  let c: Awaited<ReturnType<typeof graduatingClass>>;
  const city = tokenFor({ subject: 'reviewer-110000', role: 'AUTHORITY_REVIEWER', regionCode: '110000' });
  const ALLOCATE = `mutation ($input: DiplomaBlanksInput!) { allocateDiplomaBlanks(input: $input) { first last remaining } }`;
  const allocate = (count: number) =>
    graphql<{ allocateDiplomaBlanks: { first: string; last: string; remaining: number } }>(
      c.stack.gatewayUrl,
      ALLOCATE,
      { input: { schoolId: c.schoolId, year: 2029, count } },
      city,
    );
  beforeAll(async () => {
    c = await graduatingClass('beijing', '110105', 'GN-B01', 4, 811);
    c.stack.setToday('2029-06-20');
  });
  afterAll(async () => {
    await c?.stack.stop();
  });

  it('blanks allocated by the city authority → too few refuses the approval → more blanks → numbers from them, none shared', async () => {
    const first = await allocate(2);
    expect(first.errors).toBeUndefined();
    expect(first.data!.allocateDiplomaBlanks).toEqual({ first: '202900000001', last: '202900000002', remaining: 2 });

    const three = await submit(c.stack, c.schoolId, c.students.slice(0, 3), c.registrar);
    const one = await submit(c.stack, c.schoolId, [c.students[3]!], c.registrar);
    const refused = await graphql(c.stack.gatewayUrl, APPROVE, { id: three, sheet: '验印单-京-1' }, city);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'GR-3' });

    expect((await allocate(3)).data!.allocateDiplomaBlanks).toMatchObject({
      first: '202900000003',
      last: '202900000005',
    });
    const results = await Promise.all(
      [three, one].map((id) =>
        graphql<Approved>(c.stack.gatewayUrl, APPROVE, { id, sheet: `验印单-京-${id.slice(0, 4)}` }, city),
      ),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const numbers = results.flatMap((r) => r.data!.approveGraduateList.entries.map((e) => e.diplomaNumber));
    // Four of the school's five blanks, each once.
    expect(new Set(numbers).size).toBe(4);
    for (const n of numbers) expect(n).toMatch(/^20290000000[1-5]$/);
    const left = await graphql<{ diplomaBlanks: { edges: { node: { remaining: number } }[] } }>(
      c.stack.gatewayUrl,
      `
        query ($school: ID!) {
          diplomaBlanks(schoolId: $school, year: 2029) {
            edges {
              node {
                remaining
              }
            }
          }
        }
      `,
      { school: c.schoolId },
      c.registrar,
    );
    expect(left.data!.diplomaBlanks.edges.map((e) => e.node.remaining)).toEqual([0, 1]);
  });
});

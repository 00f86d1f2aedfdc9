/**
 * Results on the real stack, through the gateway, with nothing but Kafka between the services
 * (beijing: SC-11's share is 1/3):
 * - a transfer → the results recorded at the sending school are visible to the receiving school's
 *   registrar (the credit bank, AS-4), no longer to the sending one;
 * - failed courses over the share → assessment's repeat fact reaches status-change, and a REPEAT
 *   request is accepted without typed counts; under the share it is refused naming SC-11.
 */
import { selectOne } from '@xueji/db';
import { graphql, tokenFor, waitFor } from '@xueji/testkit';
import { school, seedSchools } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';
import { APPROVE_CHANGE, formalStudent, SUBMIT_CHANGE, type Change } from '../support/students';

const CREATE_PLAN = `mutation ($input: TeachingPlanInput!) {
  createTeachingPlan(input: $input) { id courses(first: 10) { edges { node { id code } } } }
}`;
const RECORD = `mutation ($input: RecordResultsInput!) { recordResults(input: $input) { recorded unchanged } }`;
const RESULTS = /* GraphQL */ `
  query ($id: ID!) {
    student(id: $id) {
      school {
        id
      }
      results {
        edges {
          node {
            courseCode
            score
            passed
          }
        }
      }
      credits {
        coursesPassed
        creditsEarned
      }
    }
  }
`;

const course = (code: string) => ({
  code,
  name: `课程 ${code}`,
  studyYear: 1,
  semester: 1,
  credits: 4,
  classHours: 64,
  assessmentType: 'EXAM',
  requirement: 'COMPULSORY',
  category: 'PROFESSIONAL',
  physicalEducation: false,
});

describe('results through the gateway (beijing; real PostgreSQL and Kafka)', () => {
  let stack: Stack;
  let A: string;
  let C: string;
  const registrar = (schoolId: string) =>
    tokenFor({ subject: `registrar-${schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId });
  const reviewer = (regionCode: string) =>
    tokenFor({ subject: `reviewer-${regionCode}`, role: 'AUTHORITY_REVIEWER', regionCode });
  const students: string[] = [];
  let courseIds: Record<string, string> = {};

  const record = async (code: string, scores: Record<string, number>) => {
    const r = await graphql<{ recordResults: { recorded: number } }>(
      stack.gatewayUrl,
      RECORD,
      {
        input: {
          courseId: courseIds[code],
          attempt: 'REGULAR',
          entries: Object.entries(scores).map(([studentId, score]) => ({ studentId, score })),
        },
      },
      registrar(A),
    );
    expect(r.errors).toBeUndefined();
  };

  beforeAll(async () => {
    stack = await startStack({ profile: 'beijing', today: '2026-09-05' });
    [A, C] = (await seedSchools(stack.services.enrolment, [
      school('AR-A01', '110105', { name: '朝阳区职业学校' }),
      school('AR-C01', '110108', { name: '海淀区职业学校' }),
    ])) as [string, string];
    for (let n = 1; n <= 3; n++) {
      students.push(
        await formalStudent(
          stack,
          { schoolId: A, regionCode: '110105', registrar: registrar(A), reviewer: reviewer('110105') },
          400 + n,
        ),
      );
    }
    // Assessment learns the schools and the approved registrations from Kafka.
    await waitFor(
      async () =>
        (
          await selectOne<{ n: number }>(
            stack.services.assessment.dataSource,
            `SELECT count(*)::int AS n FROM study_record WHERE student_id = ANY ($1::uuid[])`,
            [students],
          )
        )?.n === students.length &&
        (
          await selectOne<{ n: number }>(
            stack.services.assessment.dataSource,
            `SELECT count(*)::int AS n FROM school_scope WHERE school_id = ANY ($1::uuid[])`,
            [[A, C]],
          )
        )?.n === 2,
      { what: 'assessment to learn the schools and the approved students' },
    );
    const plan = await graphql<{
      createTeachingPlan: { courses: { edges: { node: { id: string; code: string } }[] } };
    }>(
      stack.gatewayUrl,
      CREATE_PLAN,
      {
        input: {
          schoolId: A,
          majorCode: '710201',
          cohortYear: 2026,
          name: '计算机应用 2026 级',
          makeUpsPerCourse: 1,
          courses: [course('Y1'), course('Y2'), course('Y3')],
        },
      },
      registrar(A),
    );
    expect(plan.errors).toBeUndefined();
    courseIds = Object.fromEntries(plan.data!.createTeachingPlan.courses.edges.map((e) => [e.node.code, e.node.id]));
  });

  afterAll(() => stack?.stop());

  it('failed courses over the share: the fact reaches status-change; a REPEAT is accepted without typed counts, refused under the share', async () => {
    const [over, under] = students as [string, string];
    await record('Y1', { [over]: 40, [under]: 80 });
    await record('Y2', { [over]: 75, [under]: 90 });
    await record('Y3', { [over]: 70, [under]: 59 });
    // under: 1 of 3 failed → reaches 1/3 as well; a make-up passed brings it under the share.
    const makeUp = await graphql(
      stack.gatewayUrl,
      RECORD,
      { input: { courseId: courseIds.Y3, attempt: 'MAKE_UP', sitting: 1, entries: [{ studentId: under, score: 66 }] } },
      registrar(A),
    );
    expect(makeUp.errors).toBeUndefined();
    // The last fact assessment counted of each student (earlier ones, e.g. under's before its
    // make-up, may still be on their way): status-change must hold exactly that one.
    const last = (await stack.services.assessment.dataSource.query(
      `SELECT DISTINCT ON (message_key) message_key AS "studentId", payload::jsonb->>'countedAt' AS "countedAt"
         FROM outbox_message WHERE event_type = 'xueji.assessment.year-failures.counted.v1' AND message_key = ANY ($1)
        ORDER BY message_key, seq DESC`,
      [[over, under]],
    )) as { studentId: string; countedAt: string }[];
    expect(last).toHaveLength(2);
    await waitFor(
      async () => {
        const rows = (await stack.services['status-change'].dataSource.query(
          `SELECT student_id AS "studentId", failed_courses AS failed, counted_at AS "countedAt" FROM year_failure_fact
            WHERE student_id = ANY ($1::uuid[]) ORDER BY student_id`,
          [[over, under]],
        )) as { studentId: string; failed: number; countedAt: Date }[];
        const held = new Map(rows.map((r) => [r.studentId, r]));
        return last.every((l) => held.get(l.studentId)?.countedAt.getTime() === Date.parse(l.countedAt));
      },
      { what: 'status-change to learn the last repeat facts from Kafka' },
    );
    const facts = (await stack.services['status-change'].dataSource.query(
      `SELECT student_id AS "studentId", failed_courses AS failed FROM year_failure_fact WHERE student_id = ANY ($1::uuid[])`,
      [[over, under]],
    )) as { studentId: string; failed: number }[];
    expect(Object.fromEntries(facts.map((f) => [f.studentId, f.failed]))).toEqual({ [over]: 1, [under]: 0 });
    const submit = (studentId: string) =>
      graphql<{ submitChangeRequest: Change }>(
        stack.gatewayUrl,
        SUBMIT_CHANGE,
        { input: { studentId, kind: 'REPEAT', effectiveDate: '2027-09-01' } },
        registrar(A),
      );
    const accepted = await submit(over);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.submitChangeRequest.state).toBe('PENDING');
    const refused = await submit(under);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'SC-11' });
  });

  it('a transfer: the receiving school’s registrar sees the results, the sending one no longer', async () => {
    const moving = students[2]!;
    await record('Y1', { [moving]: 91 });
    // SC-4: after a semester; SC-5 (beijing): submitted before the spring semester starts, effective on its first day.
    stack.setToday('2027-02-20');
    const submitted = await graphql<{ submitChangeRequest: Change }>(
      stack.gatewayUrl,
      SUBMIT_CHANGE,
      {
        input: {
          studentId: moving,
          kind: 'TRANSFER',
          effectiveDate: '2027-03-01',
          evidenceRefs: ['application/guardian-signed'],
          transfer: { toSchoolId: C, ground: 'FAMILY_MOVE' },
        },
      },
      registrar(A),
    );
    expect(submitted.errors).toBeUndefined();
    stack.setToday('2027-03-01');
    let last: Change | undefined;
    for (const token of [registrar(A), registrar(C), reviewer('110108')]) {
      const r = await graphql<{ approveChangeRequest: Change }>(
        stack.gatewayUrl,
        APPROVE_CHANGE,
        { id: submitted.data!.submitChangeRequest.id },
        token,
      );
      expect(r.errors).toBeUndefined();
      last = r.data!.approveChangeRequest;
    }
    expect(last).toMatchObject({ state: 'EFFECTIVE' });
    type View = {
      student: {
        school: { id: string };
        results: { edges: { node: { courseCode: string; score: number } }[] } | null;
        credits: { creditsEarned: number } | null;
      } | null;
    };
    const seen = await waitFor(
      async () => {
        const r = await graphql<View>(stack.gatewayUrl, RESULTS, { id: moving }, registrar(C));
        return !r.errors && r.data?.student?.results?.edges.length ? r.data.student : null;
      },
      { what: 'the receiving school to see the transferred student’s results' },
    );
    expect(seen.school.id).toBe(C);
    expect(seen.results!.edges.map((e) => e.node)).toEqual([{ courseCode: 'Y1', score: 91, passed: true }]);
    expect(seen.credits!.creditsEarned).toBe(4);
    const sending = await graphql<View>(stack.gatewayUrl, RESULTS, { id: moving }, registrar(A));
    expect(sending.data?.student ?? null).toBeNull();
  });
});

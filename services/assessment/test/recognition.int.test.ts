/**
 * AS-4 (certificates and prior work → credits or exempted courses by the school's table), AS-5
 * (next year's courses early), AS-6 (PE exemption on a hospital certificate) and AS-16 (fujian:
 * results into the archive by term), per profile where the values differ.
 */
import { approvedRegistration, deliverEvents, graphql, resolveStudents } from '@xueji/testkit';
import {
  course,
  CREATE_PLAN,
  createPlan,
  deploy,
  enrol,
  EXEMPT_PE,
  newSchool,
  newStudents,
  RECOGNIZE,
  recordScores,
  registrarOf,
  reviewerOf,
  SET_CONVERSION,
  type Deployment,
} from './results-support';

let national: Deployment;
let jilin: Deployment;
let beijing: Deployment;
let fujian: Deployment;

beforeAll(async () => {
  [national, jilin, beijing, fujian] = await Promise.all(
    ['national', 'jilin', 'beijing', 'fujian'].map((p) => deploy(p, '2026-10-10')),
  );
});

afterAll(async () => {
  await Promise.all([national, jilin, beijing, fujian].map((d) => d?.stop()));
});

type Errors = { errors?: { extensions?: Record<string, unknown> }[] };
const refusal = (r: Errors) => [r.errors?.[0]?.extensions?.code, r.errors?.[0]?.extensions?.rule];

async function setUp(d: Deployment, studyForm: 'FULL_TIME' | 'FLEXIBLE' = 'FULL_TIME') {
  const school = newSchool(d === jilin ? '220102' : d === beijing ? '110105' : d === fujian ? '350102' : '220102');
  const [student] = newStudents(1) as [string];
  await enrol(d, school, []);
  await deliverEvents(d.service, `${d.topicPrefix}xueji.enrolment.events`, [
    approvedRegistration({
      studentId: student,
      ...school,
      entryDate: '2026-09-01',
      approvedAt: '2026-09-20T02:00:00.000Z',
      studyForm,
    }),
  ]);
  const { courseIds } = await createPlan(d, school.schoolId, [
    { code: 'WELD', credits: 4 },
    { code: 'PE', credits: 2, physicalEducation: true, assessmentType: 'TEST' },
    { code: 'NEXT', studyYear: 2, credits: 3 },
  ]);
  const registrar = registrarOf(school.schoolId);
  return { school, student, courseIds, registrar };
}

const credits = async (d: Deployment, registrar: string, student: string) =>
  (
    await resolveStudents<{ credits: Record<string, unknown> }>(
      d.service.url,
      registrar,
      [student],
      'credits { coursesPassed creditsEarned pePassed }',
    )
  ).data?._entities[0]?.credits;

/** A skill certificate as printed (GR-11), in the school's table as WELDER-3. */
const WELDER = {
  kind: 'SKILL_CERTIFICATE',
  certificateCode: 'WELDER-3',
  certificateTitle: '焊工（四级）',
  certificateNumber: 'S2026-0001',
  issuedOn: '2026-06-30',
};

describe('AS-4: certificates and prior work', () => {
  const convert = (d: Deployment, schoolId: string, registrar: string) =>
    graphql(
      d.service.url,
      SET_CONVERSION,
      {
        input: {
          schoolId,
          kind: 'SKILL_CERTIFICATE',
          certificateCode: 'WELDER-3',
          credits: 2,
          exemptCourseCodes: ['WELD'],
        },
      },
      registrar,
    );
  const recognise = (d: Deployment, studentId: string, registrar: string) =>
    graphql(d.service.url, RECOGNIZE, { input: { studentId, ...WELDER, evidenceRef: 'certs/welder.pdf' } }, registrar);
  const outbox = (d: Deployment, studentId: string, type: string) =>
    d.service.dataSource.query(
      `SELECT payload::jsonb AS data FROM outbox_message WHERE message_key = $1 AND event_type = $2 ORDER BY seq`,
      [studentId, type],
    ) as Promise<{ data: Record<string, unknown> }[]>;

  it('beijing: the school’s table converts a certificate into credits and an exempted course', async () => {
    const { school, student, registrar } = await setUp(beijing);
    expect((await convert(beijing, school.schoolId, registrar)).errors).toBeUndefined();
    expect((await recognise(beijing, student, registrar)).errors).toBeUndefined();
    // WELD exempted (4 credits) + 2 credits recognised.
    expect(await credits(beijing, registrar, student)).toEqual({ coursesPassed: 1, creditsEarned: 6, pePassed: false });
    const again = await recognise(beijing, student, registrar);
    expect(refusal(again)[0]).toBe('BAD_USER_INPUT');
  });

  it('AS-4 / AS-6 reads: the school’s table, keyset-paged and scoped; Student.creditRecognitions', async () => {
    const { school, student, registrar } = await setUp(beijing);
    for (const code of ['WELDER-3', 'COOK-2', 'ELEC-1']) {
      const input = { schoolId: school.schoolId, kind: 'SKILL_CERTIFICATE', certificateCode: code, credits: 1 };
      expect((await graphql(beijing.service.url, SET_CONVERSION, { input }, registrar)).errors).toBeUndefined();
    }
    expect((await recognise(beijing, student, registrar)).errors).toBeUndefined();
    const TABLE = `query ($schoolId: ID!, $after: String) {
      creditConversions(schoolId: $schoolId, first: 2, after: $after) {
        edges { node { certificateCode credits } } pageInfo { hasNextPage endCursor } } }`;
    type Table = {
      creditConversions: {
        edges: { node: { certificateCode: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const page1 = await graphql<Table>(beijing.service.url, TABLE, { schoolId: school.schoolId }, registrar);
    expect(page1.data?.creditConversions.edges.map((e) => e.node.certificateCode)).toEqual(['COOK-2', 'ELEC-1']);
    expect(page1.data?.creditConversions.pageInfo.hasNextPage).toBe(true);
    const page2 = await graphql<Table>(
      beijing.service.url,
      TABLE,
      { schoolId: school.schoolId, after: page1.data?.creditConversions.pageInfo.endCursor },
      registrar,
    );
    expect(page2.data?.creditConversions.edges.map((e) => e.node.certificateCode)).toEqual(['WELDER-3']);
    expect(page2.data?.creditConversions.pageInfo.hasNextPage).toBe(false);
    // Scoped like the other reads: another school's registrar is refused; a reviewer of the region reads it.
    const stranger = await graphql(
      beijing.service.url,
      TABLE,
      { schoolId: school.schoolId },
      registrarOf(newSchool().schoolId),
    );
    expect(stranger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const reviewer = await graphql<Table>(
      beijing.service.url,
      TABLE,
      { schoolId: school.schoolId },
      reviewerOf('110100'),
    );
    expect(reviewer.data?.creditConversions.edges).toHaveLength(2);
    const recognitions = await resolveStudents<{ creditRecognitions: { edges: { node: Record<string, unknown> }[] } }>(
      beijing.service.url,
      registrar,
      [student],
      'creditRecognitions(first: 10) { edges { node { kind certificateCode credits } } }',
    );
    expect(recognitions.data?._entities[0]?.creditRecognitions.edges.map((e) => e.node)).toEqual([
      { kind: 'SKILL_CERTIFICATE', certificateCode: 'WELDER-3', credits: 1 },
    ]);
    const foreign = await resolveStudents<{ creditRecognitions: unknown }>(
      beijing.service.url,
      registrarOf(newSchool().schoolId),
      [student],
      'creditRecognitions(first: 10) { edges { node { kind } } }',
    );
    expect(foreign.data?._entities[0]?.creditRecognitions ?? null).toBeNull();
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('AS-4 / GR-11 (fujian): a recognised certificate is published with the recognition, in its unit of work', async () => {
    const { school, student, registrar } = await setUp(fujian);
    expect((await convert(fujian, school.schoolId, registrar)).errors).toBeUndefined();
    const done = await graphql<{ recognizeCredits: { id: string; certificateNumber: string; issuedOn: string } }>(
      fujian.service.url,
      `
        mutation ($input: CreditRecognitionInput!) {
          recognizeCredits(input: $input) {
            id
            certificateNumber
            issuedOn
          }
        }
      `,
      { input: { studentId: student, ...WELDER, evidenceRef: 'certs/welder.pdf' } },
      registrar,
    );
    expect(done.errors).toBeUndefined();
    expect(done.data?.recognizeCredits).toMatchObject({ certificateNumber: 'S2026-0001', issuedOn: '2026-06-30' });
    const [recorded, ...more] = await outbox(fujian, student, 'xueji.assessment.certificate.recorded.v1');
    expect(more).toEqual([]);
    expect(recorded?.data).toEqual({
      recognitionId: done.data?.recognizeCredits.id,
      studentId: student,
      schoolId: school.schoolId,
      kind: 'SKILL_CERTIFICATE',
      title: '焊工（四级）',
      number: 'S2026-0001',
      issuedOn: '2026-06-30',
      recordedAt: expect.any(String),
    });
    // The same certificate again is refused: nothing written, nothing published (one unit of work).
    expect(refusal(await recognise(fujian, student, registrar))[0]).toBe('BAD_USER_INPUT');
    expect(await outbox(fujian, student, 'xueji.assessment.certificate.recorded.v1')).toHaveLength(1);
  });

  it('AS-4 / GR-11: a certificate states its title, number and date; prior work states none', async () => {
    const { school, student, registrar } = await setUp(beijing);
    expect((await convert(beijing, school.schoolId, registrar)).errors).toBeUndefined();
    const input = { studentId: student, ...WELDER, evidenceRef: 'certs/welder.pdf' };
    const refusedOn = async (over: Record<string, unknown>, field: string) => {
      const answer = await graphql(beijing.service.url, RECOGNIZE, { input: { ...input, ...over } }, registrar);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field } });
    };
    await refusedOn({ certificateNumber: null }, 'input.certificateNumber');
    await refusedOn({ certificateTitle: '  ' }, 'input.certificateTitle');
    await refusedOn({ issuedOn: undefined }, 'input.issuedOn');
    await refusedOn({ certificateNumber: 'X'.repeat(21) }, 'input.certificateNumber');
    await refusedOn({ issuedOn: '2027-01-01' }, 'input.issuedOn');
    await refusedOn({ kind: 'PRIOR_WORK' }, 'input.certificateTitle');
    const none = await beijing.service.dataSource.query(`SELECT 1 FROM credit_recognition WHERE student_id = $1`, [
      student,
    ]);
    expect(none).toEqual([]);
    expect(await outbox(beijing, student, 'xueji.assessment.certificate.recorded.v1')).toEqual([]);
    // Prior work, without a certificate: recognised, no certificate published.
    const prior = { schoolId: school.schoolId, kind: 'PRIOR_WORK', certificateCode: 'WORK-1', credits: 1 };
    expect((await graphql(beijing.service.url, SET_CONVERSION, { input: prior }, registrar)).errors).toBeUndefined();
    const work = { studentId: student, kind: 'PRIOR_WORK', certificateCode: 'WORK-1', evidenceRef: 'work.pdf' };
    expect((await graphql(beijing.service.url, RECOGNIZE, { input: work }, registrar)).errors).toBeUndefined();
    expect(await outbox(beijing, student, 'xueji.assessment.certificate.recorded.v1')).toEqual([]);
  });

  it('national: no such rule; jilin: flexible-study students only', async () => {
    const n = await setUp(national);
    expect(refusal(await convert(national, n.school.schoolId, n.registrar))).toEqual(['POLICY_VIOLATION', 'AS-4']);

    const fullTime = await setUp(jilin);
    expect((await convert(jilin, fullTime.school.schoolId, fullTime.registrar)).errors).toBeUndefined();
    expect(refusal(await recognise(jilin, fullTime.student, fullTime.registrar))).toEqual(['POLICY_VIOLATION', 'AS-4']);
    const flexible = await setUp(jilin, 'FLEXIBLE');
    expect((await convert(jilin, flexible.school.schoolId, flexible.registrar)).errors).toBeUndefined();
    expect((await recognise(jilin, flexible.student, flexible.registrar)).errors).toBeUndefined();
  });
});

describe('AS-6: PE exemption', () => {
  const exempt = (d: Deployment, s: Awaited<ReturnType<typeof setUp>>, hospitalLevel: string) =>
    graphql(
      d.service.url,
      EXEMPT_PE,
      { input: { studentId: s.student, courseId: s.courseIds.PE, hospitalLevel, certificateRef: 'med/1.pdf' } },
      s.registrar,
    );

  it('beijing: on a certificate of a grade-2A hospital or above; PE then counts as passed', async () => {
    const s = await setUp(beijing);
    expect(refusal(await exempt(beijing, s, 'COUNTY_OR_ABOVE'))).toEqual(['POLICY_VIOLATION', 'AS-6']);
    expect((await exempt(beijing, s, 'GRADE_2A_OR_ABOVE')).errors).toBeUndefined();
    expect(await credits(beijing, s.registrar, s.student)).toMatchObject({ pePassed: true, creditsEarned: 2 });
  });

  it('fujian and national: PE is compulsory, no exemption; only a PE course is exempted', async () => {
    const f = await setUp(fujian);
    expect(refusal(await exempt(fujian, f, 'GRADE_2A_OR_ABOVE'))).toEqual(['POLICY_VIOLATION', 'AS-6']);
    const n = await setUp(national);
    expect(refusal(await exempt(national, n, 'GRADE_2A_OR_ABOVE'))).toEqual(['POLICY_VIOLATION', 'AS-6']);
    const b = await setUp(beijing);
    const notPe = await graphql(
      beijing.service.url,
      EXEMPT_PE,
      {
        input: {
          studentId: b.student,
          courseId: b.courseIds.WELD,
          hospitalLevel: 'GRADE_2A_OR_ABOVE',
          certificateRef: 'm.pdf',
        },
      },
      b.registrar,
    );
    expect(refusal(notPe)).toEqual(['POLICY_VIOLATION', 'AS-6']);
  });
});

describe('AS-5: next year’s courses early', () => {
  it('jilin and fujian allow a year-1 student a year-2 course; national and beijing refuse it', async () => {
    for (const d of [jilin, fujian]) {
      const s = await setUp(d);
      const early = await recordScores(d, s.school.schoolId, s.courseIds.NEXT!, { [s.student]: 85 });
      expect(early.errors).toBeUndefined();
    }
    for (const d of [national, beijing]) {
      const s = await setUp(d);
      const early = await recordScores(d, s.school.schoolId, s.courseIds.NEXT!, { [s.student]: 85 });
      expect(refusal(early)).toEqual(['POLICY_VIOLATION', 'AS-5']);
    }
  });
});

describe('AS-1: fujian runs on credits', () => {
  it('a fujian plan without the credits required is refused; a national one is not', async () => {
    const input = (schoolId: string) => ({
      input: {
        schoolId,
        majorCode: '710209',
        cohortYear: 2026,
        name: '计划',
        makeUpsPerCourse: 1,
        courses: [course({ code: 'A' })],
      },
    });
    const f = await setUp(fujian);
    const refused = await graphql(fujian.service.url, CREATE_PLAN, input(f.school.schoolId), f.registrar);
    expect(refusal(refused)).toEqual(['POLICY_VIOLATION', 'AS-1']);
    expect(refused.errors?.[0]?.extensions?.details).toMatchObject({ breaches: [{ field: 'input.requiredCredits' }] });
    const n = await setUp(national);
    expect(
      (await graphql(national.service.url, CREATE_PLAN, input(n.school.schoolId), n.registrar)).errors,
    ).toBeUndefined();
  });
});

describe('AS-16: into the archive promptly, or by term (fujian)', () => {
  it('national shows a result at once; fujian once the semester has ended', async () => {
    const n = await setUp(national);
    await recordScores(national, n.school.schoolId, n.courseIds.WELD!, { [n.student]: 90 });
    const f = await setUp(fujian);
    await recordScores(fujian, f.school.schoolId, f.courseIds.WELD!, { [f.student]: 90 });
    const shown = async (d: Deployment, s: { registrar: string; student: string }) =>
      (
        await resolveStudents<{ results: { edges: unknown[] } }>(
          d.service.url,
          s.registrar,
          [s.student],
          'results { edges { cursor } }',
        )
      ).data?._entities[0]?.results.edges.length;
    expect(await shown(national, n)).toBe(1);
    // The service clock says 2026-10-10: the 2026-2027-1 semester has not ended.
    expect(await shown(fujian, f)).toBe(0);
    const credit = await credits(fujian, f.registrar, f.student);
    expect(credit).toMatchObject({ creditsEarned: 4 });
  });
});

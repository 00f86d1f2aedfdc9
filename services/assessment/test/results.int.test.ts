/**
 * Part A on the running service (real PostgreSQL and Kafka): teaching plans, results by sitting
 * (AS-1, AS-3, AS-15), conduct (AS-2), credits and the archive sections on `Student` (ENR-18,
 * AS-16), the repeat fact (SC-11), and what a transfer or a repeat does to them.
 */
import { randomUUID } from 'node:crypto';
import { createEvent } from '@xueji/events';
import { countStatements, deliverEvents, graphql, resolveStudents } from '@xueji/testkit';
import {
  createPlan,
  CREATE_PLAN,
  course,
  deploy,
  enrol,
  newSchool,
  newStudents,
  outboxEvents,
  RECORD_CONDUCT,
  recordScores,
  RECORD_RESULTS,
  registrarOf,
  reviewerOf,
  type Deployment,
} from './results-support';

let national: Deployment;
let beijing: Deployment;
let fujian: Deployment;

beforeAll(async () => {
  [national, beijing, fujian] = await Promise.all([deploy('national'), deploy('beijing'), deploy('fujian')]);
});

afterAll(async () => {
  await Promise.all([national?.stop(), beijing?.stop(), fujian?.stop()]);
});

const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;
const ruleOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.rule;
const fieldOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  (r.errors?.[0]?.extensions?.details as { field?: string } | undefined)?.field;

describe('teaching plans', () => {
  const school = newSchool('220102');

  beforeAll(() => enrol(national, school, []));

  it('a registrar creates its school’s plan; the same major and cohort again is a CONFLICT', async () => {
    const { planId, courseIds } = await createPlan(national, school.schoolId, [
      { code: 'C1' },
      { code: 'PE1', physicalEducation: true, assessmentType: 'TEST', credits: 2 },
    ]);
    expect(Object.keys(courseIds).sort()).toEqual(['C1', 'PE1']);
    const again = await graphql(
      national.service.url,
      CREATE_PLAN,
      {
        input: {
          schoolId: school.schoolId,
          majorCode: '710201',
          cohortYear: 2026,
          name: 'x',
          makeUpsPerCourse: 1,
          courses: [course({ code: 'C1' })],
        },
      },
      registrarOf(school.schoolId),
    );
    expect(code(again)).toBe('CONFLICT');
    const read = await graphql<{ teachingPlan: { id: string } }>(
      national.service.url,
      `
        query ($id: ID!) {
          teachingPlan(id: $id) {
            id
          }
        }
      `,
      { id: planId },
      reviewerOf('220100'),
    );
    expect(read.data?.teachingPlan?.id).toBe(planId);
  });

  it('refuses another school’s registrar, a bad course row by its field, and AS-3 over the ceiling', async () => {
    const input = (patch: Record<string, unknown>) => ({
      input: {
        schoolId: school.schoolId,
        majorCode: '710202',
        cohortYear: 2026,
        name: '计划',
        makeUpsPerCourse: 1,
        courses: [course({ code: 'A' }), course({ code: 'B' })],
        ...patch,
      },
    });
    const other = await graphql(national.service.url, CREATE_PLAN, input({}), registrarOf(randomUUID()));
    expect(code(other)).toBe('FORBIDDEN');
    const badCredits = await graphql(
      national.service.url,
      CREATE_PLAN,
      input({ courses: [course({ code: 'A' }), { ...course({ code: 'B' }), credits: -1 }] }),
      registrarOf(school.schoolId),
    );
    expect([code(badCredits), fieldOf(badCredits)]).toEqual(['BAD_USER_INPUT', 'input.courses[1].credits']);
    // AS-3: national's ceiling is 2 make-ups per course.
    const tooMany = await graphql(
      national.service.url,
      CREATE_PLAN,
      input({ makeUpsPerCourse: 3 }),
      registrarOf(school.schoolId),
    );
    expect([code(tooMany), ruleOf(tooMany)]).toEqual(['POLICY_VIOLATION', 'AS-3']);
    const two = await graphql(
      national.service.url,
      CREATE_PLAN,
      input({ makeUpsPerCourse: 2 }),
      registrarOf(school.schoolId),
    );
    expect(two.errors).toBeUndefined();
  });

  it('lists a school’s plans a page at a time', async () => {
    const first = await graphql<{
      teachingPlans: { edges: { cursor: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>(
      national.service.url,
      `
        query ($s: ID!, $after: String) {
          teachingPlans(schoolId: $s, first: 1, after: $after) {
            edges {
              cursor
              node {
                majorCode
              }
            }
            pageInfo {
              hasNextPage
              endCursor
            }
          }
        }
      `,
      { s: school.schoolId },
      registrarOf(school.schoolId),
    );
    expect(first.data?.teachingPlans.edges).toHaveLength(1);
    expect(first.data?.teachingPlans.pageInfo.hasNextPage).toBe(true);
    const second = await graphql<{ teachingPlans: { edges: unknown[]; pageInfo: { hasNextPage: boolean } } }>(
      national.service.url,
      `
        query ($s: ID!, $after: String) {
          teachingPlans(schoolId: $s, first: 1, after: $after) {
            edges {
              cursor
              node {
                majorCode
              }
            }
            pageInfo {
              hasNextPage
              endCursor
            }
          }
        }
      `,
      { s: school.schoolId, after: first.data!.teachingPlans.pageInfo.endCursor },
      registrarOf(school.schoolId),
    );
    expect(second.data?.teachingPlans.edges).toHaveLength(1);
    expect(second.data?.teachingPlans.pageInfo.hasNextPage).toBe(false);
  });
});

it('refuses a cursor it did not write as BAD_USER_INPUT naming `after`', async () => {
  const junk = [
    'not-base64-json',
    Buffer.from(JSON.stringify(['2026-01-01 00:00', randomUUID()])).toString('base64url'),
    Buffer.from(JSON.stringify(['\u0000', randomUUID()])).toString('base64url'),
  ];
  for (const after of junk) {
    const r = await graphql(
      national.service.url,
      `
        query ($s: ID!, $after: String) {
          teachingPlans(schoolId: $s, first: 1, after: $after) {
            edges {
              cursor
            }
          }
        }
      `,
      { s: randomUUID(), after },
      reviewerOf('220000'),
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'after' } });
  }
});

describe('results of a class (AS-1, AS-3)', () => {
  const school = newSchool('220102');
  const students = newStudents(3);
  let courses: Record<string, string>;
  let planId: string;

  beforeAll(async () => {
    await enrol(national, school, students);
    ({ courseIds: courses, planId } = await createPlan(
      national,
      school.schoolId,
      [{ code: 'M1' }, { code: 'M2' }, { code: 'M3', assessmentType: 'TEST' }, { code: 'PE', physicalEducation: true }],
      { makeUpsPerCourse: 1 },
    ));
  });

  it('records a class at once; the same sheet again changes nothing', async () => {
    const [a, b, c] = students as [string, string, string];
    const first = await recordScores(national, school.schoolId, courses.M1!, { [a]: 95, [b]: 59.5, [c]: 60 });
    expect(first.data?.recordResults).toEqual({ recorded: 3, unchanged: 0 });
    const again = await recordScores(national, school.schoolId, courses.M1!, { [a]: 95, [b]: 59.5, [c]: 60 });
    expect(again.data?.recordResults).toEqual({ recorded: 0, unchanged: 3 });
    const changedEvents = await outboxEvents(national, 'xueji.assessment.results.changed.v1');
    expect(changedEvents.filter((e) => students.includes((e as { studentId: string }).studentId))).toHaveLength(3);
  });

  it('refuses the whole class when one row is wrong, naming the row; nothing is written', async () => {
    const [a, b] = students as [string, string];
    const bad = await recordScores(national, school.schoolId, courses.M2!, { [a]: 80, [b]: 101 });
    expect([code(bad), fieldOf(bad)]).toEqual(['BAD_USER_INPUT', 'input.entries[1].score']);
    const both = await recordScores(national, school.schoolId, courses.M2!, { [a]: { score: 80, grade: 'GOOD' } });
    expect([code(both), fieldOf(both)]).toEqual(['BAD_USER_INPUT', 'input.entries[0].score']);
    const rows = (await national.service.dataSource.query(
      `SELECT count(*)::int AS n FROM course_result WHERE course_id = $1`,
      [courses.M2],
    )) as { n: number }[];
    expect(rows[0]!.n).toBe(0);
    const stranger = await recordScores(national, school.schoolId, courses.M2!, { [randomUUID()]: 70 });
    expect(code(stranger)).toBe('NOT_FOUND');
    const otherRegistrar = await graphql(
      national.service.url,
      `
        mutation ($input: RecordResultsInput!) {
          recordResults(input: $input) {
            recorded
          }
        }
      `,
      { input: { courseId: courses.M2, attempt: 'REGULAR', entries: [{ studentId: a, score: 70 }] } },
      registrarOf(randomUUID()),
    );
    expect(code(otherRegistrar)).toBe('FORBIDDEN');
  });

  it('grades a test pass/fail; credits follow passed courses', async () => {
    const [a, b, c] = students as [string, string, string];
    const graded = await recordScores(national, school.schoolId, courses.M3!, {
      [a]: { grade: 'PASS' },
      [b]: { grade: 'FAIL' },
      [c]: { grade: 'EXCELLENT' },
    });
    expect(graded.data?.recordResults.recorded).toBe(3);
    const credits = await resolveStudents<{ credits: Record<string, unknown> }>(
      national.service.url,
      registrarOf(school.schoolId),
      [a, b],
      'credits { coursesPassed coursesFailed coursesOutstanding creditsEarned pePassed }',
    );
    expect(credits.errors).toBeUndefined();
    expect(credits.data?._entities).toEqual([
      { credits: { coursesPassed: 2, coursesFailed: 0, coursesOutstanding: 2, creditsEarned: 8, pePassed: false } },
      { credits: { coursesPassed: 0, coursesFailed: 2, coursesOutstanding: 2, creditsEarned: 0, pePassed: false } },
    ]);
  });

  it('AS-3: a make-up only after a failed sitting, no more than the school’s number; a pass earns the credits', async () => {
    const [a, b] = students as [string, string];
    const passedAlready = await recordScores(national, school.schoolId, courses.M1!, { [a]: 70 }, 'MAKE_UP', 1);
    expect([code(passedAlready), ruleOf(passedAlready)]).toEqual(['POLICY_VIOLATION', 'AS-3']);
    const second = await recordScores(national, school.schoolId, courses.M1!, { [b]: 70 }, 'MAKE_UP', 2);
    expect([code(second), ruleOf(second)]).toEqual(['POLICY_VIOLATION', 'AS-3']);
    const makeUp = await recordScores(national, school.schoolId, courses.M1!, { [b]: 72 }, 'MAKE_UP', 1);
    expect(makeUp.data?.recordResults.recorded).toBe(1);
    const credits = await resolveStudents<{ credits: { coursesPassed: number; creditsEarned: number } }>(
      national.service.url,
      registrarOf(school.schoolId),
      [b],
      'credits { coursesPassed creditsEarned }',
    );
    expect(credits.data?._entities[0]?.credits).toEqual({ coursesPassed: 1, creditsEarned: 4 });
    const retake = await recordScores(national, school.schoolId, courses.M3!, { [b]: { grade: 'PASS' } }, 'RETAKE', 1);
    expect(retake.data?.recordResults.recorded).toBe(1);
  });

  it('Student.results lists every sitting, a page at a time; a stranger’s registrar is refused', async () => {
    const [, b] = students as [string, string];
    const page = await resolveStudents<{
      results: {
        edges: { node: { courseCode: string; attempt: string; passed: boolean } }[];
        pageInfo: { hasNextPage: boolean };
      };
    }>(
      national.service.url,
      registrarOf(school.schoolId),
      [b],
      'results(first: 2) { edges { node { courseCode attempt sitting score grade passed semester } } pageInfo { hasNextPage } }',
    );
    expect(page.errors).toBeUndefined();
    expect(page.data?._entities[0]?.results.edges).toHaveLength(2);
    expect(page.data?._entities[0]?.results.pageInfo.hasNextPage).toBe(true);
    const foreign = await resolveStudents(
      national.service.url,
      registrarOf(randomUUID()),
      [b],
      'results { edges { cursor } }',
    );
    expect(code(foreign)).toBe('FORBIDDEN');
  });

  it('resolves results, credits and conduct of 50 students for what one costs', async () => {
    const many = newStudents(50);
    await enrol(national, school, many);
    const selection =
      'id credits { creditsEarned } results(first: 5) { edges { node { score } } } conduct(first: 5) { edges { node { grade } } }';
    const one = await countStatements(national.service.dataSource, () =>
      resolveStudents(national.service.url, registrarOf(school.schoolId), many.slice(0, 1), selection),
    );
    const fifty = await countStatements(national.service.dataSource, () =>
      resolveStudents(national.service.url, registrarOf(school.schoolId), many, selection),
    );
    expect(fifty.result.errors).toBeUndefined();
    expect(fifty.statements).toBe(one.statements);
  });

  it('AS-3 timing: once the school sets its make-up period, a make-up needs an exam date inside it', async () => {
    const [, , c] = students as [string, string, string];
    const SET_PERIOD = `mutation ($input: MakeUpPeriodInput!) {
      setMakeUpPeriod(input: $input) { id makeUpPeriods { studyYear semester startsOn endsOn } } }`;
    const period = { planId, studyYear: 1, semester: 1, startsOn: '2026-10-06', endsOn: '2026-10-08' };
    const set = await graphql<{ setMakeUpPeriod: { makeUpPeriods: unknown[] } }>(
      national.service.url,
      SET_PERIOD,
      { input: period },
      registrarOf(school.schoolId),
    );
    expect(set.errors).toBeUndefined();
    expect(set.data?.setMakeUpPeriod.makeUpPeriods).toEqual([
      { studyYear: 1, semester: 1, startsOn: '2026-10-06', endsOn: '2026-10-08' },
    ]);
    const backwards = await graphql(
      national.service.url,
      SET_PERIOD,
      { input: { ...period, startsOn: '2026-11-02', endsOn: '2026-11-01' } },
      registrarOf(school.schoolId),
    );
    expect([code(backwards), fieldOf(backwards)]).toEqual(['BAD_USER_INPUT', 'input.endsOn']);
    const foreign = await graphql(national.service.url, SET_PERIOD, { input: period }, registrarOf(randomUUID()));
    expect(code(foreign)).toBe('FORBIDDEN');

    // c failed M2 at the regular sitting (no exam date needed there).
    expect((await recordScores(national, school.schoolId, courses.M2!, { [c]: 40 })).errors).toBeUndefined();
    const makeUp = (examDate?: string) =>
      graphql<{ recordResults: { recorded: number; unchanged: number } }>(
        national.service.url,
        RECORD_RESULTS,
        {
          input: {
            courseId: courses.M2,
            attempt: 'MAKE_UP',
            sitting: 1,
            entries: [{ studentId: c, score: 75 }],
            ...(examDate ? { examDate } : {}),
          },
        },
        registrarOf(school.schoolId),
      );
    const undated = await makeUp();
    expect([code(undated), fieldOf(undated)]).toEqual(['BAD_USER_INPUT', 'input.examDate']);
    const breaches = (undated.errors?.[0]?.extensions?.details as { breaches: { rule: string }[] }).breaches;
    expect(breaches.map((b) => b.rule)).toEqual(['AS-3']);
    const outside = await makeUp('2026-10-05');
    expect([code(outside), ruleOf(outside)]).toEqual(['POLICY_VIOLATION', 'AS-3']);
    expect(outside.errors?.[0]?.message).toContain('2026-10-06–2026-10-08');
    expect((await makeUp('2026-10-08')).data?.recordResults).toEqual({ recorded: 1, unchanged: 0 });
    expect((await makeUp('2026-10-08')).data?.recordResults).toEqual({ recorded: 0, unchanged: 1 });
    const results = await resolveStudents<{ results: { edges: { node: Record<string, unknown> }[] } }>(
      national.service.url,
      registrarOf(school.schoolId),
      [c],
      'results(first: 50) { edges { node { courseCode attempt examDate } } }',
    );
    expect(results.data?._entities[0]?.results.edges.map((e) => e.node)).toContainEqual({
      courseCode: 'M2',
      attempt: 'MAKE_UP',
      examDate: '2026-10-08',
    });
    // A second period of the semester; a make-up inside it is taken too, and the plan lists both.
    const later = { ...period, startsOn: '2026-10-09', endsOn: '2026-10-09' };
    expect(
      (await graphql(national.service.url, SET_PERIOD, { input: later }, registrarOf(school.schoolId))).errors,
    ).toBeUndefined();
    const plan = await graphql<{ teachingPlan: { makeUpPeriods: { startsOn: string }[] } }>(
      national.service.url,
      `
        query ($id: ID!) {
          teachingPlan(id: $id) {
            makeUpPeriods {
              startsOn
              endsOn
            }
          }
        }
      `,
      { id: planId },
      registrarOf(school.schoolId),
    );
    expect(plan.data?.teachingPlan.makeUpPeriods).toEqual([
      { startsOn: '2026-10-06', endsOn: '2026-10-08' },
      { startsOn: '2026-10-09', endsOn: '2026-10-09' },
    ]);
  });
});

describe('AS-15: cheating and unapproved absence (fujian)', () => {
  const school = newSchool('350102');
  const students = newStudents(2);
  let courses: Record<string, string>;

  beforeAll(async () => {
    await Promise.all([enrol(fujian, school, students), enrol(national, school, students)]);
    ({ courseIds: courses } = await createPlan(fujian, school.schoolId, [{ code: 'F1' }], { makeUpsPerCourse: 1 }));
  });

  it('fujian records zero and the event; national has no such rule and refuses it', async () => {
    const [a] = students as [string];
    const cheated = await recordScores(fujian, school.schoolId, courses.F1!, { [a]: { irregularity: 'CHEATING' } });
    expect(cheated.errors).toBeUndefined();
    const rows = (await fujian.service.dataSource.query(
      `SELECT score::float8 AS score, passed, irregularity FROM course_result WHERE student_id = $1`,
      [a],
    )) as unknown[];
    expect(rows).toEqual([{ score: 0, passed: false, irregularity: 'CHEATING' }]);

    const { courseIds } = await createPlan(national, school.schoolId, [{ code: 'N1' }]);
    const refused = await recordScores(national, school.schoolId, courseIds.N1!, { [a]: { irregularity: 'CHEATING' } });
    expect([code(refused), ruleOf(refused)]).toEqual(['POLICY_VIOLATION', 'AS-15']);
  });

  it('a make-up after cheating only after repentance the school approved', async () => {
    const [a] = students as [string];
    const plain = await recordScores(fujian, school.schoolId, courses.F1!, { [a]: 75 }, 'MAKE_UP', 1);
    expect([code(plain), ruleOf(plain)]).toEqual(['POLICY_VIOLATION', 'AS-15']);
    const repented = await recordScores(
      fujian,
      school.schoolId,
      courses.F1!,
      { [a]: { score: 75, afterRepentance: true } },
      'MAKE_UP',
      1,
    );
    expect(repented.errors).toBeUndefined();
  });

  it('a credit-system profile publishes no repeat fact (SC-11)', async () => {
    expect(await outboxEvents(fujian, 'xueji.assessment.year-failures.counted.v1')).toEqual([]);
    expect((await outboxEvents(fujian, 'xueji.assessment.results.changed.v1')).length).toBeGreaterThan(0);
  });
});

describe('SC-11: the repeat fact', () => {
  it('beijing: failed ≥ 1/3 of the year’s courses after make-ups reaches the share; national leaves it to the school', async () => {
    const school = newSchool('110105');
    const [a, b] = newStudents(2) as [string, string];
    await Promise.all([enrol(beijing, school, [a, b]), enrol(national, school, [a, b])]);
    const { courseIds } = await createPlan(beijing, school.schoolId, [{ code: 'Y1' }, { code: 'Y2' }, { code: 'Y3' }]);
    await recordScores(beijing, school.schoolId, courseIds.Y1!, { [a]: 40, [b]: 40 });
    await recordScores(beijing, school.schoolId, courseIds.Y2!, { [a]: 80, [b]: 80 });
    // b makes up Y1 and passes: under the share.
    await recordScores(beijing, school.schoolId, courseIds.Y1!, { [b]: 65 }, 'MAKE_UP', 1);
    const facts = await outboxEvents<{
      studentId: string;
      failedCourses: number;
      totalCourses: number;
      reachesRepeatShare: boolean;
    }>(beijing, 'xueji.assessment.year-failures.counted.v1');
    const latest = (id: string) => facts.filter((f) => f.studentId === id).at(-1);
    expect(latest(a)).toMatchObject({ studyYear: 1, failedCourses: 1, totalCourses: 3, reachesRepeatShare: true });
    expect(latest(b)).toMatchObject({ failedCourses: 0, totalCourses: 3, reachesRepeatShare: false });

    const n = await createPlan(national, school.schoolId, [{ code: 'Y1' }, { code: 'Y2' }]);
    await recordScores(national, school.schoolId, n.courseIds.Y1!, { [a]: 10 });
    const nationalFacts = await outboxEvents<{ studentId: string; reachesRepeatShare: boolean | null }>(
      national,
      'xueji.assessment.year-failures.counted.v1',
    );
    expect(nationalFacts.filter((f) => f.studentId === a).at(-1)).toMatchObject({ reachesRepeatShare: null });
  });
});

describe('conduct (AS-2)', () => {
  const school = newSchool('110105');
  const [a] = newStudents(1) as [string];

  beforeAll(() => Promise.all([enrol(national, school, [a]), enrol(beijing, school, [a])]));

  const record = (d: Deployment, input: Record<string, unknown>) =>
    graphql<{ recordConduct: { grade: string | null; comment: string | null; term: string | null } }>(
      d.service.url,
      RECORD_CONDUCT,
      { input: { studentId: a, ...input } },
      registrarOf(school.schoolId),
    );

  it('national: four grades each semester; no grade or a yearly grade is refused', async () => {
    expect((await record(national, { period: 'SEMESTER', term: '2026-2027-1', grade: 'GOOD' })).errors).toBeUndefined();
    const noGrade = await record(national, { period: 'SEMESTER', term: '2026-2027-2' });
    expect([code(noGrade), ruleOf(noGrade)]).toEqual(['POLICY_VIOLATION', 'AS-2']);
    const yearly = await record(national, { period: 'YEAR', term: '2026-2027', grade: 'GOOD' });
    expect([code(yearly), ruleOf(yearly)]).toEqual(['POLICY_VIOLATION', 'AS-2']);
    const badTerm = await record(national, { period: 'SEMESTER', term: '2026-2028-1', grade: 'GOOD' });
    expect([code(badTerm), fieldOf(badTerm)]).toEqual(['BAD_USER_INPUT', 'input.term']);
    const events = await outboxEvents(national, 'xueji.assessment.conduct.recorded.v1');
    expect(events.at(-1)).toMatchObject({ studentId: a, period: 'SEMESTER', term: '2026-2027-1', grade: 'GOOD' });
  });

  it('beijing: written comments each term or year, and a written appraisal at graduation', async () => {
    const grade = await record(beijing, { period: 'SEMESTER', term: '2026-2027-1', grade: 'GOOD' });
    expect([code(grade), ruleOf(grade)]).toEqual(['POLICY_VIOLATION', 'AS-2']);
    expect(
      (await record(beijing, { period: 'YEAR', term: '2026-2027', comment: '遵守纪律，学习认真。' })).errors,
    ).toBeUndefined();
    const bare = await record(beijing, { period: 'GRADUATION' });
    expect([code(bare), ruleOf(bare)]).toEqual(['POLICY_VIOLATION', 'AS-2']);
    const appraisal = await record(beijing, { period: 'GRADUATION', comment: '全面鉴定：合格。' });
    expect(appraisal.data?.recordConduct).toMatchObject({ term: null, comment: '全面鉴定：合格。' });
    const archive = await resolveStudents<{ conduct: { edges: { node: { period: string } }[] } }>(
      beijing.service.url,
      reviewerOf('110000'),
      [a],
      'conduct { edges { node { period term comment } } }',
    );
    expect(archive.data?._entities[0]?.conduct.edges.map((e) => e.node.period)).toEqual(['GRADUATION', 'YEAR']);
  });
});

describe('a transfer and a repeat', () => {
  it('the results follow a transferred student: the receiving registrar sees them, the sending one no longer', async () => {
    const from = newSchool('220102');
    const to = newSchool('220103');
    const [s] = newStudents(1) as [string];
    await enrol(national, from, [s]);
    await enrol(national, to, []);
    const { courseIds } = await createPlan(national, from.schoolId, [{ code: 'T1' }]);
    await recordScores(national, from.schoolId, courseIds.T1!, { [s]: 88 });
    await deliverEvents(national.service, `${national.topicPrefix}xueji.status-change.events`, [
      createEvent('xueji.status-change.status.changed.v1', s, {
        studentId: s,
        kind: 'TRANSFER',
        effectiveDate: '2026-10-01',
        previousStatus: 'ACTIVE',
        newStatus: 'ACTIVE',
        schoolId: from.schoolId,
        regionCode: from.regionCode,
        toSchoolId: to.schoolId,
        toRegionCode: to.regionCode,
      }),
    ]);
    const seen = await resolveStudents<{
      results: { edges: { node: { courseCode: string; score: number } }[] };
      credits: { creditsEarned: number };
    }>(
      national.service.url,
      registrarOf(to.schoolId),
      [s],
      'results { edges { node { courseCode score schoolId } } } credits { creditsEarned }',
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data?._entities[0]?.results.edges.map((e) => e.node)).toEqual([
      { courseCode: 'T1', score: 88, schoolId: from.schoolId },
    ]);
    expect(seen.data?._entities[0]?.credits.creditsEarned).toBe(4);
    const sending = await resolveStudents(
      national.service.url,
      registrarOf(from.schoolId),
      [s],
      'results { edges { cursor } }',
    );
    expect(code(sending)).toBe('FORBIDDEN');
  });

  it('a repeat moves the student to the next cohort’s plan (SC-11)', async () => {
    const school = newSchool('220102');
    const [s] = newStudents(1) as [string];
    await enrol(national, school, [s]);
    await createPlan(national, school.schoolId, [{ code: 'R1' }, { code: 'R2' }], { cohortYear: 2026 });
    await createPlan(national, school.schoolId, [{ code: 'R1' }, { code: 'R2' }, { code: 'R3' }], { cohortYear: 2027 });
    const before = await resolveStudents<{ credits: { coursesOutstanding: number } }>(
      national.service.url,
      registrarOf(school.schoolId),
      [s],
      'credits { coursesOutstanding }',
    );
    expect(before.data?._entities[0]?.credits.coursesOutstanding).toBe(2);
    await deliverEvents(national.service, `${national.topicPrefix}xueji.status-change.events`, [
      createEvent('xueji.status-change.status.changed.v1', s, {
        studentId: s,
        kind: 'REPEAT',
        effectiveDate: '2027-09-01',
        previousStatus: 'ACTIVE',
        newStatus: 'ACTIVE',
        schoolId: school.schoolId,
        regionCode: school.regionCode,
      }),
    ]);
    const after = await resolveStudents<{ credits: { coursesOutstanding: number } }>(
      national.service.url,
      registrarOf(school.schoolId),
      [s],
      'credits { coursesOutstanding }',
    );
    expect(after.data?._entities[0]?.credits.coursesOutstanding).toBe(3);
  });
});

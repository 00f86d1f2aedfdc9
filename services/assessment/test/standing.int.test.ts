/**
 * The student's standing on the running service (real PostgreSQL and Kafka): status-change's
 * withdrawals, suspensions, resumptions (SC-15), expulsions and reinstatements, and enrolment's
 * cancellation at the re-check (ENR-9), consumed; a student who has left gets nothing new recorded
 * (CONFLICT, zh + en, nothing written), except a correction, a sitting held before the day, and an
 * appeal against the expulsion (AS-14); a resumed student joins the cohort of the year of return.
 */
import { randomUUID } from 'node:crypto';
import { selectOne } from '@xueji/db';
import { createEvent } from '@xueji/events';
import { writeSheet } from '@xueji/spreadsheet';
import type { StatusChangedEventKind, StatusCode } from '@xueji/vocabulary';
import { deliverEvents, graphql, resolveStudents, type GraphQLResponse } from '@xueji/testkit';
import {
  APPROVE,
  decide,
  DECIDE_SCHOOL,
  LODGE_SCHOOL,
  ok,
  RECORD_ABSENCE,
  RECORD_REWARD,
  RECORD_TRUANCY,
  refusal,
  register,
  type AppealView,
  type SanctionView,
} from './discipline-support';
import {
  createPlan,
  deploy,
  enrol,
  newSchool,
  outboxEvents,
  RECORD_CONDUCT,
  RECORD_RESULTS,
  recordScores,
  registrarOf,
  reviewerOf,
  type Deployment,
} from './results-support';

const ADULT = '2007-06-01';

let d: Deployment;
const school = newSchool('220102');
const registrar = registrarOf(school.schoolId);
const reviewer = reviewerOf('220100');
const [leaver, resumer, expelled, cancelled, enrolled] = [
  randomUUID(),
  randomUUID(),
  randomUUID(),
  randomUUID(),
  randomUUID(),
];
let plan2026: string;
let courses2026: Record<string, string>;
let courses2027: Record<string, string>;

beforeAll(async () => {
  d = await deploy('national', '2026-12-01');
  await register(
    d,
    school,
    [leaver, resumer, expelled, cancelled, enrolled].map((id) => ({ id, birthDate: ADULT })),
  );
  await enrol(d, school, [leaver, resumer, expelled, cancelled, enrolled]);
  ({ planId: plan2026, courseIds: courses2026 } = await createPlan(
    d,
    school.schoolId,
    [{ code: 'L1' }, { code: 'L2' }],
    {
      cohortYear: 2026,
    },
  ));
  courses2027 = (
    await createPlan(d, school.schoolId, [{ code: 'L1' }, { code: 'L2' }, { code: 'L3' }], { cohortYear: 2027 })
  ).courseIds;
});
afterAll(() => d?.stop());

/** status-change's `status.changed` for a student of the school. */
function statusChanged(
  studentId: string,
  kind: StatusChangedEventKind,
  previousStatus: StatusCode,
  newStatus: StatusCode,
  effectiveDate: string,
) {
  return deliverEvents(d.service, `${d.topicPrefix}xueji.status-change.events`, [
    createEvent('xueji.status-change.status.changed.v1', studentId, {
      studentId,
      kind,
      effectiveDate,
      previousStatus,
      newStatus,
      schoolId: school.schoolId,
      regionCode: school.regionCode,
    }),
  ]);
}

const results = (studentId: string, courseId: string, extra: Record<string, unknown> = {}) =>
  graphql(
    d.service.url,
    RECORD_RESULTS,
    { input: { courseId, attempt: 'REGULAR', sitting: 1, entries: [{ studentId, score: 81 }], ...extra } },
    registrar,
  );

const count = async (sql: string, params: unknown[]) =>
  (await selectOne<{ n: number }>(d.service.dataSource, sql, params))!.n;

/** What a student has on file, and the audit rows of the writes refused here. */
const written = async (studentId: string) => ({
  results: await count(`SELECT count(*)::int AS n FROM course_result WHERE student_id = $1`, [studentId]),
  truancy: await count(`SELECT count(*)::int AS n FROM attendance_record WHERE student_id = $1`, [studentId]),
  conduct: await count(`SELECT count(*)::int AS n FROM conduct_evaluation WHERE student_id = $1`, [studentId]),
  rewards: await count(`SELECT count(*)::int AS n FROM reward WHERE student_id = $1`, [studentId]),
  sanctions: await count(`SELECT count(*)::int AS n FROM sanction WHERE student_id = $1`, [studentId]),
  changed: (await outboxEvents<{ studentId: string }>(d, 'xueji.assessment.results.changed.v1')).filter(
    (e) => e.studentId === studentId,
  ).length,
  audits: await count(
    `SELECT count(*)::int AS n FROM audit_entry
      WHERE action IN ('RECORD_RESULTS', 'RECORD_TRUANCY', 'RECORD_ABSENCE', 'RECORD_CONDUCT', 'RECORD_REWARD',
                       'DECIDE_SANCTION')`,
    [],
  ),
});

/** The CONFLICT a write for a student who has left gets, in both languages. */
function conflictOf(response: GraphQLResponse, zh: string, en: string) {
  const extensions = refusal(response);
  expect(extensions).toMatchObject({ code: 'CONFLICT' });
  expect(extensions?.messageZh).toContain(zh);
  expect(extensions?.messageEn).toContain(en);
}

const outstanding = async (studentId: string) =>
  (
    await resolveStudents<{ credits: { coursesOutstanding: number } }>(
      d.service.url,
      registrar,
      [studentId],
      'credits { coursesOutstanding }',
    )
  ).data?._entities[0]?.credits.coursesOutstanding;

describe('a withdrawal (SC-16 / SC-17)', () => {
  it('refuses new results, attendance, conduct, rewards and sanctions with a CONFLICT naming the status; nothing written', async () => {
    expect((await recordScores(d, school.schoolId, courses2026.L1!, { [leaver]: 55 })).errors).toBeUndefined();
    await statusChanged(leaver, 'WITHDRAWAL', 'ACTIVE', 'WITHDRAWN', '2026-11-20');
    const before = await written(leaver);

    const result = await results(leaver, courses2026.L2!);
    conflictOf(result, '退学', 'withdrawn since 2026-11-20');
    expect(result.errors?.[0]?.extensions?.details).toMatchObject({ field: 'input.entries[0].studentId' });
    conflictOf(
      await graphql(
        d.service.url,
        RECORD_TRUANCY,
        { input: { studentId: leaver, on: '2026-11-25', hours: 10 } },
        registrar,
      ),
      '考勤',
      'attendance',
    );
    conflictOf(
      await graphql(
        d.service.url,
        RECORD_ABSENCE,
        { input: { studentId: leaver, from: '2026-11-23', to: '2026-11-27' } },
        registrar,
      ),
      '考勤',
      'attendance',
    );
    conflictOf(
      await graphql(
        d.service.url,
        RECORD_CONDUCT,
        { input: { studentId: leaver, period: 'SEMESTER', term: '2026-2027-1', grade: 'GOOD' } },
        registrar,
      ),
      '操行评定',
      'conduct evaluations',
    );
    conflictOf(
      await graphql(
        d.service.url,
        RECORD_REWARD,
        {
          input: {
            studentId: leaver,
            level: 'SCHOOL',
            scope: 'OVERALL',
            form: 'TITLE',
            title: '三好学生',
            awardedBy: '学校',
            awardedOn: '2026-11-28',
          },
        },
        registrar,
      ),
      '奖励',
      'rewards',
    );
    conflictOf(
      await decide(d, registrar, { studentId: leaver, kind: 'WARNING', decidedOn: '2026-11-28' }),
      '处分',
      'sanctions',
    );
    expect(await written(leaver)).toEqual(before);
  });

  it('still takes a correction of a result on file and a sitting held before the day the student left (GR-7)', async () => {
    expect((await results(leaver, courses2026.L1!)).data).toEqual({ recordResults: { recorded: 1, unchanged: 0 } });
    conflictOf(await results(leaver, courses2026.L2!, { examDate: '2026-11-20' }), '退学', 'withdrawn');
    expect((await results(leaver, courses2026.L2!, { examDate: '2026-11-19' })).data).toEqual({
      recordResults: { recorded: 1, unchanged: 0 },
    });
  });

  it('enrolment’s cancellation at the re-check (ENR-9) ends the status too', async () => {
    await deliverEvents(d.service, `${d.topicPrefix}xueji.enrolment.events`, [
      createEvent('xueji.enrolment.registration.cancelled.v1', cancelled, {
        studentId: cancelled,
        schoolId: school.schoolId,
        reason: '复查不合格',
        cancelledAt: '2026-11-02T02:00:00.000Z',
      }),
    ]);
    conflictOf(await results(cancelled, courses2026.L1!), '学籍已注销', 'cancelled since 2026-11-02');
  });

  it('a results sheet reports the row of a student who has left, in Chinese and English, and records the others', async () => {
    // testkit's registration: 学号 `G` + the id, 姓名 学生.
    const file = await writeSheet({
      sheetName: '成绩',
      title: '2026级 成绩登记表',
      headers: ['学号', '姓名', 'L1 课程'],
      rows: [
        [`G${enrolled}`, '学生', 90],
        [`G${cancelled}`, '学生', 90],
      ],
    });
    const report = ok(
      await graphql<{ importResults: { recorded: number; rejected: number; problems: unknown[] } }>(
        d.service.url,
        `
          mutation ($input: ResultsImportInput!) {
            importResults(input: $input) {
              recorded
              rejected
              problems {
                row
                column
                rule
                messageZh
                messageEn
              }
            }
          }
        `,
        {
          input: {
            planId: plan2026,
            attempt: 'REGULAR',
            sitting: 1,
            fileName: 'results.xlsx',
            contentBase64: file.toString('base64'),
          },
        },
        registrar,
      ),
    ).importResults;
    expect(report).toMatchObject({ recorded: 1, rejected: 1 });
    expect(report.problems).toEqual([
      {
        row: 4,
        column: '学号',
        rule: null,
        messageZh: expect.stringContaining('学籍已注销'),
        messageEn: expect.stringContaining('cancelled since 2026-11-02'),
      },
    ]);
  });
});

describe('a suspension and the resumption (SC-14, SC-15)', () => {
  it('no attendance while suspended; on resumption the student is recorded again, in the next cohort’s plan', async () => {
    expect(await outstanding(resumer)).toBe(2);
    await statusChanged(resumer, 'SUSPENSION', 'ACTIVE', 'SUSPENDED', '2026-10-15');
    // SC-13: a renewed suspension keeps the day it began.
    await statusChanged(resumer, 'SUSPENSION', 'SUSPENDED', 'SUSPENDED', '2027-03-01');
    const truancy = { input: { studentId: resumer, on: '2026-11-20', hours: 6 } };
    conflictOf(await graphql(d.service.url, RECORD_TRUANCY, truancy, registrar), '休学', 'suspended since 2026-10-15');
    // The results of the sittings before the suspension still arrive.
    expect((await results(resumer, courses2026.L1!)).errors).toBeUndefined();

    await statusChanged(resumer, 'RESUMPTION', 'SUSPENDED', 'ACTIVE', '2027-09-01');
    // One school year away: the 2027 cohort's plan, three courses none of which is sat yet.
    expect(await outstanding(resumer)).toBe(3);
    const plan = await selectOne<{ cohortYear: number; status: string }>(
      d.service.dataSource,
      `SELECT cohort_year AS "cohortYear", status FROM study_record WHERE student_id = $1`,
      [resumer],
    );
    expect(plan).toEqual({ cohortYear: 2027, status: 'ACTIVE' });
    expect((await results(resumer, courses2027.L1!)).data).toEqual({ recordResults: { recorded: 1, unchanged: 0 } });
    expect(await outstanding(resumer)).toBe(2);
    expect((await graphql(d.service.url, RECORD_TRUANCY, truancy, registrar)).errors).toBeUndefined();
  });
});

describe('an expulsion (AS-11, AS-14)', () => {
  it('refuses a new sanction or result once EXPELLED; the appeal against the expulsion goes on; a reinstatement restores', async () => {
    const expulsion = ok(
      await decide(d, registrar, {
        studentId: expelled,
        kind: 'EXPULSION',
        decidingBody: 'PRINCIPAL_OFFICE_MEETING',
        decidedOn: '2026-11-25',
      }),
    ).decideSanction;
    ok(await graphql<{ approveExpulsion: SanctionView }>(d.service.url, APPROVE, { id: expulsion.id }, reviewer));
    await statusChanged(expelled, 'EXPULSION', 'ACTIVE', 'EXPELLED', '2026-12-01');

    conflictOf(
      await decide(d, registrar, { studentId: expelled, kind: 'WARNING', decidedOn: '2026-12-01' }),
      '开除学籍',
      'expelled since 2026-12-01',
    );
    conflictOf(await results(expelled, courses2026.L1!), '开除学籍', 'expelled');

    const appeal = ok(
      await graphql<{ lodgeSchoolAppeal: AppealView }>(
        d.service.url,
        LODGE_SCHOOL,
        { input: { sanctionId: expulsion.id, receivedOn: '2026-12-01', statementRef: 'A-1' } },
        registrar,
      ),
    ).lodgeSchoolAppeal;
    expect(appeal).toMatchObject({ stage: 'SCHOOL', state: 'PENDING' });
    const decided = await graphql(
      d.service.url,
      DECIDE_SCHOOL,
      {
        input: {
          id: appeal.id,
          outcome: 'ANNUL',
          decidedOn: '2026-12-01',
          deliveredOn: '2026-12-01',
          decisionRef: 'R-1',
          reason: '事实不清',
        },
      },
      registrar,
    );
    expect(decided.errors).toBeUndefined();
    expect(await outboxEvents(d, 'xueji.assessment.appeal.decided.v1')).toEqual([
      expect.objectContaining({ studentId: expelled, expulsionLifted: true }),
    ]);

    // status-change restores the status it ended (REINSTATEMENT): the student is recorded again.
    await statusChanged(expelled, 'REINSTATEMENT', 'EXPELLED', 'ACTIVE', '2026-12-01');
    expect((await results(expelled, courses2026.L1!)).data).toEqual({ recordResults: { recorded: 1, unchanged: 0 } });
  });
});

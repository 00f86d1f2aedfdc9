/**
 * The spreadsheets: results imported from the sheet schools use (one row a student, one column a
 * course) with row-level problems in Chinese and English, idempotent; the class results sheet and
 * a student's transcript exported as .xlsx.
 */
import { randomUUID } from 'node:crypto';
import { createEvent } from '@xueji/events';
import { readSheet, writeSheet } from '@xueji/spreadsheet';
import { approvedRegistration, deliverEvents, tokenFor } from '@xueji/testkit';
import { graphql, reviewerToken } from './sheets-support';
import {
  createPlan,
  deploy,
  enrol,
  newSchool,
  newStudents,
  RECORD_CONDUCT,
  registrarOf,
  type Deployment,
} from './results-support';

let d: Deployment;
const school = newSchool('220102');
const students = newStudents(5);
let planId: string;
/** national: 学号 = `G` + the ID number (ENR-6 / ENR-11), so the sheets carry ID numbers (ADM-5). */
const numberOf = new Map(students.map((id, i) => [id, `G22010220080101123${i}`]));
const NAMES = ['甲', '乙', '丙', '丁', '戊'];
const nameOf = new Map(students.map((id, i) => [id, `张${NAMES[i]}`]));
/** A sheet row of a student: 学号, 姓名, then the course cells. */
const row = (id: string, ...cells: (string | number | null)[]) => [numberOf.get(id)!, nameOf.get(id)!, ...cells];

const IMPORT = `mutation ($input: ResultsImportInput!) {
  importResults(input: $input) { rows recorded unchanged rejected problems { row column rule messageZh messageEn } }
}`;
const CLASS_SHEET = `query ($planId: ID!, $attempt: ResultAttempt!, $sitting: Int!) {
  classResultsSheet(planId: $planId, attempt: $attempt, sitting: $sitting) { fileName contentType contentBase64 rows }
}`;
const TRANSCRIPT = `query ($id: ID!) { transcript(studentId: $id) { fileName contentBase64 rows } }`;

type Report = {
  rows: number;
  recorded: number;
  unchanged: number;
  rejected: number;
  problems: { row: number; column: string | null; rule: string | null; messageZh: string; messageEn: string }[];
};

const sheet = (rows: (string | number | null)[][], headers = ['学号', '姓名', 'M1 数学', 'M2 语文', 'PE 体育']) =>
  writeSheet({ sheetName: '成绩', title: '2026级 成绩登记表', headers, rows });

const importFile = async (content: Buffer, token = registrarOf(school.schoolId), attempt = 'REGULAR', sitting = 1) =>
  graphql<{ importResults: Report }>(
    d.service.url,
    IMPORT,
    { input: { planId, attempt, sitting, fileName: 'results.xlsx', contentBase64: content.toString('base64') } },
    token,
  );

beforeAll(async () => {
  d = await deploy('national');
  await enrol(d, school, []);
  // enrolment's events: the name (student.registered) and the student number (registration.approved).
  await deliverEvents(
    d.service,
    `${d.topicPrefix}xueji.enrolment.events`,
    students.flatMap((studentId) => [
      createEvent('xueji.enrolment.student.registered.v1', studentId, {
        studentId,
        ...school,
        name: nameOf.get(studentId)!,
        registeredAt: '2026-09-01T01:00:00.000Z',
      }),
      approvedRegistration({
        studentId,
        ...school,
        entryDate: '2026-09-01',
        approvedAt: '2026-09-20T02:00:00.000Z',
        studentNumber: numberOf.get(studentId)!,
      }),
    ]),
  );
  ({ planId } = await createPlan(d, school.schoolId, [
    { code: 'M1' },
    { code: 'M2' },
    { code: 'PE', physicalEducation: true, assessmentType: 'TEST', credits: 2 },
  ]));
});

afterAll(async () => {
  await d?.stop();
});

it('exports the class sheet as the template: one row a student, one column a course', async () => {
  const response = await graphql<{ classResultsSheet: { contentBase64: string; rows: number; contentType: string } }>(
    d.service.url,
    CLASS_SHEET,
    { planId, attempt: 'REGULAR', sitting: 1 },
    registrarOf(school.schoolId),
  );
  expect(response.errors).toBeUndefined();
  const file = response.data!.classResultsSheet;
  expect(file.rows).toBe(5);
  const rows = await readSheet(Buffer.from(file.contentBase64, 'base64'));
  expect(rows[1]).toEqual(['学号', '姓名', 'M1 课程 M1', 'M2 课程 M2', 'PE 课程 PE']);
  // One row a student, keyed by 学号 with 姓名, in student-number order.
  expect(rows.slice(2).map((r) => [r[0], r[1]])).toEqual(students.map((id) => [numberOf.get(id), nameOf.get(id)]));
});

it('imports the filled sheet; rows with problems are reported in Chinese and English and not recorded', async () => {
  const [a, b, c, e, f] = students as [string, string, string, string, string];
  const file = await sheet([
    row(a, 88, '良', '及格'),
    row(b, 55, 70, '合格'),
    row(c, 101, 60, null), // a score over 100: the whole row is refused
    row(e, '很好', 60, null), // an unreadable cell
    ['G220102200801019999', '张戊', 60, 60, null], // a student number of no student of the school
    [numberOf.get(f)!, '李四', 60, 60, null], // f's number with another name
  ]);
  const response = await importFile(file);
  expect(response.errors).toBeUndefined();
  const report = response.data!.importResults;
  expect(report).toMatchObject({ rows: 6, recorded: 6, unchanged: 0, rejected: 4 });
  expect(report.problems.map((p) => [p.row, p.column])).toEqual([
    [5, 'M1 数学'],
    [6, 'M1 数学'],
    [7, '学号'],
    [8, '姓名'],
  ]);
  expect(report.problems[0]!.messageZh).toContain('第 5 行');
  expect(report.problems[0]!.messageEn).toContain('Row 5');
  // The name checked against the number's student: refused naming the row, in Chinese and English.
  expect(report.problems[3]).toMatchObject({
    messageZh: '第 8 行：姓名与该学号的学生不符',
    messageEn: 'Row 8: the name does not match the student with this student number',
  });
  const rows = (await d.service.dataSource.query(
    `SELECT count(*)::int AS n FROM course_result WHERE student_id = ANY ($1::uuid[])`,
    [[c, e, f]],
  )) as { n: number }[];
  expect(rows[0]!.n).toBe(0);
});

it('importing the same file again changes nothing', async () => {
  const [a, b] = students as [string, string];
  const file = await sheet([row(a, 88, '良', '及格'), [numberOf.get(b)!, ' 张 乙 ', 55, 70, '合格']]);
  const before = (await d.service.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message`)) as { n: number }[];
  const again = await importFile(file);
  expect(again.data?.importResults).toMatchObject({ recorded: 0, unchanged: 6, rejected: 0, problems: [] });
  const after = (await d.service.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message`)) as { n: number }[];
  expect(after[0]!.n).toBe(before[0]!.n);
});

it('a make-up sheet follows AS-3 row by row; the file is refused for another school or a column not in the plan', async () => {
  const [a, b] = students as [string, string];
  const makeUp = await importFile(
    await sheet([
      row(a, 70, null, null), // a passed M1: no make-up
      row(b, 65, null, null),
    ]),
    registrarOf(school.schoolId),
    'MAKE_UP',
    1,
  );
  expect(makeUp.data?.importResults).toMatchObject({ recorded: 1, rejected: 1 });
  expect(makeUp.data?.importResults.problems[0]).toMatchObject({ row: 3, column: 'M1 数学', rule: 'AS-3' });

  const foreign = await importFile(await sheet([row(a, 70, null, null)]), registrarOf(randomUUID()));
  expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const stranger = await importFile(await sheet([row(a, 70)], ['学号', '姓名', 'X9 化学']));
  expect(stranger.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  // The old layout (assessment's internal student id) is no longer read: the header needs 学号 and 姓名.
  const oldLayout = await importFile(await sheet([[a, '甲', 70]], ['学生编号', '姓名', 'M1 数学']));
  expect(oldLayout.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  const noName = await importFile(await sheet([[numberOf.get(a)!, 70]], ['学号', 'M1 数学']));
  expect(noName.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(stranger.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  const notXlsx = await importFile(Buffer.from('not a workbook'));
  expect(notXlsx.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
});

it('exports a student’s transcript with every sitting, the totals and the conduct', async () => {
  const [, b] = students as [string, string];
  await graphql(
    d.service.url,
    RECORD_CONDUCT,
    { input: { studentId: b, period: 'SEMESTER', term: '2026-2027-1', grade: 'GOOD' } },
    registrarOf(school.schoolId),
  );
  const response = await graphql<{ transcript: { contentBase64: string; rows: number } }>(
    d.service.url,
    TRANSCRIPT,
    { id: b },
    reviewerToken('220100'),
  );
  expect(response.errors).toBeUndefined();
  const rows = await readSheet(Buffer.from(response.data!.transcript.contentBase64, 'base64'));
  expect(rows[1]).toEqual(['学期', '课程代码', '课程名称', '学分', '考核', '成绩', '是否合格']);
  const body = rows.slice(2, 2 + response.data!.transcript.rows);
  expect(body.map((r) => [r[1], r[4], r[5], r[6]])).toEqual([
    ['M1', '正常', '55', '不合格'],
    ['M1', '补考1', '65', '合格'],
    ['M2', '正常', '70', '合格'],
    ['PE', '正常', '及格', '合格'],
  ]);
  expect(rows.some((r) => r[0] === '操行 2026-2027-1' && r[1] === '良好')).toBe(true);
  // 学号 and 姓名 on the transcript: whole for a reviewer (who may read ID numbers, ADM-5) …
  expect(rows[0]![0]).toBe(`学生成绩单（学号 ${numberOf.get(b)}，姓名 张乙）`);
  // … and through maskIdentity for an officer: the ID number inside the student number masked.
  const officer = tokenFor({ subject: 'officer-2201', role: 'SUBSIDY_OFFICER', regionCode: '220100' });
  const masked = await graphql<{ transcript: { contentBase64: string } }>(
    d.service.url,
    TRANSCRIPT,
    { id: b },
    officer,
  );
  const maskedRows = await readSheet(Buffer.from(masked.data!.transcript.contentBase64, 'base64'));
  expect(maskedRows[0]![0]).toBe('学生成绩单（学号 G2201**********1231，姓名 张乙）');
  const officerSheet = await graphql<{ classResultsSheet: { contentBase64: string } }>(
    d.service.url,
    CLASS_SHEET,
    { planId, attempt: 'REGULAR', sitting: 1 },
    officer,
  );
  const officerRows = await readSheet(Buffer.from(officerSheet.data!.classResultsSheet.contentBase64, 'base64'));
  expect(officerRows.slice(2).map((r) => r[0])).toEqual(students.map((_, i) => `G2201**********123${i}`));
  const foreign = await graphql(d.service.url, TRANSCRIPT, { id: b }, registrarOf(randomUUID()));
  expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

it('AS-3 timing: a make-up sheet carries its exam date, inside the make-up period the school set', async () => {
  const [, b] = students as [string, string];
  const period = { planId, studyYear: 1, semester: 1, startsOn: '2026-10-08', endsOn: '2026-10-09' };
  const set = await graphql(
    d.service.url,
    `
      mutation ($input: MakeUpPeriodInput!) {
        setMakeUpPeriod(input: $input) {
          id
        }
      }
    `,
    { input: period },
    registrarOf(school.schoolId),
  );
  expect(set.errors).toBeUndefined();
  const file = await sheet([row(b, 65, null, null)]);
  const importMakeUp = (examDate?: string) =>
    graphql<{ importResults: Report }>(
      d.service.url,
      IMPORT,
      {
        input: {
          planId,
          attempt: 'MAKE_UP',
          sitting: 1,
          fileName: 'make-up.xlsx',
          contentBase64: file.toString('base64'),
          ...(examDate ? { examDate } : {}),
        },
      },
      registrarOf(school.schoolId),
    );
  expect((await importMakeUp()).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect((await importMakeUp('2026-10-07')).errors?.[0]?.extensions).toMatchObject({
    code: 'POLICY_VIOLATION',
    rule: 'AS-3',
  });
  // Inside the period: the date is added to the make-up already recorded; the same file again changes nothing.
  expect((await importMakeUp('2026-10-09')).data?.importResults).toMatchObject({ recorded: 1, rejected: 0 });
  expect((await importMakeUp('2026-10-09')).data?.importResults).toMatchObject({ recorded: 0, unchanged: 1 });
});

it('the sheet follows enrolment: a corrected name (SC-21) and a newer student number replace the old ones', async () => {
  const [a] = students as [string];
  await deliverEvents(d.service, `${d.topicPrefix}xueji.enrolment.events`, [
    createEvent('xueji.enrolment.personal-data.corrected.v1', a, {
      studentId: a,
      requestId: randomUUID(),
      effectiveDate: '2026-10-01',
      corrections: [{ field: 'name', newValue: '张新' }],
      correctedAt: '2026-10-01T02:00:00.000Z',
    }),
    approvedRegistration(
      {
        studentId: a,
        ...school,
        entryDate: '2026-09-01',
        approvedAt: '2026-10-02T02:00:00.000Z',
        studentNumber: 'G220102200801011299',
      },
      { time: new Date(Date.now() + 60_000) }, // newer than the first approval (published at the clock's now)
    ),
    // An older approval delivered late does not bring the old number back.
    approvedRegistration(
      {
        studentId: a,
        ...school,
        entryDate: '2026-09-01',
        approvedAt: '2026-09-20T02:00:00.000Z',
        studentNumber: numberOf.get(a)!,
      },
      { time: new Date('2026-09-20T02:00:00.000Z') },
    ),
  ]);
  const regular = async (rows: (string | number | null)[][]) => importFile(await sheet(rows));
  const oldName = (await regular([['G220102200801011299', '张甲', 88, '良', '及格']])).data?.importResults;
  expect(oldName?.problems.map((p) => [p.row, p.column])).toEqual([[3, '姓名']]);
  const oldNumber = (await regular([[numberOf.get(a)!, '张新', 88, '良', '及格']])).data?.importResults;
  expect(oldNumber?.problems.map((p) => [p.row, p.column])).toEqual([[3, '学号']]);
  const current = (await regular([['G220102200801011299', '张新', 88, '良', '及格']])).data?.importResults;
  expect(current).toMatchObject({ recorded: 0, unchanged: 3, rejected: 0 });
});

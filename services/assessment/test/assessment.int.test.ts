import { randomUUID } from 'node:crypto';
import { createEvent } from '@xueji/events';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  auditRows,
  countStatements,
  createTestDatabase,
  deliverEvents,
  dropTestDatabase,
  resolveStudents,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { assessment } from '../src/service';

const SCHOOL = randomUUID();
const REGION = '220102';
const registrar = tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId: SCHOOL });

let service: RunningService;
let databaseUrl: string;
let topicPrefix: string;
const students = Array.from({ length: 100 }, () => randomUUID());

const registered = (studentId: string) =>
  createEvent('xueji.enrolment.student.registered.v1', studentId, {
    studentId,
    schoolId: SCHOOL,
    regionCode: REGION,
    name: '学生',
    registeredAt: new Date().toISOString(),
  });

beforeAll(async () => {
  databaseUrl = await createTestDatabase('assessment');
  topicPrefix = testTopicPrefix();
  // The service clock says spring 2027; the machine's clock may say anything else.
  const config = testServiceConfig('assessment', { databaseUrl, topicPrefix, relay: false, today: '2027-03-10' });
  service = await startService(assessment, config);
  await deliverEvents(service, `${topicPrefix}xueji.enrolment.events`, students.map(registered));
});

afterAll(async () => {
  await service?.stop();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

it('writes one audit row per applied event, naming the event', async () => {
  const rows = await auditRows(service.dataSource);
  expect(rows).toHaveLength(students.length);
  expect(rows[0]).toMatchObject({ role: 'SYSTEM', action: 'RECORD_STUDENT_SCOPE', entity: 'student_scope' });
  expect(rows[0]!.actor).toMatch(/^xueji\.enrolment\.student\.registered\.v1#/);
  expect(new Set(rows.map((r) => r.entityId))).toEqual(new Set(students));
});

it("counts this semester's truant hours by the service clock, not the machine's", async () => {
  const [student] = students;
  await service.dataSource.query(
    `INSERT INTO attendance_record (student_id, semester, truant_hours) VALUES ($1, '2026-2027-2', 12), ($1, '2026-2027-1', 5)`,
    [student],
  );
  const response = await resolveStudents(service.url, registrar, [student!], 'assessment { truantHoursThisSemester }');
  expect(response.errors).toBeUndefined();
  expect(response.data?._entities).toEqual([{ assessment: { truantHoursThisSemester: 12 } }]);
});

it('resolves 100 students in one _entities call for what one student costs', async () => {
  const selection = 'id assessment { resultsRecorded truantHoursThisSemester }';
  const one = await countStatements(service.dataSource, () =>
    resolveStudents(service.url, registrar, students.slice(0, 1), selection),
  );
  const hundred = await countStatements(service.dataSource, () =>
    resolveStudents(service.url, registrar, students, selection),
  );
  expect(hundred.result.errors).toBeUndefined();
  expect(hundred.result.data?._entities).toHaveLength(100);
  expect(hundred.statements).toBe(one.statements);
  expect(hundred.statements).toBeLessThanOrEqual(2);
});

it('resolves part B’s Student fields (sanctions with their appeals, attendance, rewards, internships, graduation inputs) for 100 students at the cost of one', async () => {
  // Each student has a sanction in effect with an appeal (AS-10, AS-14), and truant hours (AS-8).
  await service.dataSource.query(
    `WITH s AS (
       INSERT INTO sanction (student_id, school_id, region_code, kind, state, decided_on, deciding_body, reason,
                             decision_ref, effective_on, recorded_by, recorded_at)
       SELECT id, $2, $3, 'WARNING', 'EFFECTIVE', '2027-03-01', 'SCHOOL_OFFICE', '违纪', 'D', '2027-03-01', 't', now()
         FROM unnest($1::uuid[]) AS id
       RETURNING id, student_id)
     INSERT INTO appeal (sanction_id, student_id, school_id, region_code, stage, state, received_on, statement_ref,
                         recorded_by, recorded_at)
     SELECT id, student_id, $2, $3, 'SCHOOL', 'PENDING', '2027-03-05', 'A', 't', now() FROM s`,
    [students, SCHOOL, REGION],
  );
  await service.dataSource.query(
    `INSERT INTO attendance_record (student_id, semester, truant_hours) SELECT id, '2026-2027-2', 3 FROM unnest($1::uuid[]) AS id`,
    [students],
  );
  // A reward, an internship and a graduation input each (AS-9, AS-7, AS-17).
  await service.dataSource.query(
    `WITH r AS (
       INSERT INTO reward (student_id, school_id, region_code, level, scope, form, title, awarded_by, awarded_on,
                           recorded_by, recorded_at)
       SELECT id, $2, $3, 'SCHOOL', 'OVERALL', 'TITLE', '三好学生', '学校', '2027-01-10', 't', now()
         FROM unnest($1::uuid[]) AS id),
     i AS (
       INSERT INTO internship (student_id, school_id, region_code, employer, post, starts_on, ends_on, agreement_ref,
                               state, recorded_by, recorded_at)
       SELECT id, $2, $3, '企业', '岗位', '2027-03-01', '2027-06-30', 'A', 'PLACED', 't', now()
         FROM unnest($1::uuid[]) AS id)
     INSERT INTO graduation_input (student_id, kind, school_id, passed, held_on, ref, recorded_by, recorded_at)
     SELECT id, 'SKILLS_COMPETITION', $2, true, '2027-01-05', 'R', 't', now() FROM unnest($1::uuid[]) AS id`,
    [students, SCHOOL, REGION],
  );
  const selection = `id sanctions(first: 5) { edges { node { id kind appeals { id stage } } } } attendance { truantHours absentDays }
    rewards { edges { node { id title } } } internships { edges { node { id state } } } graduationInputs { kind passed }`;
  const one = await countStatements(service.dataSource, () =>
    resolveStudents(service.url, registrar, students.slice(0, 1), selection),
  );
  const hundred = await countStatements(service.dataSource, () =>
    resolveStudents(service.url, registrar, students, selection),
  );
  expect(hundred.result.errors).toBeUndefined();
  expect(hundred.result.data?._entities).toHaveLength(100);
  expect(hundred.statements).toBe(one.statements);
  // The scope, the sanctions, their appeals, the attendance, rewards, internships, graduation inputs: one statement each.
  expect(hundred.statements).toBeLessThanOrEqual(7);
});

it('resolves part A’s Student fields (results, credits, conduct) for 100 students at the cost of one', async () => {
  // Each student studies a plan of one course with a result and a conduct grade (AS-1, AS-2).
  await service.dataSource.query(
    `WITH p AS (
       INSERT INTO teaching_plan (school_id, region_code, major_code, cohort_year, name, make_ups_per_course, created_at)
       VALUES ($2, $3, '710201', 2026, '计划', 1, now()) RETURNING id),
     c AS (
       INSERT INTO course (plan_id, code, name, study_year, semester, credits, class_hours, assessment_type, requirement,
                           category, physical_education)
       SELECT id, 'C1', '课程', 1, 1, 4, 64, 'EXAM', 'COMPULSORY', 'PROFESSIONAL', false FROM p RETURNING id),
     s AS (
       INSERT INTO study_record (student_id, school_id, major_code, cohort_year, entry_date, study_form, as_of)
       SELECT id, $2, '710201', 2026, '2026-09-01', 'FULL_TIME', now() FROM unnest($1::uuid[]) AS id RETURNING student_id)
     INSERT INTO course_result (student_id, semester, course, score, course_id, school_id, attempt, sitting, passed,
                                recorded_at)
     SELECT s.student_id, '2026-2027-1', 'C1', 80, c.id, $2, 'REGULAR', 1, true, now() FROM s, c`,
    [students, SCHOOL, REGION],
  );
  await service.dataSource.query(
    `INSERT INTO conduct_evaluation (student_id, school_id, period, term, grade, recorded_at)
     SELECT id, $2, 'SEMESTER', '2026-2027-1', 'GOOD', now() FROM unnest($1::uuid[]) AS id`,
    [students, SCHOOL],
  );
  await service.dataSource.query(
    `INSERT INTO credit_recognition (student_id, school_id, kind, certificate_code, credits, evidence_ref, recorded_at)
     SELECT id, $2, 'SKILL_CERTIFICATE', 'CERT', 0, 'cert.pdf', now() FROM unnest($1::uuid[]) AS id`,
    [students, SCHOOL],
  );
  const selection =
    'id results(first: 5) { edges { node { courseCode score } } } credits { creditsEarned coursesPassed } conduct(first: 5) { edges { node { grade } } } creditRecognitions(first: 5) { edges { node { certificateCode } } }';
  const one = await countStatements(service.dataSource, () =>
    resolveStudents(service.url, registrar, students.slice(0, 1), selection),
  );
  const hundred = await countStatements(service.dataSource, () =>
    resolveStudents(service.url, registrar, students, selection),
  );
  expect(hundred.result.errors).toBeUndefined();
  expect(hundred.result.data?._entities).toHaveLength(100);
  expect(hundred.result.data?._entities[0]).toMatchObject({ credits: { creditsEarned: 4, coursesPassed: 1 } });
  expect(hundred.statements).toBe(one.statements);
  expect(hundred.result.data?._entities[0]).toMatchObject({
    creditRecognitions: { edges: [{ node: { certificateCode: 'CERT' } }] },
  });
  // The scope; the results; the conduct; the recognitions (AS-4); the credits: plans, courses, sittings, recognitions.
  expect(hundred.statements).toBeLessThanOrEqual(8);
});

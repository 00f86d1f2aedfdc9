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

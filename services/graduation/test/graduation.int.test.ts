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
import { graduation } from '../src/service';

const SCHOOL = randomUUID();
const registrar = tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId: SCHOOL });
const students = Array.from({ length: 100 }, () => randomUUID());

let service: RunningService;
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase('graduation');
  const topicPrefix = testTopicPrefix();
  service = await startService(graduation, testServiceConfig('graduation', { databaseUrl, topicPrefix, relay: false }));
  const registered = students.map((studentId) =>
    createEvent('xueji.enrolment.student.registered.v1', studentId, {
      studentId,
      schoolId: SCHOOL,
      regionCode: '220102',
      name: '学生',
      registeredAt: new Date().toISOString(),
    }),
  );
  await deliverEvents(service, `${topicPrefix}xueji.enrolment.events`, registered);
});

afterAll(async () => {
  await service?.stop();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

it('writes one audit row per applied event', async () => {
  const rows = await auditRows(service.dataSource);
  // Events of different students arrive over several partitions, in no set order.
  expect(rows.map((r) => [r.role, r.action, r.entityId]).sort()).toEqual(
    students.map((id) => ['SYSTEM', 'RECORD_REGISTRATION', id]).sort(),
  );
});

it('resolves 100 students in one _entities call for what one student costs', async () => {
  await service.dataSource.query(
    `INSERT INTO graduation_case (student_id, stage, diploma_number) VALUES ($1, 'DIPLOMA_ISSUED', 'D-1')`,
    [students[1]],
  );
  const selection = 'graduation { stage diplomaNumber }';
  const one = await countStatements(service.dataSource, () =>
    resolveStudents(service.url, registrar, students.slice(0, 1), selection),
  );
  const hundred = await countStatements(service.dataSource, () =>
    resolveStudents(service.url, registrar, students, selection),
  );
  expect(hundred.result.errors).toBeUndefined();
  expect(hundred.result.data?._entities[0]).toEqual({ graduation: { stage: 'NOT_STARTED', diplomaNumber: null } });
  expect(hundred.result.data?._entities[1]).toEqual({ graduation: { stage: 'DIPLOMA_ISSUED', diplomaNumber: 'D-1' } });
  expect(hundred.statements).toBe(one.statements);
  expect(hundred.statements).toBeLessThanOrEqual(2);
});

it('the audit and the certificates of 100 students cost what one student’s do (one batch of statements)', async () => {
  const selection =
    'graduation { stage audit { outcome lacking conditions { condition met factsJson } } certificates { number } }';
  const one = await countStatements(service.dataSource, () =>
    resolveStudents(service.url, registrar, students.slice(0, 1), selection),
  );
  const hundred = await countStatements(service.dataSource, () =>
    resolveStudents(service.url, registrar, students, selection),
  );
  expect(hundred.result.errors).toBeUndefined();
  expect(hundred.result.data?._entities).toHaveLength(100);
  expect(hundred.statements).toBe(one.statements);
  // scope, case, then the audit's facts: students, conduct, internships, inputs, certificates held, sanctions, certificates,
  // and the records approved in time or not (GR-1 jilin).
  expect(hundred.statements).toBeLessThanOrEqual(10);
});

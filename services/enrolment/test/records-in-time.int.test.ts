/**
 * ADM-3 / SC-22 (GR-1 jilin): enrolment publishes, with each approved registration, whether the authority
 * approved it within the month the school submitted it (China time), and passes on status-change's
 * judgement of a data change with the correction it applied. Real PostgreSQL and Kafka; the clock moves.
 */
import { randomUUID } from 'node:crypto';
import { onFixedDate } from '@xueji/config';
import { selectRows } from '@xueji/db';
import { createEvent } from '@xueji/events';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  deliverEvents,
  dropTestDatabase,
  graphql,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { APPROVE, registration, school, seedSchools, SUBMIT } from '../../../test/support/enrolment';
import { enrolment } from '../src/service';

jest.setTimeout(60_000);

let service: RunningService;
let databaseUrl: string;
let topicPrefix: string;
let day = '2026-09-15';
let schoolId: string;
const registrar = () => tokenFor({ subject: 'registrar-t', role: 'SCHOOL_REGISTRAR', schoolId });
const reviewer = tokenFor({ subject: 'reviewer-t', role: 'AUTHORITY_REVIEWER', regionCode: '220102' });

beforeAll(async () => {
  databaseUrl = await createTestDatabase('enrolment_in_time');
  topicPrefix = testTopicPrefix();
  const config = testServiceConfig('enrolment', { databaseUrl, topicPrefix, profile: 'national', today: day });
  service = await startService(enrolment, { ...config, today: () => day, now: () => onFixedDate(day, new Date()) });
  [schoolId] = (await seedSchools(service, [school('T01', '220102')])) as [string];
});
afterAll(async () => {
  await service?.stop();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

/** The data of the student's events of this type in the outbox, oldest first. */
const published = (studentId: string, type: string) =>
  selectRows<{ data: Record<string, unknown> }>(
    service.dataSource,
    `SELECT payload::jsonb AS data FROM outbox_message WHERE message_key = $1 AND event_type = $2 ORDER BY seq`,
    [studentId, type],
  );

/** Submit a registration on `submittedOn`, approve it on `approvedOn`; the student's id. */
async function registered(n: number, submittedOn: string, approvedOn: string): Promise<string> {
  day = submittedOn;
  const submitted = await graphql<{ submitRegistration: { id: string } }>(
    service.url,
    SUBMIT,
    { input: registration(schoolId, '220102', n) },
    registrar(),
  );
  expect(submitted.errors).toBeUndefined();
  const id = submitted.data!.submitRegistration.id;
  day = approvedOn;
  const approved = await graphql<{ approveRegistrations: { decided: { id: string }[] } }>(
    service.url,
    APPROVE,
    { ids: [id] },
    reviewer,
  );
  expect(approved.errors).toBeUndefined();
  expect(approved.data!.approveRegistrations.decided.map((d) => d.id)).toEqual([id]);
  return id;
}

it('a registration approved within the month of its submission: in time', async () => {
  const id = await registered(71, '2026-09-15', '2026-09-30');
  const [event] = await published(id, 'xueji.enrolment.registration.approved.v1');
  expect(event!.data).toMatchObject({ submittedOn: '2026-09-15', approvedOn: '2026-09-30', approvedInTime: true });
});

it('approved in the next month: late', async () => {
  const id = await registered(72, '2026-09-20', '2026-10-03');
  const [event] = await published(id, 'xueji.enrolment.registration.approved.v1');
  expect(event!.data).toMatchObject({ submittedOn: '2026-09-20', approvedOn: '2026-10-03', approvedInTime: false });
});

it('a correction applied carries status-change’s judgement of the data change on', async () => {
  const id = await registered(73, '2026-10-05', '2026-10-06');
  const requestId = randomUUID();
  await deliverEvents(service, `${topicPrefix}xueji.status-change.events`, [
    createEvent('xueji.status-change.personal-data.correction-approved.v1', id, {
      requestId,
      studentId: id,
      effectiveDate: '2026-10-20',
      corrections: [{ field: 'name', oldValue: null, newValue: '学生丙' }],
      submittedOn: '2026-10-12',
      approvedOn: '2026-11-02',
      approvedInTime: false,
    }),
  ]);
  const [event] = await published(id, 'xueji.enrolment.personal-data.corrected.v1');
  expect(event!.data).toMatchObject({
    requestId,
    submittedOn: '2026-10-12',
    approvedOn: '2026-11-02',
    approvedInTime: false,
  });
});

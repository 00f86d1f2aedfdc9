/**
 * One clock for everything the domain writes (issue 10, "Services that disagree"): under
 * XUEJI_CLOCK_DATE a registration's timestamp, its decision's and the events' times fall on that
 * date, so a fixed past date does not make every registration look late to subsidy (SB-4) nor sort
 * history wrongly.
 */
import { chinaDate } from '@xueji/config';
import { selectRows } from '@xueji/db';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  graphql,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { APPROVE, registration, school, seedSchools, SUBMIT, TEST_TODAY } from '../../../test/support/enrolment';
import { enrolment } from '../src/service';

jest.setTimeout(60_000);

let service: RunningService;
let databaseUrl: string;

beforeAll(async () => {
  expect(TEST_TODAY).not.toBe(chinaDate()); // the fixed date must differ from the real one to show anything
  databaseUrl = await createTestDatabase('enrolment_clock');
  service = await startService(
    enrolment,
    testServiceConfig('enrolment', {
      databaseUrl,
      topicPrefix: testTopicPrefix(),
      profile: 'national',
      today: TEST_TODAY,
    }),
  );
});
afterAll(async () => {
  await service?.stop();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

it('registration, approval and their events are stamped on the service clock’s date', async () => {
  const [schoolId] = (await seedSchools(service, [school('C01', '220102')])) as [string];
  const registrar = tokenFor({ subject: 'registrar-c', role: 'SCHOOL_REGISTRAR', schoolId });
  const reviewer = tokenFor({ subject: 'reviewer-c', role: 'AUTHORITY_REVIEWER', regionCode: '220102' });

  const submitted = await graphql<{ submitRegistration: { id: string; registeredAt: string } }>(
    service.url,
    SUBMIT.replace('submitRegistration(input: $input) {', 'submitRegistration(input: $input) {\n      registeredAt'),
    { input: registration(schoolId, '220102', 41) },
    registrar,
  );
  expect(submitted.errors).toBeUndefined();
  const { id, registeredAt } = submitted.data!.submitRegistration;
  expect(chinaDate(new Date(registeredAt))).toBe(TEST_TODAY);

  const approved = await graphql(service.url, APPROVE, { ids: [id] }, reviewer);
  expect(approved.errors).toBeUndefined();
  const [stored] = await selectRows<{ registered_at: Date; decided_at: Date }>(
    service.dataSource,
    `SELECT registered_at, decided_at FROM student WHERE id = $1`,
    [id],
  );
  expect(chinaDate(stored!.registered_at)).toBe(TEST_TODAY);
  expect(chinaDate(stored!.decided_at)).toBe(TEST_TODAY);
  // The clock keeps moving within the day: the decision is not before the registration.
  expect(stored!.decided_at.getTime()).toBeGreaterThanOrEqual(stored!.registered_at.getTime());

  const events = await selectRows<{ event_type: string; time: string; data: Record<string, string> }>(
    service.dataSource,
    `SELECT event_type, headers->>'ce_time' AS time, payload::jsonb AS data
       FROM outbox_message WHERE message_key = $1 ORDER BY seq`,
    [id],
  );
  expect(events.map((e) => e.event_type)).toEqual([
    'xueji.enrolment.student.registered.v1',
    'xueji.enrolment.registration.approved.v1',
  ]);
  for (const e of events) expect(chinaDate(new Date(e.time))).toBe(TEST_TODAY);
  expect(chinaDate(new Date(events[0]!.data.registeredAt!))).toBe(TEST_TODAY);
  expect(chinaDate(new Date(events[1]!.data.approvedAt!))).toBe(TEST_TODAY);
});

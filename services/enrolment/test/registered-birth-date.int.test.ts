/**
 * AS-11 (issue 11): a registration's event carries the student's date of birth (optional in the
 * contract), so assessment can tell a minor on a sanction's decision date; the ID number stays
 * internal as before.
 */
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  graphql,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { registration, school, seedSchools, SUBMIT, TEST_TODAY } from '../../../test/support/enrolment';
import { enrolment } from '../src/service';

describe('student.registered carries the birth date (AS-11)', () => {
  let service: RunningService;
  let databaseUrl: string;
  let schoolId: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('enrolment_birth');
    service = await startService(
      enrolment,
      testServiceConfig('enrolment', { databaseUrl, topicPrefix: testTopicPrefix(), relay: false, today: TEST_TODAY }),
    );
    [schoolId] = (await seedSchools(service, [school('BD01', '220102')])) as [string];
  });
  afterAll(async () => {
    await service?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it('a submitted registration publishes the birth date of its ID card', async () => {
    const input = registration(schoolId, '220102', 501);
    const registrar = tokenFor({ subject: 'registrar-bd', role: 'SCHOOL_REGISTRAR', schoolId });
    const submitted = await graphql<{ submitRegistration: { id: string } }>(service.url, SUBMIT, { input }, registrar);
    expect(submitted.errors).toBeUndefined();
    const id = submitted.data!.submitRegistration.id;
    const events = (await service.dataSource.query(
      `SELECT payload::jsonb AS data FROM outbox_message
        WHERE message_key = $1 AND event_type = 'xueji.enrolment.student.registered.v1'`,
      [id],
    )) as { data: Record<string, unknown> }[];
    expect(events).toEqual([{ data: expect.objectContaining({ studentId: id, birthDate: input.birthDate }) }]);
  });
});

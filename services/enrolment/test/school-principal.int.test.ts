/**
 * GR-11: the public lookup of a certificate shows the holder's sex and the school's principal, so
 * enrolment publishes both: `student.registered` carries the sex (never an ID number beyond the
 * internal field it always had), `school.registered` the principal's name, set by the school's
 * registrar (at most 30 characters, a name's letters only).
 */
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  graphql,
  ok,
  refusedWith,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { registration, school, seedSchools, SUBMIT, TEST_TODAY } from '../../../test/support/enrolment';
import { enrolment } from '../src/service';

const PRINCIPAL = `mutation ($input: SchoolPrincipalInput!) { setSchoolPrincipal(input: $input) { id principalName } }`;
const SCHOOL = `query ($id: ID!) { school(id: $id) { id principalName } }`;

describe('GR-11: sex and principal in enrolment’s events (real PostgreSQL and Kafka)', () => {
  let service: RunningService;
  let databaseUrl: string;
  let A: string;
  let B: string;
  const registrar = (schoolId: string) =>
    tokenFor({ subject: `registrar-${schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId });
  const events = async (type: string, key: string) =>
    (
      (await service.dataSource.query(
        `SELECT payload::jsonb AS data FROM outbox_message WHERE message_key = $1 AND event_type = $2 ORDER BY seq`,
        [key, type],
      )) as { data: Record<string, unknown> }[]
    ).map((e) => e.data);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('enrolment_principal');
    service = await startService(
      enrolment,
      testServiceConfig('enrolment', { databaseUrl, topicPrefix: testTopicPrefix(), relay: false, today: TEST_TODAY }),
    );
    [A, B] = (await seedSchools(service, [
      school('PR01', '220102'),
      school('PR02', '220102', { principalName: '赵校长' }),
    ])) as [string, string];
  });
  afterAll(async () => {
    await service?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it('GR-11: a registration publishes the student’s sex', async () => {
    const input = registration(A, '220102', 611);
    const data = ok(
      await graphql<{ submitRegistration: { id: string } }>(service.url, SUBMIT, { input }, registrar(A)),
    );
    const [event] = await events('xueji.enrolment.student.registered.v1', data.submitRegistration.id);
    expect(event).toEqual(expect.objectContaining({ name: input.name, sex: input.sex }));
    expect(['MALE', 'FEMALE']).toContain(event!.sex);
  });

  it('GR-11: a seeded school publishes its principal; one without states none', async () => {
    expect((await events('xueji.enrolment.school.registered.v1', B)).at(-1)).toEqual(
      expect.objectContaining({ schoolId: B, principalName: '赵校长' }),
    );
    expect((await events('xueji.enrolment.school.registered.v1', A)).at(-1)).not.toHaveProperty('principalName');
  });

  it('GR-11: the registrar sets the principal; the school record is published again with it', async () => {
    const data = ok(
      await graphql<{ setSchoolPrincipal: { principalName: string } }>(
        service.url,
        PRINCIPAL,
        { input: { schoolId: A, principalName: ' 王建国 ' } },
        registrar(A),
      ),
    );
    expect(data.setSchoolPrincipal.principalName).toBe('王建国');
    const read = ok(await graphql<{ school: { principalName: string } }>(service.url, SCHOOL, { id: A }, registrar(A)));
    expect(read.school.principalName).toBe('王建国');
    const published = await events('xueji.enrolment.school.registered.v1', A);
    expect(published.at(-1)).toEqual(
      expect.objectContaining({ schoolId: A, principalName: '王建国', status: 'ACTIVE' }),
    );
  });

  it('GR-11: refused when too long, not a name, blank, or another school’s', async () => {
    const set = (principalName: string, schoolId = A, as = A) =>
      graphql(service.url, PRINCIPAL, { input: { schoolId, principalName } }, registrar(as));
    refusedWith(await set('王'.repeat(31)), 'BAD_USER_INPUT');
    expect((await set('王'.repeat(31))).errors?.[0]?.extensions).toMatchObject({
      details: { field: 'input.principalName' },
    });
    refusedWith(await set('校长1号'), 'BAD_USER_INPUT');
    refusedWith(await set('   '), 'BAD_USER_INPUT');
    refusedWith(await set('李明', A, B), 'FORBIDDEN');
    refusedWith(await set('李明', '00000000-0000-4000-8000-000000000000'), 'NOT_FOUND');
    expect(ok(await set('王'.repeat(30)))).toEqual({ setSchoolPrincipal: { id: A, principalName: '王'.repeat(30) } });
  });
});

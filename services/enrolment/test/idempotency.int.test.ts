/**
 * Issue 10: a repeated submit by the same caller (a retry after a lost response) is answered as
 * success. `submitRegistration` takes an optional `idempotencyKey`, unique per registrar: the same
 * registration again under it gets the record it created, and nothing is written (no record, no
 * audit row, no event); another registration under the same key is CONFLICT naming it. Without a
 * key, a retry is refused as before (ENR-6: already registered).
 */
import { randomUUID } from 'node:crypto';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  auditRows,
  createTestDatabase,
  dropTestDatabase,
  graphql,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { registration, school, seedSchools, SUBMIT, TEST_TODAY } from '../../../test/support/enrolment';
import { enrolment } from '../src/service';

jest.setTimeout(60_000);

let service: RunningService;
let databaseUrl: string;
let schoolId: string;
let registrar: string;
let colleague: string;
/** The registrar's own `sub`, in a token of another school. */
let registrarElsewhere: string;
const REGION = '220102';
let n = 60;
const next = (overrides: Record<string, unknown> = {}) => registration(schoolId, REGION, n++, overrides);

/** What a submission writes: students, audit rows, events. */
async function written() {
  const [row] = (await service.dataSource.query(
    `SELECT (SELECT count(*)::int FROM student) AS students, (SELECT count(*)::int FROM outbox_message) AS events`,
  )) as { students: number; events: number }[];
  return { ...row!, audits: (await auditRows(service.dataSource)).length };
}

beforeAll(async () => {
  databaseUrl = await createTestDatabase('enrolment_idempotency');
  service = await startService(
    enrolment,
    testServiceConfig('enrolment', {
      databaseUrl,
      topicPrefix: testTopicPrefix(),
      profile: 'national',
      today: TEST_TODAY,
    }),
  );
  const [id, otherId] = (await seedSchools(service, [school('I01', REGION), school('I02', REGION)])) as [
    string,
    string,
  ];
  schoolId = id;
  registrar = tokenFor({ subject: 'registrar-i', role: 'SCHOOL_REGISTRAR', schoolId });
  colleague = tokenFor({ subject: 'registrar-i-2', role: 'SCHOOL_REGISTRAR', schoolId });
  registrarElsewhere = tokenFor({ subject: 'registrar-i', role: 'SCHOOL_REGISTRAR', schoolId: otherId });
});
afterAll(async () => {
  await service?.stop();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

describe('a repeated submitRegistration under the same idempotency key (issue 10)', () => {
  it('is answered with the record the first one created; nothing new is written', async () => {
    const input = next({ idempotencyKey: randomUUID() });
    const first = await graphql(service.url, SUBMIT, { input }, registrar);
    expect(first.errors).toBeUndefined();
    const after = await written();
    const again = await graphql(service.url, SUBMIT, { input }, registrar);
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(await written()).toEqual(after);
  });

  it('without a key, the retry is refused as already registered (ENR-6), as before', async () => {
    const input = next();
    expect((await graphql(service.url, SUBMIT, { input }, registrar)).errors).toBeUndefined();
    const again = await graphql(service.url, SUBMIT, { input }, registrar);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'ENR-6' });
  });

  it('the same key with another registration is CONFLICT naming the key, in Chinese and English', async () => {
    const key = `retry-${randomUUID()}`;
    expect((await graphql(service.url, SUBMIT, { input: next({ idempotencyKey: key }) }, registrar)).errors).toBe(
      undefined,
    );
    const before = await written();
    const other = await graphql(service.url, SUBMIT, { input: next({ idempotencyKey: key }) }, registrar);
    expect(other.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      details: { field: 'input.idempotencyKey', idempotencyKey: key },
    });
    expect(other.errors?.[0]?.extensions?.messageZh).toContain(key);
    expect(other.errors?.[0]?.extensions?.messageEn).toContain(key);
    expect(await written()).toEqual(before);
  });

  it('a key is the caller’s own: another registrar may use it; the same sub of another school may not reuse it', async () => {
    const key = randomUUID();
    const input = next({ idempotencyKey: key });
    expect((await graphql(service.url, SUBMIT, { input }, registrar)).errors).toBeUndefined();
    const colleagues = await graphql(service.url, SUBMIT, { input: next({ idempotencyKey: key }) }, colleague);
    expect(colleagues.errors).toBeUndefined();
    const before = await written();
    const elsewhere = await graphql(service.url, SUBMIT, { input }, registrarElsewhere);
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await written()).toEqual(before);
  });

  it('two submissions under the same key at once: one record, both answered with it', async () => {
    const input = next({ idempotencyKey: randomUUID() });
    const before = await written();
    const answers = await Promise.all([1, 2].map(() => graphql(service.url, SUBMIT, { input }, registrar)));
    for (const a of answers) expect(a.errors).toBeUndefined();
    expect(answers[0]!.data).toEqual(answers[1]!.data);
    expect((await written()).students).toBe(before.students + 1);
  });

  it('refuses a blank key or one over its limit with BAD_USER_INPUT naming the field', async () => {
    for (const key of ['', 'k'.repeat(101), 'key with spaces']) {
      const r = await graphql(service.url, SUBMIT, { input: next({ idempotencyKey: key }) }, registrar);
      expect([key, r.errors?.[0]?.extensions]).toMatchObject([
        key,
        { code: 'BAD_USER_INPUT', details: { field: 'input.idempotencyKey' } },
      ]);
    }
  });
});

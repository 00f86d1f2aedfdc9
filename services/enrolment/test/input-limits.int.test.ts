/**
 * Issue 10, "bad input that is stored today": every enrolment input field keeps its limit (the
 * `TEXT_LIMITS`, `LIST_LIMITS` and `DATE_LIMITS` of `@xueji/rules`), refused with BAD_USER_INPUT
 * naming the field, before anything is written.
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

const OTHER = `mutation ($records: [OtherStatusInput!]!) { importOtherStatusRecords(records: $records) }`;
const DEFER = `mutation ($id: ID!, $certificateRef: String!) { deferAdmission(id: $id, certificateRef: $certificateRef) { id } }`;
const REJECT = `mutation ($ids: [ID!]!, $reason: String!) { rejectRegistrations(ids: $ids, reason: $reason) { decided { id } } }`;

describe('enrolment input limits (real PostgreSQL and Kafka)', () => {
  let service: RunningService;
  let databaseUrl: string;
  let A: string;
  const registrar = () => tokenFor({ subject: `registrar-${A}`, role: 'SCHOOL_REGISTRAR', schoolId: A });
  const province = tokenFor({ subject: 'reviewer-220000', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });
  const count = async (sql: string, params: unknown[] = []) =>
    ((await service.dataSource.query(sql, params)) as { n: number }[])[0]!.n;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('enrolment_limits');
    service = await startService(
      enrolment,
      testServiceConfig('enrolment', { databaseUrl, topicPrefix: testTopicPrefix(), today: TEST_TODAY }),
    );
    [A] = (await seedSchools(service, [school('L01', '220102', { name: '南关区职业教育中心' })])) as [string];
  });
  afterAll(async () => {
    await service?.stop();
    await dropTestDatabase(databaseUrl);
  });

  const refusedOn = (answer: { errors?: readonly { extensions?: Record<string, unknown> }[] }, field: string) =>
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field } });

  it('refuses a registration over its limits, naming the field, and stores nothing', async () => {
    const KB100 = '张'.repeat(100_000);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: KB100 }, 'input.name'],
      [{ name: '张\u202E三' }, 'input.name'],
      [{ name: '张\u200B三' }, 'input.name'],
      [{ name: '张\uD800三' }, 'input.name'],
      [{ name: '张\u0000三' }, 'input.name'],
      [{ address: '长'.repeat(100_000) }, 'input.address'],
      [{ address: '长春市\u0000南关区' }, 'input.address'],
      [{ className: '1班\u0007' }, 'input.className'],
      [{ entryDate: '9999-12-31' }, 'input.entryDate'],
      [{ entryDate: '1900-09-01' }, 'input.entryDate'],
      [{ arrival: { reportBy: '2026-09-01', arrivedOn: '9999-12-31' } }, 'input.arrival.arrivedOn'],
    ];
    for (const [i, [overrides, field]] of cases.entries()) {
      const input = registration(A, '220102', 100 + i, overrides);
      refusedOn(await graphql(service.url, SUBMIT, { input }, registrar()), field);
    }
    for (const bad of ['2025-02-30', '0000-01-01', '+12026-01-01']) {
      const answer = await graphql(
        service.url,
        SUBMIT,
        { input: registration(A, '220102', 120, { entryDate: bad }) },
        registrar(),
      );
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toMatch(/entryDate/);
    }
    expect(await count('SELECT count(*)::int AS n FROM student')).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'SUBMIT_REGISTRATION'`)).toBe(0);
    // Realistic names still pass: the limits fit the domain.
    const ok = await graphql(
      service.url,
      SUBMIT,
      { input: registration(A, '220102', 130, { name: '阿卜杜拉·买买提' }) },
      registrar(),
    );
    expect(ok.errors).toBeUndefined();
  });

  it('refuses other-status ID numbers of any five characters, and lists over their size', async () => {
    const good = registration(A, '220102', 140).idNumber;
    const records = (idNumber: string, institution = '吉林大学') => [{ idNumber, kind: 'UNIVERSITY', institution }];
    for (const [r, field] of [
      [records('abcde'), 'records[0].idNumber'],
      [records(`${good.slice(0, 17)}${good[17] === '1' ? '2' : '1'}`), 'records[0].idNumber'],
      [records('12345'), 'records[0].idNumber'],
      [records(good, '吉林\u0000大学'), 'records[0].institution'],
      [records(good, '大'.repeat(100_000)), 'records[0].institution'],
    ] as const) {
      refusedOn(await graphql(service.url, OTHER, { records: r }, province), field);
    }
    expect(await count('SELECT count(*)::int AS n FROM other_status_record')).toBe(0);
    const stored = await graphql(
      service.url,
      OTHER,
      { records: [...records(good), ...records('E12345678')] },
      province,
    );
    expect(stored.errors).toBeUndefined();
    expect(await count('SELECT count(*)::int AS n FROM other_status_record')).toBe(2);
  });

  it('refuses references and reasons over their limits', async () => {
    const id = '8b0e5a7e-7b52-4d7e-9f3a-2b1c0d9e8f7a';
    refusedOn(
      await graphql(service.url, DEFER, { id, certificateRef: 'x'.repeat(100_000) }, registrar()),
      'certificateRef',
    );
    refusedOn(await graphql(service.url, DEFER, { id, certificateRef: 'cert\u0000' }, registrar()), 'certificateRef');
    refusedOn(await graphql(service.url, REJECT, { ids: [id], reason: '理由\u202E' }, province), 'reason');
    expect(
      await count(
        `SELECT count(*)::int AS n FROM audit_entry WHERE action IN ('DEFER_ADMISSION', 'REJECT_REGISTRATION')`,
      ),
    ).toBe(0);
  });

  it('refuses a NUL byte in any string, in a read as in a write, variable or literal, as BAD_USER_INPUT', async () => {
    const SEARCH = `query ($filter: StudentFilter) { students(first: 5, filter: $filter) { totalCount } }`;
    refusedOn(await graphql(service.url, SEARCH, { filter: { search: '张\u0000' } }, province), 'filter.search');
    refusedOn(
      await graphql(service.url, SEARCH, { filter: { regionCode: '22\u0000' } }, province),
      'filter.regionCode',
    );
    const literal = `query { students(first: 5, filter: { search: "张\\u0000" }) { totalCount } }`;
    refusedOn(await graphql(service.url, literal, {}, province), 'query');
    const fine = await graphql(service.url, SEARCH, { filter: { search: '张' } }, province);
    expect(fine.errors).toBeUndefined();
  });
});

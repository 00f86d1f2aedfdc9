/**
 * Issue 10, errors: ids that are no UUID never reach PostgreSQL (an `_entities` representation
 * resolves to null as for an unknown id, a filter or cursor is BAD_USER_INPUT naming its field), and
 * a service whose database is unreachable answers SERVICE_UNAVAILABLE (retryable, HTTP 503 with
 * Retry-After, at the subgraph and through the gateway), then recovers; a subgraph's coded refusal
 * with HTTP 400 reaches the client through the gateway unchanged.
 */
import { Client } from 'pg';
import { CLIENT_ERROR_CODES } from '@xueji/errors';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  auditRows,
  createTestDatabase,
  dropTestDatabase,
  gatewaySecretHeaders,
  graphql,
  pgAdminUrl,
  resolveStudents,
  testServiceConfig,
  TEST_GATEWAY_SECRET,
  TEST_JWT_SECRET,
  testTopicPrefix,
  tokenFor,
  waitFor,
} from '@xueji/testkit';
import { startGateway, type RunningGateway } from '../../gateway/src/gateway';
import { readCommittedSupergraph } from '../../gateway/src/supergraph';
import { enrolment } from '../../services/enrolment/src/service';
import { APPROVE, registration, school, seedSchools, SUBMIT, TEST_TODAY } from '../support/enrolment';
import { statusChange } from '../../services/status-change/src/service';
import { assessment } from '../../services/assessment/src/service';
import { graduation } from '../../services/graduation/src/service';
import { subsidy } from '../../services/subsidy/src/service';

const NOT_UUIDS = ['not-a-uuid', '', "1' OR '1'='1", '00000000-0000-0000-0000-00000000000Z'];
const UNKNOWN = '4b1e0c1e-2f0a-4c7e-9a55-0d3c2f1b9e11';

/** Every subgraph that adds fields to Student, with a selection of all of them. */
const STUDENT_FIELDS = {
  'status-change': 'status { code } statusHistory { __typename } changeRequests { id }',
  assessment: 'assessment { __typename }',
  graduation: 'graduation { __typename }',
  subsidy:
    'subsidyEligibility { __typename } subsidyTimeline { __typename } entitlements { id } fraudSignals { id } waiverHistory { periods { period } }',
} as const;

describe('ids that are no UUID, and an unreachable database (real PostgreSQL and Kafka)', () => {
  const services: Record<string, RunningService> = {};
  const databases: string[] = [];
  let gateway: RunningGateway;
  const reviewer = tokenFor({ subject: 'reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });

  beforeAll(async () => {
    const topicPrefix = testTopicPrefix();
    const definitions = {
      enrolment,
      'status-change': statusChange,
      assessment,
      graduation,
      subsidy,
    } as const;
    for (const [name, definition] of Object.entries(definitions)) {
      const databaseUrl = await createTestDatabase(`ids_${name}`);
      databases.push(databaseUrl);
      services[name] = await startService(
        definition,
        testServiceConfig(name as keyof typeof definitions, {
          databaseUrl,
          topicPrefix,
          relay: false,
          today: TEST_TODAY,
        }),
      );
    }
    // Limits well above the subgraphs' own, so a subgraph is the one to refuse an operation.
    gateway = await startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: Object.fromEntries(Object.entries(services).map(([name, service]) => [name, service.url])),
      jwtSecret: TEST_JWT_SECRET,
      gatewaySecret: TEST_GATEWAY_SECRET,
      queryLimits: { maxAliases: 1_000, maxCost: 10_000_000, maxTokens: 50_000 },
      logLevel: 'silent',
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const service of Object.values(services)) await service.stop();
    for (const url of databases) await dropTestDatabase(url);
  });

  it.each(Object.entries(STUDENT_FIELDS))(
    '%s: an _entities representation whose id is no UUID resolves to null, as an unknown id does',
    async (name, selection) => {
      const answer = await resolveStudents(services[name]!.url, reviewer, [...NOT_UUIDS, UNKNOWN], selection);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?._entities).toHaveLength(NOT_UUIDS.length + 1);
      const unknown = answer.data!._entities[NOT_UUIDS.length];
      for (const entity of answer.data!._entities) expect(entity).toEqual(unknown);
    },
  );

  it('enrolment: a representation or student(id:) that is no UUID is null', async () => {
    const answer = await resolveStudents(services.enrolment!.url, reviewer, NOT_UUIDS, 'name');
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toEqual(NOT_UUIDS.map(() => null));
  });

  it('enrolment: a students filter schoolId that is no UUID is BAD_USER_INPUT naming schoolId', async () => {
    const answer = await graphql(
      services.enrolment!.url,
      'query ($schoolId: ID) { students(filter: { schoolId: $schoolId }, first: 5) { totalCount } }',
      { schoolId: 'not-a-uuid' },
      reviewer,
    );
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'schoolId' } });
  });

  it('enrolment: a malformed students cursor is BAD_USER_INPUT naming after', async () => {
    const cursors = [
      'garbage',
      Buffer.from('2026-01-01T00:00:00.000Z|not-a-uuid').toString('base64url'),
      Buffer.from(`2025-02-30|${UNKNOWN}`).toString('base64url'),
      Buffer.from(`+012026-01-01T00:00:00.000Z|${UNKNOWN}`).toString('base64url'),
      Buffer.from(`0000-01-01T00:00:00.000Z|${UNKNOWN}`).toString('base64url'),
    ];
    for (const after of cursors) {
      const answer = await graphql(
        services.enrolment!.url,
        'query ($after: String) { students(first: 5, after: $after) { totalCount } }',
        { after },
        reviewer,
      );
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'after' } });
    }
  });

  it('a service whose database is unreachable answers SERVICE_UNAVAILABLE (retryable, 503), then recovers', async () => {
    const name = new URL(databases[0]!).pathname.slice(1);
    const admin = new Client({ connectionString: pgAdminUrl() });
    await admin.connect();
    const query = '{ students(first: 5) { totalCount } }';
    const up = await graphql<{ students: { totalCount: number } }>(services.enrolment!.url, query, {}, reviewer);
    expect(up.errors).toBeUndefined();
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      const down = await graphql(services.enrolment!.url, query, {}, reviewer);
      expect(down.errors?.[0]?.extensions).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        retryable: true,
        messageZh: expect.stringContaining('稍后重试'),
        messageEn: expect.stringContaining('retry later'),
      });
      expect(down.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
      expect(CLIENT_ERROR_CODES.SERVICE_UNAVAILABLE.status).toBe(503);
      // HTTP 503 with Retry-After, not 200: at the subgraph and, passed on, at the gateway.
      expect(down.status).toBe(503);
      const raw = await fetch(services.enrolment!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${reviewer}`, ...gatewaySecretHeaders() },
        body: JSON.stringify({ query }),
      });
      expect(raw.status).toBe(503);
      expect(raw.headers.get('retry-after')).toMatch(/^\d+$/);
      const throughGateway = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${reviewer}` },
        body: JSON.stringify({ query }),
      });
      expect(throughGateway.status).toBe(503);
      expect(throughGateway.headers.get('retry-after')).toMatch(/^\d+$/);
      const answer = (await throughGateway.json()) as { errors?: { extensions?: Record<string, unknown> }[] };
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ retryable: true, messageEn: expect.any(String) });
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    const back = await waitFor(
      async () => {
        const answer = await graphql<{ students: { totalCount: number } }>(
          services.enrolment!.url,
          query,
          {},
          reviewer,
        );
        return answer.errors ? null : answer;
      },
      { what: 'enrolment to answer again' },
    );
    expect(back.data?.students.totalCount).toBe(up.data?.students.totalCount);
    expect((await fetch(new URL('/health', services.enrolment!.url))).status).toBe(200);
  });

  it("the gateway passes on a subgraph's coded refusal with HTTP 400 unchanged, not as an internal fault", async () => {
    // Within the gateway's (loosened) limits, over the enrolment subgraph's 60 aliases: the subgraph
    // refuses the query plan's fetch with HTTP 400 and a coded GRAPHQL_VALIDATION_FAILED.
    const aliases = Array.from({ length: 70 }, (_, i) => `s${i}: schools { id }`).join(' ');
    const direct = await graphql(services.enrolment!.url, `{ ${aliases} }`, {}, reviewer);
    expect(direct.status).toBe(400);
    const answer = await graphql(gateway.url, `{ ${aliases} }`, {}, reviewer);
    expect(answer.errors).toHaveLength(direct.errors!.length);
    expect(answer.errors?.[0]).toMatchObject({
      message: direct.errors?.[0]?.message,
      extensions: { ...direct.errors?.[0]?.extensions, serviceName: 'enrolment' },
    });
    expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.data ?? null).toBeNull();
  });

  it('enrolment: a repeated approve of registrations by the same reviewer is decided again, nothing written twice', async () => {
    const service = services.enrolment!;
    const [schoolId] = (await seedSchools(service, [school('S01', '220102')])) as [string];
    const registrar = tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId });
    const submitted = await graphql<{ submitRegistration: { id: string } }>(
      service.url,
      SUBMIT,
      { input: registration(schoolId, '220102', 1) },
      registrar,
    );
    const id = submitted.data!.submitRegistration.id;
    const first = await graphql(service.url, APPROVE, { ids: [id] }, reviewer);
    expect(first.data?.approveRegistrations).toMatchObject({ decided: [{ id, registrationStatus: 'APPROVED' }] });
    const audited = (await auditRows(service.dataSource)).length;
    const events = async () =>
      (await service.dataSource.query(`SELECT event_type FROM outbox_message WHERE message_key = $1`, [
        id,
      ])) as unknown[];
    const published = (await events()).length;
    const again = await graphql(service.url, APPROVE, { ids: [id] }, reviewer);
    expect(again).toEqual(first);
    expect(await auditRows(service.dataSource)).toHaveLength(audited);
    expect(await events()).toHaveLength(published);
    // Another reviewer's approve of it is still refused (ENR-5: not awaiting review).
    const other = tokenFor({ subject: 'reviewer-2', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });
    const refused = await graphql<{ approveRegistrations: { refused: { breaches: { rule: string }[] }[] } }>(
      service.url,
      APPROVE,
      { ids: [id] },
      other,
    );
    expect(refused.data?.approveRegistrations.refused[0]?.breaches[0]?.rule).toBe('ENR-5');
  });
});

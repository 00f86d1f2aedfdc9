import { DEV_GATEWAY_SECRET, GATEWAY_SECRET_HEADER } from '@xueji/config';
import { SUBGRAPH_BODY_LIMIT_BYTES, SUBGRAPH_QUERY_LIMITS } from '@xueji/graphql-limits';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  gatewaySecretHeaders,
  sendRaw,
  testServiceConfig,
  testTopicPrefix,
} from '@xueji/testkit';
import { statusChange } from '../../../services/status-change/src/service';

/**
 * Issue 10, "The subgraphs answer anyone who reaches their ports": a subgraph answers only the
 * gateway (XUEJI_GATEWAY_SECRET in `x-xueji-gateway-secret`), and keeps depth, alias, cost, token
 * and size limits of its own for whatever reaches it.
 */

let databaseUrl: string;
let service: RunningService;

const post = (query: string, headers: Record<string, string>) =>
  sendRaw(
    service.url,
    { init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) } },
    headers,
  );

beforeAll(async () => {
  databaseUrl = await createTestDatabase('status_change');
  const config = testServiceConfig('status-change', { databaseUrl, topicPrefix: testTopicPrefix(), relay: false });
  service = await startService(statusChange, { ...config, inboxConsumerEnabled: false });
});

afterAll(async () => {
  await service?.stop();
  await dropTestDatabase(databaseUrl);
});

describe('a subgraph answers only the gateway', () => {
  const sdl = '{ _service { sdl } }';

  it.each([
    ['no gateway secret', {}],
    ['a wrong secret of the same length', { [GATEWAY_SECRET_HEADER]: DEV_GATEWAY_SECRET.replace(/.$/, '!') }],
    ['a wrong secret of another length', { [GATEWAY_SECRET_HEADER]: 'guess' }],
    ['the secret in another header', { authorization: `Bearer ${DEV_GATEWAY_SECRET}` }],
  ])('refuses a request with %s: HTTP 403, GATEWAY_REQUIRED', async (_name, headers) => {
    const answer = await post(sdl, headers);
    expect(answer.status).toBe(403);
    expect(answer.contentType).toMatch(/json/);
    expect(answer.body?.errors).toEqual([
      {
        message: '此服务只接受经由网关的请求 / This service answers only requests that come through the gateway',
        extensions: {
          code: 'GATEWAY_REQUIRED',
          messageZh: '此服务只接受经由网关的请求',
          messageEn: 'This service answers only requests that come through the gateway',
        },
      },
    ]);
    expect(answer.text).not.toMatch(/type Student|ChangeRequest/);
  });

  it('refuses before reading the body: a body over the limit without the secret is 403, not 413', async () => {
    const padding = 'x'.repeat(SUBGRAPH_BODY_LIMIT_BYTES + 1);
    const answer = await sendRaw(
      service.url,
      { init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ padding }) } },
      {},
    );
    expect(answer.status).toBe(403);
    expect(answer.body?.errors?.[0]?.extensions?.code).toBe('GATEWAY_REQUIRED');
  });

  it('answers the gateway (the test holds its secret)', async () => {
    const answer = await post(sdl, gatewaySecretHeaders());
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/type ChangeRequest/);
  });

  it('keeps /health and /ready open to probes without the secret', async () => {
    expect((await fetch(service.url.replace('/graphql', '/health'))).status).toBe(200);
    expect((await fetch(service.url.replace('/graphql', '/ready'))).status).toBe(200);
  });

  it("answers /metrics to the operator's Prometheus without the secret, counting what the gateway sent (issue 14)", async () => {
    // The gateway's query plan names the operation `<client's name>__<subgraph>__<n>`: labelled by the client's name.
    await post('query Probe__status_change__0 { __typename }', gatewaySecretHeaders());
    await post('query Probe { __typename }', {}); // refused before it is a GraphQL request: not counted
    const response = await fetch(service.url.replace('/graphql', '/metrics'));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^xueji_graphql_requests_total\{operation="Probe",code="OK",service="status-change"\} 1$/m);
    expect(text).toMatch(
      /^xueji_graphql_request_duration_seconds_count\{operation="Probe",service="status-change"\} 1$/m,
    );
    expect(text).toMatch(/^xueji_outbox_backlog\{service="status-change"\} 0$/m);
    expect(text).toMatch(/^xueji_inbox_dead_lettered\{service="status-change"\} 0$/m);
  });
});

describe('a subgraph keeps its own limits (even for the gateway)', () => {
  const entity = (selection: string) =>
    `{ _entities(representations: [{ __typename: "Student", id: "00000000-0000-4000-8000-000000000000" }]) { ... on Student { ${selection} } } }`;

  it('refuses a query 50 levels deep fast, with a coded error', async () => {
    const deep = 'changeRequests { student { '.repeat(25) + 'id' + ' } }'.repeat(25);
    const started = performance.now();
    const answer = await post(entity(deep), gatewaySecretHeaders());
    expect(performance.now() - started).toBeLessThan(1000);
    expect(answer.status).toBe(400);
    expect(answer.body?.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      maxDepth: SUBGRAPH_QUERY_LIMITS.maxDepth,
      depth: 52,
    });
    expect(answer.body).not.toHaveProperty('data');
  });

  it('refuses too many aliases, with a coded error', async () => {
    const aliases = Array.from({ length: SUBGRAPH_QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: id`).join(' ');
    const answer = await post(entity(aliases), gatewaySecretHeaders());
    expect(answer.status).toBe(400);
    expect(answer.body?.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      maxAliases: SUBGRAPH_QUERY_LIMITS.maxAliases,
    });
  });

  it('reads no body over its limit (the gateway’s 3 MiB and headroom, not 25 MB)', async () => {
    expect(SUBGRAPH_BODY_LIMIT_BYTES).toBeLessThan(4 * 1024 * 1024);
    const answer = await post(`{ __typename } # ${'x'.repeat(SUBGRAPH_BODY_LIMIT_BYTES)}`, gatewaySecretHeaders());
    expect(answer.status).toBe(413);
    expect(answer.body?.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

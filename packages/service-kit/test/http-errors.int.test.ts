import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { loadGraphqlEndpointSettings } from '@xueji/config';
import { SUBGRAPH_BODY_LIMIT_BYTES } from '@xueji/graphql-limits';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  gatewaySecretHeaders,
  malformedRequests,
  sendRaw,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { graduation } from '../../../services/graduation/src/service';

/**
 * Issue 10, "Errors", at a subgraph's HTTP layer: whatever a client sends gets a JSON GraphQL error
 * with a documented code and a 4xx status (not an uncoded 500 or Express's HTML page), no stack
 * trace unless XUEJI_DEBUG_ERRORS asks for it, and an internal fault names its request id.
 */

const SUBGRAPH_BODY_LIMIT = SUBGRAPH_BODY_LIMIT_BYTES;

let databaseUrl: string;
let service: RunningService;
let debugService: RunningService;
let productionService: RunningService;
const logLines: { level: number; msg?: string; requestId?: string; logger?: string }[] = [];

const probe = (query: string, headers: Record<string, string> = {}) =>
  sendRaw(service.url, {
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    },
  });

beforeAll(async () => {
  databaseUrl = await createTestDatabase('graduation');
  const base = {
    ...testServiceConfig('graduation', { databaseUrl, topicPrefix: testTopicPrefix(), relay: false }),
    inboxConsumerEnabled: false,
  };
  const logger = pino(
    { level: 'debug', base: { service: 'graduation' } },
    { write: (line: string) => void logLines.push(JSON.parse(line) as (typeof logLines)[number]) },
  );
  service = await startService(graduation, base, { logger });
  debugService = await startService(graduation, { ...base, debugErrors: true }, { logger: pino({ level: 'silent' }) });
  const production = loadGraphqlEndpointSettings({ NODE_ENV: 'production', XUEJI_JWT_SECRET: 'x'.repeat(32) });
  productionService = await startService(graduation, { ...base, ...production }, { logger: pino({ level: 'silent' }) });
});

afterAll(async () => {
  await productionService?.stop();
  await debugService?.stop();
  await service?.stop();
  await dropTestDatabase(databaseUrl);
});

describe('a subgraph refuses malformed HTTP requests with a coded JSON error', () => {
  it.each(malformedRequests(SUBGRAPH_BODY_LIMIT))('$name: HTTP $status, $code', async (request) => {
    const answer = await sendRaw(service.url, request);
    expect(answer.status).toBe(request.status);
    expect(answer.contentType).toMatch(/json/);
    expect(answer.body?.errors).toHaveLength(1);
    const [error] = answer.body!.errors!;
    expect(error!.extensions).toMatchObject({
      code: request.code,
      messageZh: expect.any(String),
      messageEn: expect.any(String),
    });
    expect(error!.message).toBe(
      `${error!.extensions!.messageZh as string} / ${error!.extensions!.messageEn as string}`,
    );
    expect(answer.text).not.toMatch(/stacktrace|<html|<pre>|\n\s+at /i);
  });

  it.each([
    ['GET', '/nope'],
    ['GET', '/'],
    ['POST', '/graphq'],
  ])('%s %s (a path it does not serve): HTTP 404, NOT_FOUND as JSON', async (method, path) => {
    const response = await fetch(new URL(path, service.url), {
      method,
      headers: { 'content-type': 'application/json', ...gatewaySecretHeaders() },
      ...(method === 'POST' ? { body: JSON.stringify({ query: '{ __typename }' }) } : {}),
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/json/);
    const text = await response.text();
    expect(text).not.toMatch(/<html|<pre>|Cannot (GET|POST)/i);
    expect(JSON.parse(text)).toEqual({
      errors: [
        {
          message: expect.stringContaining('/graphql'),
          extensions: { code: 'NOT_FOUND', messageZh: expect.any(String), messageEn: expect.any(String) },
        },
      ],
    });
  });

  it('logs none of them at error level', () => {
    // The broker client's own lines are left out: a fresh test topic can draw a passing metadata
    // error from Kafka, which says nothing about how HTTP requests are logged.
    expect(logLines.filter((line) => line.level >= 50 && line.logger !== 'kafkajs')).toEqual([]);
  });
});

describe('stack traces and request ids', () => {
  it('shows a stack trace only when XUEJI_DEBUG_ERRORS asks for it', async () => {
    const requests = malformedRequests(SUBGRAPH_BODY_LIMIT).filter((r) =>
      ['a non-string query', 'malformed JSON'].includes(r.name),
    );
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      const quiet = await sendRaw(service.url, request);
      expect(quiet.body?.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
      const debug = await sendRaw(debugService.url, request);
      expect(debug.body?.errors?.[0]?.extensions?.stacktrace).toEqual(expect.arrayContaining([expect.any(String)]));
    }
    const invalid = '{ nope }';
    expect((await probe(invalid)).body?.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
    const debugInvalid = await sendRaw(debugService.url, {
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: invalid }),
      },
    });
    expect(debugInvalid.body?.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      stacktrace: expect.any(Array),
    });
  });

  it('gives an internal fault the request id its error-level log line carries, and no stack trace', async () => {
    await service.dataSource.query('ALTER TABLE student_scope RENAME TO student_scope_hidden');
    try {
      const requestId = `probe-${randomUUID()}`;
      const token = tokenFor({ subject: 'reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });
      const answer = await probe(
        `{ _entities(representations: [{ __typename: "Student", id: "${randomUUID()}" }]) { ... on Student { graduation { stage } } } }`,
        { authorization: `Bearer ${token}`, 'x-request-id': requestId },
      );
      const [error] = answer.body?.errors ?? [];
      expect(error?.extensions).toEqual({
        code: 'INTERNAL_SERVER_ERROR',
        messageZh: '服务器内部错误，请稍后重试',
        messageEn: 'Internal server error, please retry later',
        requestId,
      });
      expect(answer.text).not.toMatch(/student_scope|stacktrace/);
      expect(logLines).toContainEqual(expect.objectContaining({ level: 50, requestId }));
    } finally {
      await service.dataSource.query('ALTER TABLE student_scope_hidden RENAME TO student_scope');
    }
  });
});

describe('introspection is a setting', () => {
  it('is answered in development and test, refused with production settings', async () => {
    const introspection = JSON.stringify({ query: '{ __schema { queryType { name } } }' });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: introspection };
    const open = await sendRaw(service.url, { init });
    expect(open.body).toMatchObject({ data: { __schema: { queryType: { name: 'Query' } } } });
    const closed = await sendRaw(productionService.url, { init });
    expect(closed.status).toBe(400);
    expect(closed.body?.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});

describe('_entities representations', () => {
  const registrar = tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId: randomUUID() });
  const entities = (representations: unknown[]) =>
    sendRaw(service.url, {
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${registrar}` },
        body: JSON.stringify({
          query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Student { graduation { stage } } } }',
          variables: { r: representations },
        }),
      },
    });

  it.each([
    ['an unknown __typename', [{ __typename: 'Nope', id: randomUUID() }]],
    ['an empty __typename', [{ __typename: '', id: randomUUID() }]],
    ['no id', [{ __typename: 'Student' }]],
    ['an id that is no string', [{ __typename: 'Student', id: 7 }]],
  ])('refuses %s as BAD_USER_INPUT with HTTP 400, naming the representation', async (_, representations) => {
    const answer = await entities([{ __typename: 'Student', id: randomUUID() }, ...representations]);
    expect(answer.status).toBe(400);
    expect(answer.body?.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'representations[1]' },
    });
  });

  it('resolves well-formed representations as the gateway sends them', async () => {
    const answer = await entities([{ __typename: 'Student', id: randomUUID() }]);
    expect(answer.status).toBe(200);
    expect(answer.body?.errors).toBeUndefined();
    expect(JSON.parse(answer.text)).toEqual({ data: { _entities: [{ graduation: null }] } });
  });
});

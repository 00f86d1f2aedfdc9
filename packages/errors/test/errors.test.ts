import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import {
  CLIENT_ERROR_CODES,
  formatCodedError,
  isUnavailable,
  policyViolation,
  requestScope,
  serviceUnavailablePlugin,
} from '@xueji/errors';

describe('coded errors', () => {
  it('a policy violation names its rule and speaks Chinese and English', () => {
    const error = policyViolation(
      'SC-13',
      { zh: '累计休学不得超过两年', en: 'Suspension may not exceed two years in total' },
      { months: 30 },
    );
    expect(error.extensions).toEqual({
      code: 'POLICY_VIOLATION',
      rule: 'SC-13',
      messageZh: '累计休学不得超过两年',
      messageEn: 'Suspension may not exceed two years in total',
      details: { months: 30 },
    });
    expect(error.message).toBe('累计休学不得超过两年 / Suspension may not exceed two years in total');
  });

  it('passes coded errors through and hides internal faults', () => {
    const coded = policyViolation('ENR-7', { zh: '重复学籍', en: 'Double status' });
    expect(formatCodedError({ message: coded.message, extensions: coded.extensions }, coded)).toEqual({
      message: coded.message,
      extensions: coded.extensions,
    });
    const logged: unknown[] = [];
    const fault = new GraphQLError('relation "student" does not exist');
    const shown = formatCodedError({ message: fault.message, path: ['student'] }, fault, {
      onInternal: (e: unknown) => logged.push(e),
    });
    expect(shown.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(shown.message).not.toMatch(/relation/);
    expect(shown.path).toEqual(['student']);
    expect(logged).toEqual([fault]);
  });

  it('passes Apollo’s own BAD_REQUEST as a client error, in Chinese and English, not as an internal fault', () => {
    const logged: unknown[] = [];
    const apollo = new GraphQLError('POST body missing, invalid Content-Type, or JSON object has no keys.', {
      extensions: { code: 'BAD_REQUEST' },
    });
    const shown = formatCodedError({ message: apollo.message, extensions: apollo.extensions }, apollo, {
      onInternal: (e: unknown) => logged.push(e),
    });
    expect(shown.extensions).toEqual({
      code: 'BAD_REQUEST',
      messageZh: '请求格式无效',
      messageEn: 'POST body missing, invalid Content-Type, or JSON object has no keys.',
    });
    expect(shown.message).toBe('请求格式无效 / POST body missing, invalid Content-Type, or JSON object has no keys.');
    expect(logged).toEqual([]);
    for (const code of ['OPERATION_RESOLUTION_FAILURE', 'GRAPHQL_VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE']) {
      expect(formatCodedError({ message: 'x', extensions: { code } }, null).extensions?.code).toBe(code);
    }
  });

  it('shows a stack trace only when debugging, and gives an internal fault the request id', () => {
    const stacktrace = ['GraphQLError: x', '    at /srv/xueji/packages/service-kit/src/service.ts:1:1'];
    const coded = { message: 'a / b', extensions: { code: 'NOT_FOUND', messageZh: 'a', messageEn: 'b', stacktrace } };
    expect(formatCodedError(coded, null).extensions).not.toHaveProperty('stacktrace');
    expect(formatCodedError(coded, null, { debug: true }).extensions?.stacktrace).toEqual(stacktrace);
    const fault = { message: 'boom', extensions: { stacktrace } };
    const logged: unknown[] = [];
    const shown = requestScope.run({ requestId: 'req-42' }, () =>
      formatCodedError(fault, null, { onInternal: (_e, requestId) => logged.push(requestId) }),
    );
    expect(shown.extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      messageZh: '服务器内部错误，请稍后重试',
      messageEn: 'Internal server error, please retry later',
      requestId: 'req-42',
    });
    expect(logged).toEqual(['req-42']);
  });

  it('an unreachable database is SERVICE_UNAVAILABLE (503, retryable), not an internal fault', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:55432'), { code: 'ECONNREFUSED' });
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    const typeorm = { message: 'query failed', driverError: { code: '08006' } };
    const cut = new Error('Connection terminated unexpectedly');
    const closed = Object.assign(new Error('database "x" is not currently accepting connections'), { code: '55000' });
    for (const cause of [refused, terminated, typeorm, cut, closed]) {
      expect(isUnavailable(cause)).toBe(true);
      const wrapped = new GraphQLError('x', { originalError: cause instanceof Error ? cause : undefined });
      const shown = requestScope.run({ requestId: 'req-7' }, () =>
        formatCodedError({ message: 'x', path: ['students'] }, cause instanceof Error ? wrapped : cause),
      );
      expect(shown.extensions).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        messageZh: expect.stringContaining('请稍后重试'),
        messageEn: expect.stringContaining('retry later'),
        retryable: true,
        requestId: 'req-7',
      });
      expect(shown.path).toEqual(['students']);
    }
    expect(CLIENT_ERROR_CODES.SERVICE_UNAVAILABLE.status).toBe(503);
    // A subgraph's SERVICE_UNAVAILABLE passes through the gateway unchanged.
    const fromSubgraph = {
      message: 'a / b',
      extensions: { code: 'SERVICE_UNAVAILABLE', messageZh: 'a', messageEn: 'b' },
    };
    expect(formatCodedError(fromSubgraph, null).extensions?.code).toBe('SERVICE_UNAVAILABLE');
    // Faults that are not about reaching the database stay internal.
    for (const fault of [{ code: '42P01' }, { code: '22P02' }, new Error('boom'), null]) {
      expect(isUnavailable(fault)).toBe(false);
    }
  });

  it('every code a client can get is documented in the README with its HTTP status', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Error codes'));
    for (const [code, { status }] of Object.entries(CLIENT_ERROR_CODES)) {
      expect(section).toMatch(new RegExp(`\\| \`${code}\` +\\| ${status} +\\|`));
    }
  });
});

describe('serviceUnavailablePlugin', () => {
  const UNAVAILABLE = { message: 'x', extensions: { code: 'SERVICE_UNAVAILABLE' } };
  const NOT_FOUND = { message: 'y', extensions: { code: 'NOT_FOUND' } };
  async function statusOf(singleResult: { data?: Record<string, unknown> | null; errors?: unknown[] }) {
    const http = { status: undefined as number | undefined, headers: new Map<string, string>() };
    const hooks = await serviceUnavailablePlugin.requestDidStart();
    await hooks.willSendResponse({
      response: { http, body: { kind: 'single', singleResult } },
    } as Parameters<typeof hooks.willSendResponse>[0]);
    return { status: http.status, retryAfter: http.headers.get('retry-after') };
  }

  it('answers HTTP 503 with Retry-After when every error is SERVICE_UNAVAILABLE and no data came back', async () => {
    expect(await statusOf({ errors: [UNAVAILABLE] })).toEqual({ status: 503, retryAfter: '5' });
    expect(await statusOf({ data: null, errors: [UNAVAILABLE, UNAVAILABLE] })).toMatchObject({ status: 503 });
    expect(await statusOf({ data: { students: null }, errors: [UNAVAILABLE] })).toMatchObject({ status: 503 });
  });

  it('leaves the status alone when some data came back, another error is there, or none', async () => {
    expect(await statusOf({ data: { a: null, b: 1 }, errors: [UNAVAILABLE] })).toEqual({ status: undefined });
    expect(await statusOf({ errors: [UNAVAILABLE, NOT_FOUND] })).toEqual({ status: undefined });
    expect(await statusOf({ data: { a: 1 } })).toEqual({ status: undefined });
  });
});

/**
 * GR-10: the public lookup is served without an account — its page, and operations of callers
 * without a token, limited per client so that the register cannot be enumerated.
 */
import { sendRaw, TEST_GATEWAY_SECRET, TEST_JWT_SECRET, tokenFor } from '@xueji/testkit';
import { startGateway, type RunningGateway } from '../src/gateway';
import { readCommittedSupergraph } from '../src/supergraph';

let gateway: RunningGateway;
const reviewer = tokenFor({ subject: 'reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });

beforeAll(async () => {
  gateway = await startGateway({
    supergraphSdl: readCommittedSupergraph(),
    jwtSecret: TEST_JWT_SECRET,
    gatewaySecret: TEST_GATEWAY_SECRET,
    port: 0,
    logLevel: 'silent',
    publicRequestsPerMinute: 3,
  });
});
afterAll(() => gateway?.stop());

const ask = (token?: string) =>
  sendRaw(
    gateway.url,
    {
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: '{ __typename }' }),
      },
    },
    {},
  );

it('serves the lookup page and its script, same-origin only', async () => {
  const page = await fetch(gateway.url.replace(/\/graphql$/, '/lookup'));
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(await page.text()).toContain('中职学历证书查询');
  const script = await fetch(gateway.url.replace(/\/graphql$/, '/lookup.js'));
  expect(script.status).toBe(200);
  expect(await script.text()).toContain('certificateLookup');
});

it('limits operations without an account per client: RATE_LIMITED, 429, Retry-After; a signed-in caller is not limited', async () => {
  for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(200);
  const limited = await ask();
  expect(limited.status).toBe(429);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  expect(limited.body?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
  expect(limited.body?.errors?.[0]?.message).toMatch(/查询过于频繁.* \/ Too many lookups/);
  for (let i = 0; i < 5; i++) expect((await ask(reviewer)).status).toBe(200);
});

describe('the client’s address behind a proxy (XUEJI_TRUST_PROXY)', () => {
  const askAs = (url: string, forwardedFor: string) =>
    sendRaw(
      url,
      {
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
          body: JSON.stringify({ query: '{ __typename }' }),
        },
      },
      {},
    );
  const start = (trustProxy?: string[]) =>
    startGateway({
      supergraphSdl: readCommittedSupergraph(),
      jwtSecret: TEST_JWT_SECRET,
      gatewaySecret: TEST_GATEWAY_SECRET,
      port: 0,
      logLevel: 'silent',
      publicRequestsPerMinute: 2,
      ...(trustProxy ? { trustProxy } : {}),
    });

  it('not trusted (the default): a spoofed X-Forwarded-For does not escape the limit', async () => {
    const direct = await start();
    try {
      expect((await askAs(direct.url, '203.0.113.1')).status).toBe(200);
      expect((await askAs(direct.url, '203.0.113.2')).status).toBe(200);
      // Every request came from this one connection's address, whatever the header claims.
      const limited = await askAs(direct.url, '203.0.113.3');
      expect(limited.status).toBe(429);
      expect(limited.body?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    } finally {
      await direct.stop();
    }
  });

  it('trusted (the proxy on loopback): two forwarded clients have limits of their own', async () => {
    const behindProxy = await start(['loopback']);
    try {
      for (let i = 0; i < 2; i++) expect((await askAs(behindProxy.url, '198.51.100.7')).status).toBe(200);
      expect((await askAs(behindProxy.url, '198.51.100.7')).status).toBe(429);
      // Another client behind the same proxy is counted on its own.
      for (let i = 0; i < 2; i++) expect((await askAs(behindProxy.url, '198.51.100.8')).status).toBe(200);
      expect((await askAs(behindProxy.url, '198.51.100.8')).status).toBe(429);
    } finally {
      await behindProxy.stop();
    }
  });
});

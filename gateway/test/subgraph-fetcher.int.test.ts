import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_GATEWAY_SECRET, TEST_JWT_SECRET, tokenFor } from '@xueji/testkit';
import { startGateway, type RunningGateway } from '../src/gateway';
import { pooledSubgraphFetcher, subgraphAgent } from '../src/subgraph-fetcher';
import { readCommittedSupergraph } from '../src/supergraph';

/**
 * Issue 13: the gateway calls its subgraphs over pooled keep-alive connections, not global fetch.
 * A subgraph that does not answer in time is still given up (the subgraph timeout), one that cannot
 * be reached still fails the call as before, and successive calls reuse one connection.
 */

const reviewer = tokenFor({ subject: 'reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });

let server: http.Server;
let url: string;
let connections = 0;
/** Requests that got no answer: the server holds them until the client gives up. */
const held = new Set<http.ServerResponse>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (body.includes('hang')) {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { echo: body.length } }));
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  held.forEach((res) => res.destroy());
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('pooledSubgraphFetcher', () => {
  it('reuses one keep-alive connection for successive calls and hands back the whole answer', async () => {
    const agent = subgraphAgent();
    try {
      const fetcher = pooledSubgraphFetcher(5_000, agent);
      const before = connections;
      for (let i = 0; i < 5; i++) {
        const answer = await fetcher(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"{ a }"}',
        });
        expect(answer.ok).toBe(true);
        expect(answer.headers.get('Content-Type')).toBe('application/json');
        expect(await answer.json()).toEqual({ data: { echo: 17 } });
      }
      expect(connections - before).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('gives a call up after the timeout, with the TimeoutError AbortSignal.timeout gave', async () => {
    const agent = subgraphAgent();
    try {
      const started = Date.now();
      const call = pooledSubgraphFetcher(300, agent)(url, { method: 'POST', body: '"hang"' });
      await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      agent.destroy();
    }
  });

  it('fails a call that cannot connect as fetch did: "fetch failed", the socket error as its cause', async () => {
    const agent = subgraphAgent();
    try {
      const call = pooledSubgraphFetcher(5_000, agent)('http://127.0.0.1:9/graphql', { method: 'POST', body: '{}' });
      await expect(call).rejects.toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    } finally {
      agent.destroy();
    }
  });
});

describe('the gateway with a subgraph that does not answer', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      supergraphSdl: readCommittedSupergraph(),
      subgraphUrls: { enrolment: url },
      jwtSecret: TEST_JWT_SECRET,
      gatewaySecret: TEST_GATEWAY_SECRET,
      port: 0,
      logLevel: 'silent',
      subgraphTimeoutMs: 500,
    });
  });

  afterAll(async () => {
    await gateway.stop();
  });

  it('answers a coded error once the subgraph timeout passes, and does not wait for the subgraph', async () => {
    const started = Date.now();
    const answer = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${reviewer}` },
      body: JSON.stringify({ query: '{ student(id: "hang") { id name } }' }),
    });
    const body = (await answer.json()) as { errors?: { extensions?: Record<string, unknown> }[] };
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      messageZh: expect.any(String),
      messageEn: expect.any(String),
    });
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|stacktrace/);
  });
});

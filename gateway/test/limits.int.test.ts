import { DEV_GATEWAY_SECRET } from '@xueji/config';
import { GATEWAY_QUERY_LIMITS } from '@xueji/graphql-limits';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  graphql,
  sendRaw,
  TEST_GATEWAY_SECRET,
  TEST_JWT_SECRET,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { enrolment } from '../../services/enrolment/src/service';
import { startGateway, type RunningGateway } from '../src/gateway';
import { readCommittedSupergraph } from '../src/supergraph';

/**
 * Issue 10, "The subgraphs answer anyone who reaches their ports" and "Resource abuse", at the
 * gateway: it shows the subgraphs the gateway secret (and they answer it, not a gateway without
 * it), and it refuses too deep, too aliased or too long operations before planning them.
 */

let databaseUrl: string;
let subgraph: RunningService;
const gateways: RunningGateway[] = [];
const reviewer = tokenFor({ subject: 'reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });

async function gateway(gatewaySecret: string): Promise<RunningGateway> {
  const started = await startGateway({
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls: { enrolment: subgraph.url },
    jwtSecret: TEST_JWT_SECRET,
    gatewaySecret,
    port: 0,
    logLevel: 'silent',
  });
  gateways.push(started);
  return started;
}

/** Without the test gateway secret: a client of the gateway does not know it. */
const ask = (url: string, query: string) =>
  sendRaw(
    url,
    {
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${reviewer}` },
        body: JSON.stringify({ query }),
      },
    },
    {},
  );

let plain: RunningGateway;

beforeAll(async () => {
  databaseUrl = await createTestDatabase('enrolment');
  const config = testServiceConfig('enrolment', { databaseUrl, topicPrefix: testTopicPrefix(), relay: false });
  subgraph = await startService(enrolment, { ...config, inboxConsumerEnabled: false });
  plain = await gateway(TEST_GATEWAY_SECRET);
});

afterAll(async () => {
  for (const started of gateways) await started.stop();
  await subgraph?.stop();
  await dropTestDatabase(databaseUrl);
});

describe('the gateway secret', () => {
  it('is sent with every subgraph request: a client without it is answered through the gateway', async () => {
    const answer = await ask(plain.url, '{ schools { id } }');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { schools: [] } });
  });

  it('is what the subgraph checks: a gateway with another secret gets nothing from it', async () => {
    const wrong = await gateway(`${DEV_GATEWAY_SECRET}-but-another`);
    const answer = await ask(wrong.url, '{ schools { id } }');
    expect(answer.body?.errors?.length).toBeGreaterThan(0);
    expect(answer.text).not.toMatch(/"schools":\[/);
  });

  it('is never accepted from a client in place of the gateway’s own', async () => {
    const direct = await graphql(plain.url, '{ schools { id } }', {}, reviewer);
    expect(direct.data).toEqual({ schools: [] });
  });
});

describe('operation limits at the gateway (GraphQL Armor and graphql-js)', () => {
  it('refuses 1,000 aliases of a field quickly with a coded error', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: id`).join(' ');
    const started = performance.now();
    const answer = await ask(plain.url, `{ schools { ${aliases} } }`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(answer.status).toBe(400);
    expect(answer.body?.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      maxAliases: GATEWAY_QUERY_LIMITS.maxAliases,
      messageZh: `查询中的别名超过上限 ${GATEWAY_QUERY_LIMITS.maxAliases}`,
      messageEn: `The query has more than ${GATEWAY_QUERY_LIMITS.maxAliases} aliases`,
    });
  });

  it('refuses a query deeper than the limit', async () => {
    // Refused while validating, before any subgraph (status-change is not even running) is asked.
    const deep = 'changeRequests { student { '.repeat(4) + 'id' + ' } }'.repeat(4);
    const answer = await ask(plain.url, `{ students { edges { node { ${deep} } } } }`);
    expect(answer.status).toBe(400);
    expect(answer.body?.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      maxDepth: GATEWAY_QUERY_LIMITS.maxDepth,
    });
  });

  it('stops parsing a document over the token limit', async () => {
    const fields = Array.from({ length: GATEWAY_QUERY_LIMITS.maxTokens }, () => 'id').join(' ');
    const answer = await ask(plain.url, `{ schools { ${fields} } }`);
    expect(answer.status).toBe(400);
    expect(answer.body?.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED' });
    expect(answer.body?.errors?.[0]?.message).toMatch(/tokens/);
  });

  it('refuses a page whose cost is over the limit', async () => {
    const answer = await ask(
      plain.url,
      `{ students(first: 500) { edges { node { changeRequests { student { changeRequests { student { school {
        approvedMajors { id name code agricultureRelated waiverExcluded standardYears } } } } } } } } } }`,
    );
    expect(answer.status).toBe(400);
    expect(answer.body?.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      maxCost: GATEWAY_QUERY_LIMITS.maxCost,
    });
  });
});

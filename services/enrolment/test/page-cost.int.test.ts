/**
 * Issue 10, "Resource abuse": a page size passed as a variable costs what it asks for. 30 aliases
 * of `students(first: $n)` with $n = 500 took enrolment past 650 MiB and held other callers for
 * seconds while the cost rule counted each as one student; now it is refused before it runs, as
 * the same operation with the number written in is.
 */
import { SUBGRAPH_QUERY_LIMITS } from '@xueji/graphql-limits';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  graphql,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { enrolment } from '../src/service';

jest.setTimeout(60_000);

const reviewer = tokenFor({ subject: 'reviewer-cost', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });
const FIELDS = 'id name birthDate ethnicity address contact entryDate className expectedYears studentNumber isFormal';
const aliases = (first: string) =>
  Array.from({ length: 30 }, (_, i) => `a${i}: students(first: ${first}) { edges { node { ${FIELDS} } } }`).join(' ');

let service: RunningService;
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await createTestDatabase('enrolment_page_cost');
  service = await startService(
    enrolment,
    testServiceConfig('enrolment', { databaseUrl, topicPrefix: testTopicPrefix(), relay: false }),
  );
});
afterAll(async () => {
  await service?.stop();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

it('30 aliases of a 500-student page are refused alike with `first` written in or passed as a variable', async () => {
  const written = await graphql(service.url, `{ ${aliases('500')} }`, {}, reviewer);
  expect(written.status).toBe(400);
  expect(written.errors?.[0]?.extensions).toMatchObject({
    code: 'GRAPHQL_VALIDATION_FAILED',
    maxCost: SUBGRAPH_QUERY_LIMITS.maxCost,
  });

  const variable = await graphql(service.url, `query ($n: Int) { ${aliases('$n')} }`, { n: 500 }, reviewer);
  expect(variable.status).toBe(400);
  expect(variable.errors?.[0]?.extensions).toMatchObject({
    code: 'GRAPHQL_VALIDATION_FAILED',
    maxCost: SUBGRAPH_QUERY_LIMITS.maxCost,
  });
  expect(variable.data).toBeUndefined();

  // A small page through the same variable runs.
  const small = await graphql(service.url, `query ($n: Int) { ${aliases('$n')} }`, { n: 2 }, reviewer);
  expect(small.errors).toBeUndefined();
  expect(small.status).toBe(200);
});

/**
 * What the request metrics cost a request (issue 14: "no visible per-request cost"):
 * `pnpm exec tsx scripts/bench/metrics-plugin.ts [--requests 1000000]`.
 *
 * Runs the Apollo plugin's hooks (`requestDidStart`, then `willSendResponse`) as Apollo Server does
 * for each request, over 20 operation names and two codes, and prints the time per request and the
 * garbage collections the run caused (a measure of what it allocates), against a plugin that does
 * nothing (Apollo's own cost of calling two hooks). For comparison, the same labels through
 * prom-client's own `Counter.inc(labels)` and `Histogram.observe(labels, value)`. Prints figures,
 * asserts nothing.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Counter, createMetricsRegistry, Histogram, RequestMetrics } from '@xueji/metrics';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '1000000' } } });
const N = Number(values.requests);
const OPERATIONS = Array.from({ length: 20 }, (_, i) => `Operation${i}`);
/** The part of Apollo's `GraphQLResponse` the plugin reads. */
type GraphQLResponse = {
  http: { headers: never };
  body: { kind: 'single'; singleResult: { data?: object; errors?: { message: string; extensions: object }[] } };
};
const OK: GraphQLResponse = {
  http: { headers: new Map() as never },
  body: { kind: 'single', singleResult: { data: {} } },
};
const REFUSED: GraphQLResponse = {
  http: { headers: new Map() as never },
  body: { kind: 'single', singleResult: { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] } },
};

let collections = 0;
new PerformanceObserver((list) => (collections += list.getEntries().length)).observe({ entryTypes: ['gc'] });
const tick = () => new Promise((resolve) => setImmediate(resolve)); // GC entries are delivered asynchronously

async function measure(name: string, run: (i: number) => Promise<void> | void): Promise<void> {
  for (let i = 0; i < 20_000; i++) await run(i); // warm up
  await tick();
  const before = collections;
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await run(i);
  const ns = Number(process.hrtime.bigint() - start) / N;
  await tick();
  console.log(`${name.padEnd(52)} ${ns.toFixed(0).padStart(6)} ns/request  ${collections - before} GCs`);
}

async function main(): Promise<void> {
  console.log(`${N} requests, ${OPERATIONS.length} operations, 1 in 10 refused`);
  // The baseline: a plugin that does nothing but exist (Apollo's own cost of calling hooks).
  const empty = { requestDidStart: async () => ({ willSendResponse: async () => undefined }) };
  await measure('no-op plugin (baseline)', async () => {
    const listener = await empty.requestDidStart();
    await listener.willSendResponse();
  });

  const metricsRegistry = createMetricsRegistry('bench');
  const metrics = new RequestMetrics(metricsRegistry);
  const plugin = metrics.plugin<object>();
  await measure('request metrics plugin', async (i) => {
    const listener = await plugin.requestDidStart!({} as never);
    await listener!.willSendResponse!({
      operationName: OPERATIONS[i % OPERATIONS.length],
      request: {},
      response: i % 10 === 0 ? REFUSED : OK,
    } as never);
  });

  const registry = createMetricsRegistry('bench');
  const counter = new Counter({ name: 'c', help: 'c', labelNames: ['operation', 'code'], registers: [registry] });
  const histogram = new Histogram({ name: 'h', help: 'h', labelNames: ['operation'], registers: [registry] });
  const promClient = {
    requestDidStart: async () => {
      const start = performance.now();
      return {
        willSendResponse: async ({ operationName, response }: { operationName: string; response: GraphQLResponse }) => {
          const code = response.body.kind === 'single' && response.body.singleResult.errors ? 'FORBIDDEN' : 'OK';
          counter.inc({ operation: operationName, code });
          histogram.observe({ operation: operationName }, (performance.now() - start) / 1000);
        },
      };
    },
  };
  await measure('same with prom-client inc(labels), observe(labels)', async (i) => {
    const listener = await promClient.requestDidStart();
    await listener.willSendResponse({
      operationName: OPERATIONS[i % OPERATIONS.length]!,
      response: i % 10 === 0 ? REFUSED : OK,
    });
  });
  const text = await metricsRegistry.metrics();
  console.log(`exposition after the run: ${text.length} bytes`);
}

void main();

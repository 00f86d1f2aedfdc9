import { graphql, tokenFor, waitFor } from '@xueji/testkit';
import { school, seedSchools } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';
import { APPROVE_CHANGE, formalStudent, statusChangeKnowsSchools, withdrawStudent } from '../support/students';

/** One scrape: every sample as its name, its labels and its value. */
type Sample = { name: string; labels: Record<string, string>; value: number };

/** `GET /metrics` of the server whose GraphQL URL this is, parsed; no secret, no token. */
async function scrape(graphqlUrl: string): Promise<Sample[]> {
  const response = await fetch(new URL('/metrics', graphqlUrl));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return (await response.text())
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      const labels = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
      );
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

/** The sum of the samples of `name` whose labels include `labels`. */
const total = (samples: Sample[], name: string, labels: Record<string, string> = {}): number =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

const STATUS_CHANGED = 'xueji.status-change.status.changed.v1';

describe('metrics and readiness on the real stack', () => {
  let stack: Stack;
  let A: string;
  const registrar = () => tokenFor({ subject: 'registrar-mx', role: 'SCHOOL_REGISTRAR', schoolId: A });
  const reviewer = tokenFor({ subject: 'reviewer-mx', role: 'AUTHORITY_REVIEWER', regionCode: '220102' });

  beforeAll(async () => {
    stack = await startStack({ today: '2026-03-10' });
    [A] = (await seedSchools(stack.services.enrolment, [school('MX-A01', '220102')])) as [string];
    await statusChangeKnowsSchools(stack, 1);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('after a withdrawal the request counters and histograms moved, subsidy applied the event, and the outbox and lag gauges return to 0', async () => {
    const id = await formalStudent(
      stack,
      { schoolId: A, regionCode: '220102', registrar: registrar(), reviewer },
      401,
      { entryDate: '2026-03-01', intake: 'SPRING' },
    );
    const statusChangeUrl = stack.services['status-change'].url;
    const subsidyUrl = stack.services.subsidy.url;
    const [gatewayBefore, statusBefore, subsidyBefore] = await Promise.all(
      [stack.gatewayUrl, statusChangeUrl, subsidyUrl].map(scrape),
    );

    // The withdrawal, through the gateway: submitted (`Submit`) and approved twice (`Approve`).
    stack.setToday('2026-09-15');
    await withdrawStudent(stack, id, { registrar: registrar(), reviewer }, '2026-08-25');
    // A refusal counts under its code: no such change request.
    const again = await graphql(
      stack.gatewayUrl,
      APPROVE_CHANGE,
      { id: '00000000-0000-4000-8000-000000000000' },
      reviewer,
    );
    const refusal = (again.errors?.[0]?.extensions as { code?: string } | undefined)?.code;
    expect(refusal).toBeDefined();

    const [gateway, status] = await Promise.all([stack.gatewayUrl, statusChangeUrl].map(scrape));
    const moved = (after: Sample[], before: Sample[], name: string, labels: Record<string, string>) =>
      total(after, name, labels) - total(before, name, labels);
    for (const [after, before, service] of [
      [gateway, gatewayBefore, 'gateway'],
      [status, statusBefore, 'status-change'],
    ] as const) {
      // The subgraph labels the gateway's query-plan operation (`Approve__status_change__0`) by the client's name.
      const labels = { service, operation: 'Approve' };
      expect(moved(after, before, 'xueji_graphql_requests_total', { ...labels, code: 'OK' })).toBe(2);
      expect(moved(after, before, 'xueji_graphql_requests_total', { ...labels, code: refusal! })).toBe(1);
      expect(moved(after, before, 'xueji_graphql_request_duration_seconds_count', labels)).toBe(3);
      expect(moved(after, before, 'xueji_graphql_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(3);
      expect(moved(after, before, 'xueji_graphql_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
      expect(moved(after, before, 'xueji_graphql_requests_total', { service, operation: 'Submit', code: 'OK' })).toBe(
        1,
      );
      // Default process metrics, labelled by service.
      expect(total(after, 'process_resident_memory_bytes', { service })).toBeGreaterThan(0);
    }
    expect(
      moved(gateway, gatewayBefore, 'xueji_subgraph_fetch_duration_seconds_count', { subgraph: 'status-change' }),
    ).toBeGreaterThanOrEqual(4);

    // Subsidy applies the withdrawal's event (inbox counter), and everything drains: outbox backlogs and
    // consumer lags back to 0 on every service.
    await waitFor(
      async () => {
        const subsidy = await scrape(subsidyUrl);
        return (
          moved(subsidy, subsidyBefore, 'xueji_inbox_events_total', { type: STATUS_CHANGED, outcome: 'APPLIED' }) >= 1
        );
      },
      { what: 'subsidy to apply the withdrawal', timeoutMs: 15_000 },
    );
    await waitFor(
      async () => {
        for (const service of Object.values(stack.services)) {
          const samples = await scrape(service.url);
          expect(samples.some((s) => s.name === 'xueji_outbox_backlog')).toBe(true);
          if (total(samples, 'xueji_outbox_backlog') !== 0) return false;
          if (total(samples, 'xueji_outbox_oldest_unpublished_age_seconds') !== 0) return false;
          if (service.consumer) {
            const lags = samples.filter((s) => s.name === 'xueji_consumer_lag');
            if (lags.length === 0 || lags.some((s) => s.value !== 0)) return false;
          }
          expect(total(samples, 'xueji_outbox_parked')).toBe(0);
          expect(total(samples, 'xueji_inbox_dead_lettered')).toBe(0);
        }
        return true;
      },
      { what: 'outbox backlogs and consumer lags to return to 0', timeoutMs: 30_000, intervalMs: 500 },
    );
  });

  it('the gateway is ready while every subgraph is, and says which one is not', async () => {
    const ready = new URL('/ready', stack.gatewayUrl);
    const first = await fetch(ready);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: 'ready', supergraph: true });

    await stack.services.graduation.stop();
    const answer = await waitFor(
      async () => {
        const response = await fetch(ready);
        return response.status === 503 ? ((await response.json()) as Record<string, unknown>) : null;
      },
      { what: 'the gateway to be not ready', timeoutMs: 10_000 },
    );
    expect(answer).toEqual({ status: 'not ready', supergraph: true, notReady: ['graduation'] });
  });
});

/**
 * Benchmark of two subsidy targets through the real stack: PostgreSQL, Kafka, the subsidy
 * subgraph over HTTP. `pnpm exec tsx scripts/bench/subsidy-latency.ts [--students 20000]
 * [--seconds 20] [--concurrency 1,16,32] [--rate 100] [--timeout 30]`.
 *
 * 1. Eligibility check: random students' `subsidyEligibility` through `_entities`, as the gateway
 *    asks for it, from `--concurrency` clients in a closed loop for `--seconds` (target p99 ≤ 10 ms;
 *    concurrency 1 gives the unloaded latency, the higher ones the latency under load).
 * 2. Withdrawal → revocation: WITHDRAWAL status changes published to status-change's topic at
 *    `--rate` per second for `--seconds`, each for another eligible student; the latency is from
 *    publishing to receiving subsidy's `eligibility.changed` (grant no longer eligible) on
 *    subsidy's own topic, read by a plain consumer as a partner would (target p99 ≤ 500 ms).
 * 3. Both at once on other students: phase 2 again while one client checks eligibility, with the
 *    latency of each under the other's load.
 *
 * Creates a fresh database and a fresh topic prefix, seeds the students by running subsidy's
 * event handlers directly, prints the figures, then drops the database. No assertions. The service
 * logs at `error` unless LOG_LEVEL says otherwise; everything runs in this process except the
 * HTTP clients (a worker thread), so the machine's other load shows in the figures: the 1-minute
 * load average is printed with each phase.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { allTopics } from '@xueji/config';
import { createKafkaEventBus, type EventBus } from '@xueji/event-bus';
import { createEvent, fromBusMessage, toBusMessage, type EventEnvelope } from '@xueji/events';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  deleteTopicsAndGroups,
  dropTestDatabase,
  gatewaySecretHeaders,
  graphql,
  kafkaBrokers,
  testServiceConfig,
  tokenFor,
  uniqueSuffix,
} from '@xueji/testkit';
import { subsidy } from '../../services/subsidy/src/service';
import { loadInfraEnv, runMain } from './infra-env';
import {
  ENTRY_DATE,
  load,
  OFFICER_REGION,
  REGION,
  SCHOOL,
  seed,
  SEED_CONCURRENCY,
  sleep,
  summary,
  TODAY,
  waitUntil,
  wallMs,
} from './subsidy-seed';

/**
 * Effective date of the withdrawals: the first day of the current semester (here also the entry
 * day). A period is decided on its reference day (its first day, or the entry day), so a
 * withdrawal effective later in the semester leaves the current period's grant as it was.
 */
const WITHDRAWN_FROM = '2026-09-01';
const WARMUP_WITHDRAWALS = 10;

const CHECK = `query ($r: [_Any!]!) {
  _entities(representations: $r) { ... on Student { subsidyEligibility { grant { eligible } tuitionWaiver { eligible } } } }
}`;

/** What status-change publishes when a withdrawal takes effect. */
function withdrawal(studentId: string): EventEnvelope {
  return createEvent(
    'xueji.status-change.status.changed.v1',
    studentId,
    {
      studentId,
      kind: 'WITHDRAWAL',
      effectiveDate: WITHDRAWN_FROM,
      previousStatus: 'ACTIVE',
      newStatus: 'WITHDRAWN',
      schoolId: SCHOOL,
      regionCode: REGION,
    },
    { time: new Date(`${TODAY}T02:00:00.000Z`) },
  );
}

interface LoadResult {
  latencies: Float64Array;
  errors: number;
  firstError: string | null;
  eligible: number;
  seconds: number;
}

/**
 * The HTTP clients, in a worker thread so that building requests and reading answers does not
 * share an event loop with the service under test. Plain JavaScript: the worker runs it as is.
 */
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, token, ids, concurrency, warmupMs, durationMs, query, gatewayHeaders } = workerData;
const headers = { 'content-type': 'application/json', authorization: 'Bearer ' + token, ...gatewayHeaders };
async function run(ms, record) {
  const deadline = performance.now() + ms;
  const client = async () => {
    while (performance.now() < deadline) {
      const id = ids[Math.floor(Math.random() * ids.length)];
      const body = JSON.stringify({ query, variables: { r: [{ __typename: 'Student', id }] } });
      const t0 = performance.now();
      try {
        const response = await fetch(url, { method: 'POST', headers, body });
        const answer = await response.json();
        const took = performance.now() - t0;
        const e = answer && answer.data && answer.data._entities && answer.data._entities[0];
        const eligibility = e && e.subsidyEligibility;
        if (!response.ok || answer.errors || !eligibility) record(null, 'HTTP ' + response.status + ' ' + JSON.stringify(answer).slice(0, 300));
        else record(took, eligibility.grant.eligible && eligibility.tuitionWaiver.eligible);
      } catch (error) {
        record(null, String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
}
(async () => {
  await run(warmupMs, () => undefined);
  const latencies = [];
  let errors = 0, firstError = null, eligible = 0;
  const started = performance.now();
  await run(durationMs, (took, detail) => {
    if (took === null) { errors++; firstError = firstError || detail; return; }
    latencies.push(took);
    if (detail === true) eligible++;
  });
  const seconds = (performance.now() - started) / 1000;
  parentPort.postMessage({ latencies: Float64Array.from(latencies), errors, firstError, eligible, seconds });
})().catch((error) => { throw error; });
`;

function runLoad(options: {
  url: string;
  token: string;
  ids: string[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, {
      eval: true,
      workerData: { ...options, query: CHECK, gatewayHeaders: gatewaySecretHeaders() },
    });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

async function benchEligibilityCheck(
  service: RunningService,
  ids: string[],
  concurrencies: number[],
  seconds: number,
): Promise<void> {
  const token = tokenFor({ subject: 'bench-officer', role: 'SUBSIDY_OFFICER', regionCode: OFFICER_REGION });
  const probe = await graphql<{ _entities: { subsidyEligibility: unknown }[] }>(
    service.url,
    CHECK,
    { r: [{ __typename: 'Student', id: ids[0] }] },
    token,
  );
  if (!probe.data?._entities?.[0]?.subsidyEligibility) {
    throw new Error(`the eligibility check does not answer: ${JSON.stringify(probe).slice(0, 500)}`);
  }
  console.log(
    `\n1. eligibility check: _entities → subsidyEligibility of a random student, ${seconds} s per run ` +
      `after a 2 s warm-up`,
  );
  console.log(`   sample answer: ${JSON.stringify(probe.data._entities[0])}`);
  for (const concurrency of concurrencies) {
    const r = await runLoad({ url: service.url, token, ids, concurrency, warmupMs: 2000, durationMs: seconds * 1000 });
    const n = r.latencies.length;
    console.log(
      `   concurrency ${concurrency} (${load()}): ${n} requests, ${(n / r.seconds).toFixed(0)} requests/s, ` +
        `${summary(Array.from(r.latencies))}; errors ${r.errors}, grant+waiver eligible in ${r.eligible}/${n}`,
    );
    if (r.firstError) console.log(`     first error: ${r.firstError}`);
  }
}

/** One measured withdrawal. */
interface Sample {
  studentId: string;
  eventId: string;
  publishedAt: number;
  receivedAt?: number;
}

/**
 * Reads subsidy's own topic as a partner would and stamps each sample when its revocation
 * (`eligibility.changed` with the grant no longer eligible) arrives.
 */
async function watchRevocations(bus: EventBus, topic: string, pending: Map<string, Sample>) {
  let arrived = 0;
  const subscription = await bus.subscribe({
    groupId: `${topic}.reader-${uniqueSuffix()}`, // under the run's prefix: deleted with its topics
    topics: [topic],
    fromBeginning: true,
    handle: async (message) => {
      const receivedAt = wallMs();
      const event = fromBusMessage(message);
      if (event.type !== 'xueji.subsidy.eligibility.changed.v1') return;
      const data = event.data as { studentId: string; grantEligible: boolean };
      const sample = pending.get(data.studentId);
      if (sample && !data.grantEligible && sample.receivedAt === undefined) {
        sample.receivedAt = receivedAt;
        arrived++;
      }
    },
  });
  return { subscription, arrived: () => arrived };
}

async function benchRevocation(
  service: RunningService,
  bus: EventBus,
  ids: string[],
  rate: number,
  seconds: number,
  timeoutSeconds: number,
  title: string,
): Promise<void> {
  const changes = service.topics.of('status-change');
  const pending = new Map<string, Sample>();
  const reader = await watchRevocations(bus, service.topics.own, pending);
  const send = async (batch: { sample: Sample; event: EventEnvelope }[]) => {
    const at = wallMs();
    for (const b of batch) b.sample.publishedAt = at;
    await bus.publish(
      changes,
      batch.map((b) => toBusMessage(b.event)),
    );
  };
  const prepare = (studentId: string) => {
    const event = withdrawal(studentId);
    const sample: Sample = { studentId, eventId: event.id, publishedAt: NaN };
    pending.set(studentId, sample);
    return { sample, event };
  };

  console.log(
    `\n${title}: ${rate} WITHDRAWAL events/s for ${seconds} s, ` +
      `timed to eligibility.changed (grant false) read from ${service.topics.own} (${load()})`,
  );
  // Warm-up: the service's consumer and the reader join their groups, kafkajs connects to the leaders.
  const warmupStarted = performance.now();
  const warmup = ids.slice(0, WARMUP_WITHDRAWALS).map(prepare);
  await send(warmup);
  const warmed = await waitUntil(() => warmup.every((w) => w.sample.receivedAt !== undefined), 120_000);
  console.log(
    `   warm-up: ${warmup.filter((w) => w.sample.receivedAt !== undefined).length}/${warmup.length} revocations ` +
      `in ${((performance.now() - warmupStarted) / 1000).toFixed(1)} s (includes the consumers joining their groups)`,
  );
  if (!warmed) console.log('   warm-up incomplete: the figures below include whatever is still starting');

  const measured = ids.slice(WARMUP_WITHDRAWALS, WARMUP_WITHDRAWALS + Math.ceil(rate * seconds)).map(prepare);
  const intervalMs = 1000 / rate;
  const started = performance.now();
  let sent = 0;
  let batches = 0;
  while (sent < measured.length) {
    const due = Math.min(measured.length, Math.floor((performance.now() - started) / intervalMs) + 1);
    if (due > sent) {
      await send(measured.slice(sent, due));
      batches++;
      sent = due;
    }
    const wait = started + sent * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const publishSeconds = (performance.now() - started) / 1000;
  console.log(
    `   published ${sent} events in ${publishSeconds.toFixed(2)} s (${(sent / publishSeconds).toFixed(1)}/s, ` +
      `${batches} sends)`,
  );
  await waitUntil(() => measured.every((m) => m.sample.receivedAt !== undefined), timeoutSeconds * 1000);
  await reader.subscription.stop();

  const arrived = measured.filter((m) => m.sample.receivedAt !== undefined).map((m) => m.sample);
  const missing = measured.length - arrived.length;
  console.log(
    `   revocations received: ${arrived.length}/${measured.length}; end to end (publish → received on ` +
      `subsidy's topic): ${arrived.length ? summary(arrived.map((s) => s.receivedAt! - s.publishedAt)) : 'none'}`,
  );
  console.log(`   never arrived within ${timeoutSeconds} s after the last publish: ${missing}`);
  const perSecond = Math.max(1, Math.round(rate));
  const latencyOf = (part: typeof measured) =>
    part.filter((m) => m.sample.receivedAt !== undefined).map((m) => m.sample.receivedAt! - m.sample.publishedAt);
  console.log(
    `   the first second's events: ${summary(latencyOf(measured.slice(0, perSecond)))}; ` +
      `the last second's: ${summary(latencyOf(measured.slice(-perSecond)))}`,
  );

  // Where the time goes, from the database's own stamps: the inbox row is written when the
  // consumer's transaction starts, the outbox row's published_at once the broker acknowledged it.
  const applied = (await service.dataSource.query(
    `SELECT event_id, extract(epoch FROM received_at) * 1000 AS at FROM inbox_message WHERE event_id = ANY($1::text[])`,
    [measured.map((m) => m.sample.eventId)],
  )) as { event_id: string; at: string }[];
  const relayed = (await service.dataSource.query(
    `SELECT message_key, extract(epoch FROM published_at) * 1000 AS at FROM outbox_message
      WHERE message_key = ANY($1::text[]) AND event_type = 'xueji.subsidy.eligibility.changed.v1'
        AND payload::jsonb ->> 'grantEligible' = 'false' AND published_at IS NOT NULL`,
    [measured.map((m) => m.sample.studentId)],
  )) as { message_key: string; at: string }[];
  const relayedAt = new Map(relayed.map((r) => [r.message_key, Number(r.at)]));
  const byEvent = new Map(measured.map((m) => [m.sample.eventId, m.sample]));
  const toConsumer: number[] = [];
  const toRelay: number[] = [];
  const toReader: number[] = [];
  for (const r of applied) {
    const s = byEvent.get(r.event_id)!;
    const relay = relayedAt.get(s.studentId);
    toConsumer.push(Number(r.at) - s.publishedAt);
    if (relay !== undefined) toRelay.push(relay - Number(r.at));
    if (relay !== undefined && s.receivedAt !== undefined) toReader.push(s.receivedAt - relay);
  }
  const appliedAt = applied.map((r) => Number(r.at)).sort((a, b) => a - b);
  const span = (appliedAt[appliedAt.length - 1]! - appliedAt[0]!) / 1000;
  console.log(
    `   subsidy's consumer started applying them at ${((appliedAt.length - 1) / span).toFixed(1)}/s on average ` +
      `(first to last: the publishing rate if it keeps up, its capacity if it falls behind)`,
  );
  console.log('   breakdown (database timestamps, same clock):');
  console.log(`     publish → subsidy's consumer starts applying (${toConsumer.length}): ${summary(toConsumer)}`);
  console.log(`     applying → relay has it acknowledged by Kafka (${toRelay.length}): ${summary(toRelay)}`);
  console.log(`     acknowledged → reader receives it (${toReader.length}): ${summary(toReader)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      students: { type: 'string', default: '20000' },
      seconds: { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '1,16,32' },
      rate: { type: 'string', default: '100' },
      timeout: { type: 'string', default: '30' },
    },
  });
  const students = Number(values.students);
  const seconds = Number(values.seconds);
  const rate = Number(values.rate);
  const timeoutSeconds = Number(values.timeout);
  const concurrencies = values.concurrency.split(',').map(Number);
  if (!Number.isInteger(students) || students < 1 || students > 200_000)
    throw new Error('--students must be 1..200000');
  if (!(seconds > 0) || !(rate > 0) || !(timeoutSeconds > 0))
    throw new Error('--seconds, --rate, --timeout must be > 0');
  if (concurrencies.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('--concurrency: e.g. 16 or 16,32');
  const withdrawals = WARMUP_WITHDRAWALS + Math.ceil(rate * seconds);
  if (2 * withdrawals > students) {
    throw new Error(`--students must be at least ${2 * withdrawals} (twice warm-up + rate × seconds)`);
  }
  loadInfraEnv();
  process.env.LOG_LEVEL ??= 'error';

  const databaseUrl = await createTestDatabase('subsidy_bench');
  const topicPrefix = `bench-${uniqueSuffix()}.`;
  const bus = createKafkaEventBus({ brokers: kafkaBrokers(), clientId: 'bench-subsidy-latency' });
  let service: RunningService | null = null;
  try {
    // Every topic of the deployment, as infra/topics.txt creates them: the service itself creates
    // only the ones it consumes and its own, not the partner eligibility topic it publishes to.
    await bus.ensureTopics(allTopics(topicPrefix));
    const config = { databaseUrl, topicPrefix, today: TODAY };
    // Seed without the relay: the seeded students' own eligibility events are not part of the benchmark.
    service = await startService(subsidy, testServiceConfig('subsidy', { ...config, relay: false }));
    const ids = Array.from({ length: students }, () => randomUUID());
    console.log(
      `seeding ${students} students (registered + approved, full-time, rural, entry ${ENTRY_DATE}; ` +
        `today ${TODAY}; ${load()}, ${cpus().length} CPUs)`,
    );
    const seedStarted = performance.now();
    await seed(service, ids);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const [outbox] = (await service.dataSource.query(
      `WITH marked AS (UPDATE outbox_message SET published_at = now() WHERE published_at IS NULL RETURNING 1)
       SELECT count(*)::int AS n FROM marked`,
    )) as { n: number }[];
    console.log(
      `seeded ${students} students in ${seedSeconds.toFixed(1)} s (${(students / seedSeconds).toFixed(0)} students/s, ` +
        `2 handler transactions each, concurrency ${SEED_CONCURRENCY}); ` +
        `their ${outbox!.n} outbox events marked published without sending`,
    );

    await service.stop();
    service = null;
    service = await startService(subsidy, testServiceConfig('subsidy', { ...config, relay: true }));
    await benchEligibilityCheck(service, ids, concurrencies, seconds);
    // Each withdrawn student is a different one, in random order.
    const shuffled = [...ids];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    await benchRevocation(
      service,
      bus,
      shuffled.slice(0, withdrawals),
      rate,
      seconds,
      timeoutSeconds,
      '2. withdrawal → revocation',
    );
    // Both at once, on other students: the check from one client while withdrawals stream in.
    const token = tokenFor({ subject: 'bench-officer', role: 'SUBSIDY_OFFICER', regionCode: OFFICER_REGION });
    const [checkUnderLoad] = await Promise.all([
      runLoad({
        url: service.url,
        token,
        ids: shuffled.slice(2 * withdrawals),
        concurrency: 1,
        warmupMs: 2000,
        durationMs: seconds * 1000,
      }),
      benchRevocation(
        service,
        bus,
        shuffled.slice(withdrawals, 2 * withdrawals),
        rate,
        seconds,
        timeoutSeconds,
        '3. withdrawal → revocation while one client checks eligibility',
      ),
    ]);
    const n = checkUnderLoad.latencies.length;
    console.log(
      `\n   the check during phase 3 (${rate} withdrawals/s being applied), 1 client: ${n} requests, ` +
        `${(n / checkUnderLoad.seconds).toFixed(0)} requests/s, ${summary(Array.from(checkUnderLoad.latencies))}; ` +
        `errors ${checkUnderLoad.errors}`,
    );
  } finally {
    await service?.stop();
    await bus.close();
    await dropTestDatabase(databaseUrl);
    await deleteTopicsAndGroups(kafkaBrokers(), topicPrefix);
  }
}

runMain(main);

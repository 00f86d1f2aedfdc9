/**
 * Issue 14's webhook fan-out: status changes delivered to partner endpoints as signed webhooks.
 * `pnpm exec tsx scripts/bench/webhook-fanout.ts [--events 1000] [--partners 5] [--rate 0]
 * [--warmup 10] [--verify-every 50] [--timeout 300]`.
 *
 * The partners service runs in a Node process of its own (`serve-one.ts`, a fresh database, a fresh
 * topic prefix with every topic of the deployment, the outbox relay on), so its CPU time (utime +
 * stime of /proc/<pid>/stat, read before and after) is its own. This process runs `--partners`
 * webhook receivers (node:http on 127.0.0.1, each answering 204 and recording when each `webhook-id`
 * first arrived; every `--verify-every`-th request's Standard Webhooks signature is checked with the
 * `standardwebhooks` package and the partner's secret), registers one partner per receiver through
 * the service's GraphQL (ADMINISTRATOR token; granted `xueji.status-change.partner.status-changed.v1`
 * province-wide), then publishes status changes of distinct students (with `regionCode`, a county of
 * that province) to the partner status topic as status-change does: `--warmup` first (waited for,
 * not measured), then `--events`, all at once in sends of 100 (`--rate 0`) or `--rate` a second.
 *
 * Prints: the deliveries (events × partners expected), deliveries a second (from the first publish to
 * the last arrival), change → delivery latency (from the event's publish to its arrival at each
 * endpoint) p50/p95/p99, where the time goes (the service's own timestamps: when it logged each
 * event, how many attempts the deliveries took), and the partners process's CPU ms a delivery, net of
 * what it spends at rest (measured over 3 idle seconds: the delivery job's polls every
 * PARTNER_DELIVERY_INTERVAL_MS, the relay's, the consumer's heartbeats). The PARTNER_DELIVERY_*
 * settings of the environment reach the service (printed). LOG_LEVEL (default info, as deployed) is
 * passed to it. Asserts nothing; drops the database and deletes the topics at the end.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { allTopics, chinaDate, topicNames } from '@xueji/config';
import { createKafkaEventBus } from '@xueji/event-bus';
import { createEvent, toBusMessage, type EventEnvelope } from '@xueji/events';
import {
  createTestDatabase,
  deleteTopicsAndGroups,
  dropTestDatabase,
  graphql,
  kafkaBrokers,
  tokenFor,
  uniqueSuffix,
  waitUntilReady,
} from '@xueji/testkit';
import { deliverySettings } from '../../services/partners/src/settings';
import { cpuMs, spawnChild, type Child } from './children';
import { loadInfraEnv, runMain } from './infra-env';
import type { ServeOneOptions } from './serve-one';
import { load, percentile, sleep, summary, waitUntil, wallMs } from './subsidy-seed';

const STATUS_TYPE = 'xueji.status-change.partner.status-changed.v1';
/** The partners' grant: a province, which covers the students' county. */
const PROVINCE = '420000';
const COUNTY = '420302';
const SCHOOL = randomUUID();
const SEND_SIZE = 100;
const IDLE_MS = 3000;
const admin = tokenFor({ subject: 'bench-admin', role: 'ADMINISTRATOR' });

const REGISTER = `mutation ($input: RegisterPartnerInput!) {
  registerPartner(input: $input) { secret partner { id } }
}`;

/** The partner copy of a withdrawal, as status-change publishes it. */
function statusChanged(studentId: string): EventEnvelope {
  return createEvent(STATUS_TYPE, studentId, {
    studentId,
    kind: 'WITHDRAWAL',
    effectiveDate: chinaDate(),
    previousStatus: 'ACTIVE',
    newStatus: 'WITHDRAWN',
    schoolId: SCHOOL,
    schoolName: '基准学校',
    regionCode: COUNTY,
  });
}

// ---------------------------------------------------------------------------------------------
// The partners process

/** The partners service in a process of its own (serve-one.ts), so its CPU time is its own. */
const spawnPartners = (options: ServeOneOptions): Promise<Child> =>
  spawnChild('partners', 'serve-one.ts', ['partners', JSON.stringify(options)]);

// ---------------------------------------------------------------------------------------------
// The partners' endpoints

interface Endpoint {
  url: string;
  /** The partner's secret, once it is registered. */
  secret: string;
  /** Wall-clock ms of each webhook-id's first arrival (the whole body read). */
  arrivals: Map<string, number>;
  /** Requests carrying a webhook-id already seen (at least once: a redelivery). */
  duplicates: number;
  verified: number;
  /** Sampled requests whose signature did not verify, or whose body's id is not the webhook-id. */
  badSignatures: number;
  firstBadSignature: string | null;
  close(): Promise<void>;
}

async function startEndpoint(verifyEvery: number): Promise<Endpoint> {
  let requests = 0;
  const endpoint: Endpoint = {
    url: '',
    secret: '',
    arrivals: new Map(),
    duplicates: 0,
    verified: 0,
    badSignatures: 0,
    firstBadSignature: null,
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = wallMs();
      const id = String(req.headers['webhook-id']);
      if (endpoint.arrivals.has(id)) endpoint.duplicates++;
      else endpoint.arrivals.set(id, at);
      res.writeHead(204).end();
      if (requests++ % verifyEvery !== 0) return;
      const raw = Buffer.concat(chunks).toString('utf8');
      try {
        new Webhook(endpoint.secret).verify(raw, {
          'webhook-id': id,
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        });
        const body = JSON.parse(raw) as { id?: string; type?: string };
        if (body.id !== id || body.type !== STATUS_TYPE)
          throw new Error(`body ${body.id} ${body.type} ≠ webhook ${id}`);
        endpoint.verified++;
      } catch (error) {
        endpoint.badSignatures++;
        endpoint.firstBadSignature ??= (error as Error).message;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  endpoint.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return endpoint;
}

const count = (n: number) => n.toLocaleString('en-US');

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000' },
      partners: { type: 'string', default: '5' },
      rate: { type: 'string', default: '0' },
      warmup: { type: 'string', default: '10' },
      'verify-every': { type: 'string', default: '50' },
      timeout: { type: 'string', default: '300' },
    },
  });
  const events = Number(values.events);
  const partnerCount = Number(values.partners);
  const rate = Number(values.rate);
  const warmupEvents = Number(values.warmup);
  const verifyEvery = Number(values['verify-every']);
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isInteger(events) || events < 1) throw new Error('--events must be a positive integer');
  if (!Number.isInteger(partnerCount) || partnerCount < 1 || partnerCount > 100)
    throw new Error('--partners must be 1..100');
  if (!Number.isInteger(warmupEvents) || warmupEvents < 0) throw new Error('--warmup must be 0 or more');
  if (!Number.isInteger(verifyEvery) || verifyEvery < 1) throw new Error('--verify-every must be a positive integer');
  if (!(rate >= 0) || !(timeoutSeconds > 0)) throw new Error('--rate must be ≥ 0 (0: all at once), --timeout > 0');
  loadInfraEnv();
  const settings = deliverySettings(); // what the service will read from the same environment
  console.log(
    `${new Date().toISOString()}, Node ${process.version}, ${cpus().length} CPUs, ${load()}, ` +
      `LOG_LEVEL ${process.env.LOG_LEVEL ?? 'info'}`,
  );
  console.log(
    `delivery settings: every ${settings.intervalMs} ms up to ${settings.batch} a partner at once, ` +
      `POST time limit ${settings.timeoutMs} ms, ${settings.maxAttempts} attempts`,
  );

  const databaseUrl = await createTestDatabase('bench_partners');
  const topicPrefix = `bench-${uniqueSuffix()}.`;
  const topic = topicNames('partners', topicPrefix).partnerStatus;
  const bus = createKafkaEventBus({ brokers: kafkaBrokers(), clientId: 'bench-webhook-fanout' });
  const db = new Client({ connectionString: databaseUrl });
  const endpoints: Endpoint[] = [];
  let service: Child | undefined;
  try {
    // Every topic of the deployment, as infra/topics.txt creates them.
    await bus.ensureTopics(allTopics(topicPrefix));
    service = await spawnPartners({ databaseUrl, topicPrefix, today: chinaDate(), relay: true });
    await waitUntilReady(service); // its inbox consumer has joined its group
    await db.connect();
    for (let i = 0; i < partnerCount; i++) endpoints.push(await startEndpoint(verifyEvery));
    for (const [i, endpoint] of endpoints.entries()) {
      const answer = await graphql<{ registerPartner: { secret: string; partner: { id: string } } }>(
        service.url,
        REGISTER,
        {
          input: {
            name: `Bench partner ${i + 1}`,
            eventTypes: [STATUS_TYPE],
            regionCode: PROVINCE,
            endpointUrl: endpoint.url,
          },
        },
        admin,
      );
      if (answer.errors || !answer.data) throw new Error(`registerPartner: ${JSON.stringify(answer.errors)}`);
      endpoint.secret = answer.data.registerPartner.secret;
    }
    console.log(
      `${partnerCount} partners registered (ADMINISTRATOR, ${STATUS_TYPE} in ${PROVINCE}), ` +
        `endpoints on 127.0.0.1 answering 204; every ${verifyEvery}th request's signature verified`,
    );
    const delivered = (ids: string[]) =>
      endpoints.reduce((n, e) => n + ids.filter((id) => e.arrivals.has(id)).length, 0);

    // Warm-up: kafkajs connects to the leaders, the service's code paths and connections warm.
    if (warmupEvents > 0) {
      const warmup = Array.from({ length: warmupEvents }, () => statusChanged(randomUUID()));
      const started = performance.now();
      await bus.publish(topic, warmup.map(toBusMessage));
      const ids = warmup.map((e) => e.id);
      const warmed = await waitUntil(() => delivered(ids) === ids.length * partnerCount, 120_000);
      console.log(
        `warm-up: ${delivered(ids)}/${ids.length * partnerCount} deliveries in ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s${warmed ? '' : ' (incomplete)'}`,
      );
    }

    await sleep(1000); // the warm-up's outcomes recorded
    const idleFrom = cpuMs(service.pid);
    await sleep(IDLE_MS);
    const idleCpuPerMs = (cpuMs(service.pid) - idleFrom) / IDLE_MS;

    const changes = Array.from({ length: events }, () => statusChanged(randomUUID()));
    const publishedAt = new Map<string, number>();
    const send = async (batch: EventEnvelope[]) => {
      const at = wallMs();
      for (const e of batch) publishedAt.set(e.id, at);
      await bus.publish(topic, batch.map(toBusMessage));
    };
    const ids = changes.map((e) => e.id);
    const expected = events * partnerCount;
    console.log(
      `\npublishing ${count(events)} status changes of distinct students ` +
        `${rate > 0 ? `at ${rate}/s` : `at once, in sends of ${SEND_SIZE}`} → ${count(expected)} deliveries expected (${load()})`,
    );
    const cpuFrom = cpuMs(service.pid);
    const started = performance.now();
    const firstPublish = wallMs();
    if (rate > 0) {
      const intervalMs = 1000 / rate;
      let sent = 0;
      while (sent < changes.length) {
        const due = Math.min(changes.length, Math.floor((performance.now() - started) / intervalMs) + 1);
        if (due > sent) {
          await send(changes.slice(sent, due));
          sent = due;
        }
        const wait = started + sent * intervalMs - performance.now();
        if (wait > 0) await sleep(wait);
      }
    } else {
      for (let i = 0; i < changes.length; i += SEND_SIZE) await send(changes.slice(i, i + SEND_SIZE));
    }
    const publishSeconds = (performance.now() - started) / 1000;
    console.log(`published in ${publishSeconds.toFixed(2)} s`);
    let lastReport = performance.now();
    await waitUntil(() => {
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        console.log(`  … ${count(delivered(ids))} deliveries (${load()})`);
      }
      return delivered(ids) === expected;
    }, timeoutSeconds * 1000);
    // A POST's outcome is recorded after its answer: the work ends when the last one is (polled every
    // 100 ms, at most 10 s).
    const arrived = delivered(ids);
    const outcomes = () =>
      db.query<{ deliveries: number; delivered: number; attempts: number }>(
        `SELECT count(*)::int AS deliveries, count(*) FILTER (WHERE d.state = 'DELIVERED')::int AS delivered,
                coalesce(sum(d.attempts), 0)::int AS attempts
           FROM partner_delivery d JOIN partner_event ev ON ev.seq = d.event_seq
          WHERE ev.event_id = ANY($1::uuid[])`,
        [ids],
      );
    let recorded = (await outcomes()).rows[0]!;
    for (let i = 0; i < 100 && recorded.delivered < arrived; i++) {
      await sleep(100);
      recorded = (await outcomes()).rows[0]!;
    }
    const elapsedMs = performance.now() - started;
    const cpu = cpuMs(service.pid) - cpuFrom;

    // ------------------------------------------------------------------------------------------
    const latencies: number[] = [];
    let firstArrival = Infinity;
    let lastArrival = -Infinity;
    const perPartner: string[] = [];
    for (const [i, endpoint] of endpoints.entries()) {
      const own: number[] = [];
      for (const id of ids) {
        const at = endpoint.arrivals.get(id);
        if (at === undefined) continue;
        own.push(at - publishedAt.get(id)!);
        firstArrival = Math.min(firstArrival, at);
        lastArrival = Math.max(lastArrival, at);
      }
      latencies.push(...own);
      const sorted = Float64Array.from(own).sort();
      perPartner.push(
        `#${i + 1} ${own.length}: p50 ${percentile(sorted, 0.5).toFixed(0)} ms, ` +
          `p99 ${percentile(sorted, 0.99).toFixed(0)} ms`,
      );
    }
    const total = latencies.length;
    const duplicates = endpoints.reduce((n, e) => n + e.duplicates, 0);
    console.log(
      `\ndeliveries: ${count(total)} of ${count(expected)}` +
        (total === expected
          ? ''
          : ` — ${count(expected - total)} MISSING after ${timeoutSeconds} s (not ${count(expected)})`) +
        `; redelivered (a webhook-id again): ${duplicates}`,
    );
    if (total > 0) {
      const span = (lastArrival - firstPublish) / 1000;
      console.log(
        `deliveries per second: ${(total / span).toFixed(1)} (first publish → last arrival, ${span.toFixed(2)} s); ` +
          `${((total - 1) / ((lastArrival - firstArrival) / 1000)).toFixed(1)} between the first and last arrival`,
      );
      console.log(`change → delivery (publish → arrival at each endpoint): ${summary(latencies)}`);
      console.log(`  per partner: ${perPartner.join('; ')}`);
    }
    const verified = endpoints.reduce((n, e) => n + e.verified, 0);
    const bad = endpoints.reduce((n, e) => n + e.badSignatures, 0);
    console.log(
      `signatures verified (standardwebhooks, a sample of every ${verifyEvery}th request): ${verified} valid, ${bad} not` +
        (bad ? ` (first: ${endpoints.find((e) => e.firstBadSignature)?.firstBadSignature})` : ''),
    );
    const netCpu = cpu - idleCpuPerMs * elapsedMs;
    if (total > 0) {
      console.log(
        `partners process CPU: ${(cpu / 1000).toFixed(1)} s over ${(elapsedMs / 1000).toFixed(1)} s ` +
          `(${((100 * cpu) / elapsedMs).toFixed(0)}% of a core); ${(cpu / total).toFixed(2)} ms a delivery, ` +
          `${(netCpu / total).toFixed(2)} ms net of its ${(idleCpuPerMs * 1000).toFixed(0)} ms/s at rest ` +
          `(the event logged once, then a POST per partner)`,
      );
    }

    // Where the time goes, from the service's database (same clock): when it logged each event (its
    // inbox transaction), and the attempts its deliveries took.
    const logged = await db.query<{ event_id: string; at: string }>(
      `SELECT event_id::text, extract(epoch FROM received_at) * 1000 AS at FROM partner_event WHERE event_id = ANY($1::uuid[])`,
      [ids],
    );
    const loggedAt = new Map(logged.rows.map((r) => [r.event_id, Number(r.at)]));
    const toLogged = logged.rows.map((r) => Number(r.at) - publishedAt.get(r.event_id)!);
    const toArrival: number[] = [];
    for (const endpoint of endpoints) {
      for (const [id, at] of loggedAt) {
        const arrived = endpoint.arrivals.get(id);
        if (arrived !== undefined) toArrival.push(arrived - at);
      }
    }
    const times = logged.rows.map((r) => Number(r.at)).sort((a, b) => a - b);
    console.log('where the time goes (the service’s timestamps):');
    console.log(
      `  publish → logged by partners' consumer (${logged.rows.length} events` +
        (times.length > 1
          ? `, ${((times.length - 1) / ((times.at(-1)! - times[0]!) / 1000)).toFixed(0)}/s first to last`
          : '') +
        `): ${summary(toLogged)}`,
    );
    console.log(`  logged → arrival at an endpoint (${toArrival.length}): ${summary(toArrival)}`);
    console.log(
      `  deliveries queued ${count(recorded.deliveries)}, recorded delivered ${count(recorded.delivered)}, ` +
        `attempts ${count(recorded.attempts)}` +
        (recorded.attempts > recorded.delivered ? ' (retried after a failure or a lapsed lease)' : ''),
    );
    console.log(`\n${load()} at the end`);
  } finally {
    await service?.stop();
    await Promise.all(endpoints.map((e) => e.close()));
    await db.end().catch(() => undefined);
    await bus.close();
    await dropTestDatabase(databaseUrl);
    await deleteTopicsAndGroups(kafkaBrokers(), topicPrefix);
  }
}

runMain(main);

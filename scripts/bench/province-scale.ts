/**
 * The table of issue 13 in one run: the federated student read (one student across all five
 * subgraphs) through the gateway and straight to the subgraphs, then the students list and search
 * at province scale. `pnpm exec tsx scripts/bench/province-scale.ts [--sizes 10000,1000000]
 * [--concurrency 1,10,50] [--requests 1000] [--rounds 2] [--no-lists] [--no-read] [--profile <dir>]
 * [--hive-router <binary>]`.
 *
 * **The federated read.** Each subgraph runs in a Node process of its own (`serve-one.ts`, a fresh
 * database each, a fresh topic prefix), and so does the gateway (`serve-gateway.ts`), so the CPU
 * time of each (utime + stime of /proc/<pid>/stat, read before and after) is that process's alone.
 * Enrolment is seeded in SQL (`seed-by-sql.ts`, 1,000 students); the read is one student's
 * enrolment record, status, history, requests, assessment summary, graduation case and subsidy
 * eligibility, as a provincial reviewer. The requests the query plan makes are recorded once (an
 * in-process gateway in front of recording proxies); "direct" then sends those same requests
 * (same bodies, the gateway's secret header, stage by stage as the plan does: the root fetch, then
 * the entity fetches at once) from the load generator. For each concurrency and round, gateway and
 * direct alternate, after a warm-up: req/s, p50/p95/p99, and CPU ms a request of each process
 * (`load` is this process, the load generator), net of what the process spends at rest (measured
 * over one idle second before each run: the outbox relay's polls, the consumers' heartbeats). Then the ratio gateway ÷ direct of each round.
 * The load generator is a keep-alive loop on node:http (no web streams, one socket a client).
 * `--hive-router <binary>`: the same read through Hive Router too (`hive-router.ts`), in the same
 * alternation, so the three are measured side by side (issue 13, item 4).
 *
 * **The lists.** `student-lists.ts` at `--sizes` (a fresh database seeded by SQL each), run as a
 * process of its own with `--list-requests` and concurrency 1 and 10.
 *
 * `--profile <dir>`: the subgraphs and the gateway run with `--cpu-prof` (.cpuprofile files in
 * <dir>/<process>, written when they stop; the largest is the main thread's). Prints figures, asserts nothing; drops the databases and deletes
 * the topics at the end. LOG_LEVEL (default info, as deployed) is passed to every process.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { SERVICE_NAMES, type ServiceName } from '@xueji/config';
import {
  createTestDatabase,
  deleteTopicsAndGroups,
  dropTestDatabase,
  gatewaySecretHeaders,
  kafkaBrokers,
  REPO_ROOT,
  TEST_GATEWAY_SECRET,
  TEST_JWT_SECRET,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { startGateway } from '../../gateway/src/gateway';
import { readCommittedSupergraph } from '../../gateway/src/supergraph';
import { seedStudentsBySql } from '../../services/enrolment/test/seed-by-sql';
import { cpuMs, killedOnExit, spawnChild, type Child } from './children';
import { startHiveRouter } from './hive-router';
import { loadInfraEnv, runMain } from './infra-env';
import type { ServeGatewayOptions } from './serve-gateway';
import type { ServeOneOptions } from './serve-one';
import { percentile } from './subsidy-seed';

const TODAY = '2026-10-15';
const STUDENT_READ = `query ($id: ID!) {
  student(id: $id) {
    id name studentNumber registrationStatus entryDate school { id name regionCode }
    status { code since }
    statusHistory { kind previousStatus newStatus effectiveAt }
    changeRequests { id }
    assessment { resultsRecorded truantHoursThisSemester }
    graduation { stage diplomaNumber }
    subsidyEligibility { asOf period }
  }
}`;
const reviewer = tokenFor({ subject: 'reviewer-bench', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });

const SHORT: Record<ServiceName | 'gateway' | 'load', string> = {
  gateway: 'gw',
  enrolment: 'enr',
  'status-change': 'sc',
  assessment: 'as',
  graduation: 'gr',
  subsidy: 'su',
  partners: 'pa',
  load: 'load',
};

// ---------------------------------------------------------------------------------------------
// Processes

/** A child of `script`, under `--cpu-prof` into `profileDir/<name>` when a profile is asked for. */
function spawnProfiled(name: string, script: string, args: string[], profileDir?: string): Promise<Child> {
  // A directory a process (tsx's loader thread writes a profile of its own beside the main thread's).
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : [];
  return spawnChild(name, script, args, { nodeArgs });
}

// ---------------------------------------------------------------------------------------------
// The load generator: a keep-alive loop on node:http

interface Target {
  url: URL;
  headers: Record<string, string>;
  body: string;
}

function post(agent: http.Agent, target: Target): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: target.url.hostname,
        port: target.url.port,
        path: target.url.pathname,
        method: 'POST',
        headers: { ...target.headers, 'content-length': Buffer.byteLength(target.body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200 || text.includes('"errors"')) {
            reject(new Error(`${target.url.href} answered ${response.statusCode}: ${text.slice(0, 500)}`));
          } else resolve();
        });
        response.on('error', reject);
      },
    );
    request.on('error', (error) => reject(new Error(`${target.url.href}: ${error.message}`)));
    request.end(target.body);
  });
}

/** One read: each stage's requests at once, the stages one after the other. */
type Read = (agent: http.Agent) => Promise<void>;

/** How the read is sent: through the Apollo gateway, through Hive Router, or straight to the subgraphs. */
type Mode = 'gateway' | 'hive' | 'direct';

const stagesRead =
  (stages: Target[][]): Read =>
  async (agent) => {
    for (const stage of stages) await Promise.all(stage.map((t) => post(agent, t)));
  };

interface Row {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  cpuPerRequest: Record<string, number>;
}

async function measure(read: Read, requests: number, concurrency: number, pids: Record<string, number>): Promise<Row> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency * 5, timeout: 4000 });
  try {
    let warm = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (warm++ < Math.max(100, concurrency * 4)) await read(agent);
      }),
    );
    const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
    const idleRates = await idleCpuRates(pids, before);
    const beforeRun = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < requests) {
          const t = performance.now();
          await read(agent);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuPerRequest = Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => [
        name,
        Math.max(0, cpuMs(pid) - beforeRun[name]! - idleRates[name]! * seconds) / requests,
      ]),
    );
    const sorted = latencies.sort((a, b) => a - b);
    return {
      requestsPerSecond: requests / seconds,
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      p99: percentile(sorted, 0.99),
      cpuPerRequest,
    };
  } finally {
    agent.destroy();
  }
}

/**
 * CPU ms a second of each process at rest (the outbox relay's polls, the consumers' heartbeats),
 * over one idle second: subtracted from a run's CPU, so that a request's CPU is its own.
 */
async function idleCpuRates(
  pids: Record<string, number>,
  before: Record<string, number>,
): Promise<Record<string, number>> {
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const seconds = (performance.now() - started) / 1000;
  return Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, name === SHORT.load ? 0 : (cpuMs(pid) - before[name]!) / seconds]),
  );
}

const fmt = (v: number) => v.toFixed(v < 10 ? 2 : 1);

function printRow(label: string, concurrency: number, row: Row): void {
  const cpu = Object.entries(row.cpuPerRequest)
    .map(([name, ms]) => `${name} ${fmt(ms)}`)
    .join('  ');
  console.log(
    `  ${label.padEnd(8)} c=${String(concurrency).padEnd(3)} ${row.requestsPerSecond.toFixed(1).padStart(7)} req/s  ` +
      `p50 ${fmt(row.p50).padStart(6)}  p95 ${fmt(row.p95).padStart(6)}  p99 ${fmt(row.p99).padStart(6)} ms  ` +
      `CPU ms/req: ${cpu}`,
  );
}

// ---------------------------------------------------------------------------------------------
// The requests the query plan makes, recorded once

interface Recorded {
  target: Target;
  arrived: number;
  answered: number;
}

/**
 * An in-process gateway whose subgraphs are recording proxies in front of the real ones: one
 * read through it gives the subgraph requests of the plan, grouped in stages (a request that
 * arrived before every earlier one was answered runs beside them).
 */
async function recordPlan(subgraphUrls: Record<ServiceName, string>, variables: object): Promise<Target[][]> {
  const recorded: Recorded[] = [];
  const proxies = await Promise.all(
    SERVICE_NAMES.map(async (name) => {
      const real = new URL(subgraphUrls[name]);
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const entry: Recorded = {
            target: {
              url: real,
              headers: {
                'content-type': 'application/json',
                ...gatewaySecretHeaders(TEST_GATEWAY_SECRET),
                authorization: req.headers.authorization ?? '',
              },
              body,
            },
            arrived: performance.now(),
            answered: Infinity,
          };
          recorded.push(entry);
          void fetch(real, { method: 'POST', headers: entry.target.headers, body }).then(async (answer) => {
            const text = await answer.text();
            entry.answered = performance.now();
            res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
            res.end(text);
          });
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return [name, server] as const;
    }),
  );
  const gateway = await startGateway({
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls: Object.fromEntries(
      proxies.map(([name, server]) => [name, `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`]),
    ),
    jwtSecret: TEST_JWT_SECRET,
    gatewaySecret: TEST_GATEWAY_SECRET,
    logLevel: 'warn',
  });
  try {
    const answer = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${reviewer}` },
      body: JSON.stringify({ query: STUDENT_READ, variables }),
    });
    const text = await answer.text();
    if (answer.status !== 200 || text.includes('"errors"')) throw new Error(`the read failed: ${text.slice(0, 1000)}`);
    console.log(`One read: ${text.length} bytes, ${recorded.length} subgraph requests`);
  } finally {
    await gateway.stop();
    proxies.forEach(([, server]) => server.close());
  }
  const stages: Recorded[][] = [];
  for (const entry of recorded.sort((a, b) => a.arrived - b.arrived)) {
    const last = stages.at(-1);
    if (last && last.every((e) => e.answered > entry.arrived)) last.push(entry);
    else stages.push([entry]);
  }
  return stages.map((stage) => stage.map((e) => e.target));
}

// ---------------------------------------------------------------------------------------------

async function benchRead(options: {
  concurrencies: number[];
  requests: number;
  rounds: number;
  profileDir?: string;
  /** A hive-router binary: the read through it is measured beside the gateway's. */
  hiveRouter?: string;
}): Promise<void> {
  const topicPrefix = testTopicPrefix();
  const databases = {} as Record<ServiceName, string>;
  const services: Child[] = [];
  let gateway: Child | undefined;
  let router: Child | undefined;
  try {
    for (const name of SERVICE_NAMES) databases[name] = await createTestDatabase(`bench_${name.replace('-', '_')}`);
    const started = await Promise.all(
      SERVICE_NAMES.map((name) =>
        spawnProfiled(
          name,
          'serve-one.ts',
          [
            name,
            JSON.stringify({
              databaseUrl: databases[name],
              topicPrefix,
              today: TODAY,
              relay: true,
            } satisfies ServeOneOptions),
          ],
          options.profileDir,
        ),
      ),
    );
    services.push(...started);
    const urls = Object.fromEntries(started.map((c) => [c.name, c.url])) as Record<ServiceName, string>;
    const enrolmentDb = new Client({ connectionString: databases.enrolment });
    await enrolmentDb.connect();
    let studentId: string;
    try {
      await seedStudentsBySql(enrolmentDb, 1000);
      const { rows } = await enrolmentDb.query<{ id: string }>(
        `SELECT id FROM student WHERE left(region_code, 2) = '22' ORDER BY registered_at, id LIMIT 1`,
      );
      studentId = rows[0]!.id;
    } finally {
      await enrolmentDb.end();
    }
    gateway = await spawnProfiled(
      'gateway',
      'serve-gateway.ts',
      [JSON.stringify({ subgraphUrls: urls, logLevel: process.env.LOG_LEVEL ?? 'info' } satisfies ServeGatewayOptions)],
      options.profileDir,
    );
    const variables = { id: studentId };
    const stages = await recordPlan(urls, variables);
    console.log(
      `The plan: ${stages
        .map((stage) => stage.map((t) => started.find((c) => c.url === t.url.href)?.name ?? t.url.href).join(' + '))
        .join(' → ')}`,
    );
    const throughGateway: Target = {
      url: new URL(gateway.url),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${reviewer}` },
      body: JSON.stringify({ query: STUDENT_READ, variables }),
    };
    if (options.hiveRouter) {
      router = await startHiveRouter({
        binary: options.hiveRouter,
        subgraphUrls: urls,
        gatewaySecret: TEST_GATEWAY_SECRET,
      });
    }
    const subgraphPids: Record<string, number> = {};
    for (const c of started) subgraphPids[SHORT[c.name as ServiceName]] = c.pid;
    subgraphPids[SHORT.load] = process.pid;
    // Each mode: what one read sends, and the processes whose CPU it costs.
    const modes: Partial<Record<Mode, { read: Read; pids: Record<string, number> }>> = {
      gateway: { read: stagesRead([[throughGateway]]), pids: { [SHORT.gateway]: gateway.pid, ...subgraphPids } },
      direct: { read: stagesRead(stages), pids: subgraphPids },
    };
    if (router) {
      modes.hive = {
        read: stagesRead([[{ ...throughGateway, url: new URL(router.url) }]]),
        pids: { hr: router.pid, ...subgraphPids },
      };
    }
    const measured = Object.keys(modes) as Mode[];

    console.log(
      `\nThe student read across five subgraphs: through the gateway${router ? ', through Hive Router' : ''} ` +
        'vs the same requests direct',
    );
    for (const concurrency of options.concurrencies) {
      const ratios: string[] = [];
      for (let round = 1; round <= options.rounds; round++) {
        // Alternate which goes first, so a neighbour's load does not always fall on the same one.
        const order = round % 2 === 1 ? measured : [...measured].reverse();
        const rows: Partial<Record<Mode, Row>> = {};
        for (const mode of order) {
          rows[mode] = await measure(modes[mode]!.read, options.requests, concurrency, modes[mode]!.pids);
          printRow(mode, concurrency, rows[mode]);
        }
        const d = rows.direct!;
        const ratio = (mode: Mode) =>
          `${mode} ${(rows[mode]!.requestsPerSecond / d.requestsPerSecond).toFixed(2)}× req/s, ` +
          `p50 +${(rows[mode]!.p50 - d.p50).toFixed(1)} ms`;
        ratios.push(
          `round ${round}: ${measured
            .filter((m) => m !== 'direct')
            .map(ratio)
            .join(', ')}`,
        );
      }
      console.log(`  ÷ direct at c=${concurrency}: ${ratios.join('; ')}`);
    }
  } finally {
    await router?.stop();
    await gateway?.stop();
    await Promise.all(services.map((c) => c.stop()));
    for (const url of Object.values(databases)) await dropTestDatabase(url);
    await deleteTopicsAndGroups(kafkaBrokers(), topicPrefix);
  }
}

/** student-lists.ts, in a process of its own, its output as it comes. */
async function benchLists(sizes: string, requests: string): Promise<void> {
  console.log(`\nThe students list and search (student-lists.ts, sizes ${sizes})`);
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(__dirname, 'student-lists.ts'),
      '--sizes',
      sizes,
      '--requests',
      requests,
      '--concurrency',
      '1,10',
    ],
    { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' } },
  );
  killedOnExit(proc);
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  if (code !== 0) throw new Error(`student-lists.ts exited with ${code}`);
}

async function main(): Promise<void> {
  loadInfraEnv();
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,1000000' },
      concurrency: { type: 'string', default: '1,10,50' },
      requests: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '2' },
      'list-requests': { type: 'string', default: '300' },
      'no-lists': { type: 'boolean', default: false },
      'no-read': { type: 'boolean', default: false },
      profile: { type: 'string' },
      'hive-router': { type: 'string' },
    },
  });
  console.log(`${new Date().toISOString()}, Node ${process.version}, LOG_LEVEL ${process.env.LOG_LEVEL ?? 'info'}`);
  if (!values['no-read']) {
    await benchRead({
      concurrencies: values.concurrency.split(',').map(Number),
      requests: Number(values.requests),
      rounds: Number(values.rounds),
      profileDir: values.profile ? path.resolve(values.profile) : undefined,
      hiveRouter: values['hive-router'],
    });
  }
  if (!values['no-lists']) await benchLists(values.sizes, values['list-requests']);
}

runMain(main);

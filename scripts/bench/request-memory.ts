/**
 * What the heaviest requests a client may send cost the service that serves them (issue 10: "no
 * single request can take a service above a few hundred MB or hold another caller more than a
 * second or two"). `pnpm exec tsx scripts/bench/request-memory.ts [--students 20000]
 * [--template 2000] [--change-requests 20000] [--rows 20000] [--rest 3]` (`--rows`: rosters smaller
 * than the full MAX_ROSTER_ROWS, for a quick run).
 *
 * Each service runs in a Node process of its own (`serve-one.ts`: `startService` with
 * `testServiceConfig`, a fresh database, a fresh topic prefix), so its RSS is the service's alone.
 * The requests go straight to the subgraph over HTTP with the gateway secret, as the gateway sends
 * them (testkit's `graphql()`), not through the gateway. For each request:
 *
 * - **memory:** the child's VmRSS after a full GC and `--rest` seconds idle (baseline), then its
 *   peak (VmHWM, reset through /proc/<pid>/clear_refs just before the request; VmRSS is also
 *   sampled every 25 ms);
 * - **another caller:** a probe sends a light operation to the same service every 50 ms (open
 *   loop, from a worker thread, so the parent's own work does not delay it): its p99 in the idle
 *   seconds before, and its max and p99 while the heavy request runs.
 *
 * Requests: enrolment `importRoster` of a full .xlsx (MAX_ROSTER_ROWS), then three at once (the
 * kit allows two; the third waits up to 1 s); `registrationRoster` of those students as .xlsx; the
 * largest `students` list the subgraph limits allow (`first: 500` written in the query, as many
 * aliases as the cost allows; and `first` as a variable, which the cost rule does not see, with
 * every alias allowed); subsidy `eligibilityRosterFile` of a city of `--students`, once and two at
 * once (seeded as subsidy-roster.ts does); status-change's `monthlyReport` of a month of
 * `--change-requests` changes (rows written in SQL). Prints figures, asserts nothing; drops the
 * databases and deletes the topics at the end.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, specifiedRules, validate } from 'graphql';
import { Client } from 'pg';
import { GATEWAY_QUERY_LIMITS, queryLimits, SUBGRAPH_QUERY_LIMITS } from '@xueji/graphql-limits';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  deleteTopicsAndGroups,
  dropTestDatabase,
  gatewaySecretHeaders,
  kafkaBrokers,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { buildRosterFile, MAX_ROSTER_ROWS } from '../../services/enrolment/src/roster';
import { enrolment } from '../../services/enrolment/src/service';
import { subsidy } from '../../services/subsidy/src/service';
import { MAJOR, REGION, rosterRow } from '../../test/support/roster-rows';
import { spawnChild, type Child } from './children';
import { loadInfraEnv, runMain } from './infra-env';
import type { ServeOneOptions } from './serve-one';
import { load, OFFICER_REGION, percentile, seed, sleep, TODAY as SUBSIDY_TODAY, wallMs } from './subsidy-seed';

const ENROLMENT_TODAY = '2026-09-15';
const STATUS_TODAY = '2026-10-15';
const REPORT_MONTH = '2026-09';
const PROVINCE = '220000';
const PERIOD = '2026-autumn';

const IMPORT = `mutation ($input: RosterImportInput!) {
  importRoster(input: $input) { rows registered alreadyRegistered rejected problems { row rule messageEn } }
}`;
const EXPORT = `query ($schoolId: ID!, $entryYear: Int!) {
  registrationRoster(schoolId: $schoolId, entryYear: $entryYear) { fileName contentType contentBase64 rows }
}`;
const SUBSIDY_FILE = `query ($filter: EligibilityRosterFilter!) {
  eligibilityRosterFile(filter: $filter) { fileName contentType contentBase64 rows }
}`;
const MONTHLY_REPORT = `query ($month: String!) {
  monthlyReport(kind: STATUS_CHANGES, month: $month) {
    kind month scope dueDate generatedAt lateCount fileName file
    rows { requestId studentId kind effectiveDate fromSchoolId toSchoolId submittedAt decidedAt late }
  }
}`;
/** Every Student field, with the scalar fields of the objects it points at ("two levels down"). */
const STUDENT_FIELDS = `id name sex birthDate idNumber origin followsSeparateRules ethnicity household address contact
  photoRef entryDate intake entryLevel studyForm programme partnerCollege jointPartner className expectedYears
  studentNumber registrationStatus isFormal registeredAt decidedAt decisionComment deferredUntil
  major { code name agricultureRelated waiverExcluded standardYears } majorCategory { code name }
  school { id code name regionCode regionName authorityTier authorityRegionCode status }
  teachingPoint { id name regionCode } archiveSections { key titleZh titleEn keptBy }`;

/** `aliases` lists of students in one operation; `first` is a literal (`500`) or `$first`. */
function studentsQuery(aliases: number, first: string): string {
  const lists = Array.from(
    { length: aliases },
    (_, i) =>
      `  a${i}: students(first: ${first}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ...S } } }`,
  );
  const variables = first.startsWith('$') ? `(${first}: Int!)` : '';
  return `query${variables} {\n${lists.join('\n')}\n}\nfragment S on Student { ${STUDENT_FIELDS} }`;
}

// ---------------------------------------------------------------------------------------------
// The child processes

/** A service in a process of its own (serve-one.ts), whose heap can be collected on request. */
interface ServiceChild extends Child {
  gc(): Promise<void>;
}

async function spawnService(name: string, options: ServeOneOptions): Promise<ServiceChild> {
  const child = await spawnChild(name, 'serve-one.ts', [name, JSON.stringify(options)], {
    nodeArgs: ['--expose-gc'],
    stdout: 'inherit',
    logLevel: 'error',
  });
  return {
    ...child,
    gc: () =>
      new Promise((resolve) => {
        child.process.once('message', () => resolve());
        child.process.send('gc');
      }),
  };
}

/** VmRSS and VmHWM of a process, in kB. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Reset the process's VmHWM to its current RSS (Linux ≥ 4.0); false where that is refused. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The monitor: a worker thread that samples the child's RSS and sends the probe

/** Plain JavaScript, run with `eval`: samples VmRSS every 25 ms, sends the probe every 50 ms. */
const MONITOR = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const now = () => performance.timeOrigin + performance.now();
let target = null;
const probes = [];
const rss = [];
const pending = new Set();
setInterval(() => {
  if (!target) return;
  try {
    const m = /VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/' + target.pid + '/status', 'utf8'));
    if (m) rss.push([now(), Number(m[1])]);
  } catch {}
}, 25);
setInterval(() => {
  if (!target) return;
  const t = target;
  const probe = { at: now(), ms: NaN, ok: false };
  pending.add(probe);
  fetch(t.url, { method: 'POST', headers: t.headers, body: t.body })
    .then(async (r) => { const text = await r.text(); probe.ok = r.status === 200 && !text.includes('"errors"'); })
    .catch(() => undefined)
    .finally(() => { probe.ms = now() - probe.at; pending.delete(probe); probes.push(probe); });
}, 50);
parentPort.on('message', async (m) => {
  if (m.type === 'target') {
    target = m.target;
    parentPort.postMessage({ id: m.id });
  } else if (m.type === 'collect') {
    const deadline = now() + 120000;
    while ([...pending].some((p) => p.at <= m.to) && now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const open = [...pending].filter((p) => p.at >= m.from && p.at <= m.to).map((p) => ({ at: p.at, ms: now() - p.at, ok: false }));
    parentPort.postMessage({
      id: m.id,
      probes: probes.filter((p) => p.at >= m.from && p.at <= m.to).concat(open),
      rss: rss.filter(([at]) => at >= m.from && at <= m.to).map(([, kb]) => kb),
    });
  }
});
`;

interface Probe {
  at: number;
  ms: number;
  ok: boolean;
}

class Monitor {
  private readonly worker = new Worker(MONITOR, { eval: true });
  private next = 0;
  private readonly waiting = new Map<number, (reply: Record<string, unknown>) => void>();

  constructor() {
    this.worker.on('message', (reply: { id: number }) => {
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
    });
  }

  private call<T>(message: Record<string, unknown>): Promise<T> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve as (reply: Record<string, unknown>) => void);
      this.worker.postMessage({ ...message, id });
    });
  }

  /** Probe `child` with this operation from now on, and sample its RSS. */
  target(child: ServiceChild, query: string, variables: Record<string, unknown>, token: string): Promise<void> {
    const headers = { 'content-type': 'application/json', ...gatewaySecretHeaders(), authorization: `Bearer ${token}` };
    return this.call({
      type: 'target',
      target: { pid: child.pid, url: child.url, headers, body: JSON.stringify({ query, variables }) },
    });
  }

  /** Probes sent and RSS samples taken between `from` and `to` (wall ms); waits for those probes' answers. */
  collect(from: number, to: number): Promise<{ probes: Probe[]; rss: number[] }> {
    return this.call({ type: 'collect', from, to });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

// ---------------------------------------------------------------------------------------------
// Requests and measurement

interface Answer {
  status: number;
  ms: number;
  bytes: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** POST one operation to a subgraph as the gateway would; times it to the last byte of the answer. */
async function post(url: string, body: string, token: string): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...gatewaySecretHeaders(), authorization: `Bearer ${token}` },
    body,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const parsed = JSON.parse(text) as Pick<Answer, 'data' | 'errors'>;
  return { status: response.status, ms, bytes: Buffer.byteLength(text), ...parsed };
}

const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
const n = (value: number) => value.toLocaleString('en-US');
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;
const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const msText = (ms: number) => (Number.isNaN(ms) ? '–' : ms >= 1000 ? secs(ms) : `${ms.toFixed(0)} ms`);
const failure = (a: Answer) => {
  const e = a.errors?.[0];
  const code = (e?.extensions?.code as string | undefined) ?? `HTTP ${a.status}`;
  return code === 'INTERNAL_SERVER_ERROR' || !e ? `${code}${e ? `: ${e.message.slice(0, 80)}` : ''}` : code;
};

interface Row {
  request: string;
  baselineKb: number;
  peakKb: number;
  ms: number;
  restP99: number;
  duringMax: number;
  duringP99: number;
  duringCount: number;
  failedProbes: number;
  outcome: string;
}

const rows: Row[] = [];
let restMs = 3000;

/** Baseline after a GC and a rest, the request(s), then the peak and the probe's latencies. */
async function measure(
  monitor: Monitor,
  child: ServiceChild,
  request: string,
  heavy: () => Promise<string>,
): Promise<Row> {
  await child.gc();
  const restFrom = wallMs();
  await sleep(restMs);
  const restTo = wallMs();
  const baselineKb = memoryOf(child.pid).rss;
  const reset = resetPeak(child.pid);
  const started = wallMs();
  let outcome: string;
  try {
    outcome = await heavy();
  } catch (error) {
    outcome = `failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 120);
  }
  const ended = wallMs();
  const { hwm } = memoryOf(child.pid);
  const rest = await monitor.collect(restFrom, restTo);
  const during = await monitor.collect(started, ended);
  const sampled = Math.max(baselineKb, ...during.rss);
  const restMsSorted = Float64Array.from(rest.probes.map((p) => p.ms)).sort();
  const duringSorted = Float64Array.from(during.probes.map((p) => p.ms)).sort();
  const row: Row = {
    request,
    baselineKb,
    peakKb: reset ? Math.max(hwm, sampled) : sampled,
    ms: ended - started,
    restP99: percentile(restMsSorted, 0.99),
    duringMax: duringSorted[duringSorted.length - 1] ?? NaN,
    duringP99: percentile(duringSorted, 0.99),
    duringCount: duringSorted.length,
    failedProbes: during.probes.filter((p) => !p.ok).length + rest.probes.filter((p) => !p.ok).length,
    outcome,
  };
  rows.push(row);
  console.log(
    `  ${request}: RSS ${mib(row.baselineKb)} → peak ${mib(row.peakKb)}${reset ? '' : ' (sampled; VmHWM reset refused)'}, ` +
      `${secs(row.ms)}; probe at rest p99 ${msText(row.restP99)}, during max ${msText(row.duringMax)} ` +
      `p99 ${msText(row.duringP99)} (${row.duringCount} probes${row.failedProbes ? `, ${row.failedProbes} failed` : ''}); ${outcome} (${load()})`,
  );
  return row;
}

function printTable(): void {
  const header = [
    'request',
    'baseline RSS',
    'peak RSS (VmHWM)',
    'duration',
    'probe at rest p99',
    'probe during: max / p99',
    'outcome',
  ];
  const lines = rows.map((r) => [
    r.request,
    mib(r.baselineKb),
    mib(r.peakKb),
    secs(r.ms),
    msText(r.restP99),
    `${msText(r.duringMax)} / ${msText(r.duringP99)}`,
    r.outcome,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${load()} at the end\n${line(header)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const l of lines) console.log(line(l));
}

// ---------------------------------------------------------------------------------------------
// Seeding

async function sql<T>(databaseUrl: string, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** Enrolment: `count` active schools in REGION approved for MAJOR. */
async function enrolmentSchools(databaseUrl: string, count: number): Promise<string[]> {
  return sql(databaseUrl, async (db) => {
    await db.query(`INSERT INTO major_category (code, name) VALUES ('66', '文化艺术大类')`);
    await db.query(`INSERT INTO major (code, name, category_code, standard_years) VALUES ($1, '工艺美术', '66', 3)`, [
      MAJOR,
    ]);
    const ids: string[] = [];
    for (let i = 1; i <= count; i++) {
      const { rows: inserted } = await db.query<{ id: string }>(
        `INSERT INTO school (code, name, region_code, authority_tier, authority_region_code)
         VALUES ($1, $2, $3, 'COUNTY', $3) RETURNING id`,
        [`BENCH-${i}`, `长春市基准测试职业学校${i}`, REGION],
      );
      await db.query('INSERT INTO school_major (school_id, major_code) VALUES ($1, $2)', [inserted[0]!.id, MAJOR]);
      ids.push(inserted[0]!.id);
    }
    return ids;
  });
}

/** Until enrolment's outbox is published (the relay runs in the child), at most five minutes. */
async function drainOutbox(child: ServiceChild, databaseUrl: string, after: string): Promise<void> {
  const reset = resetPeak(child.pid);
  const started = performance.now();
  let pending = -1;
  await sql(databaseUrl, async (db) => {
    while (performance.now() - started < 300_000) {
      const { rows: r } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM outbox_message WHERE published_at IS NULL',
      );
      pending = r[0]!.n;
      if (pending === 0) break;
      await sleep(200);
    }
  });
  console.log(
    `    outbox after ${after}: ${pending === 0 ? 'published' : `${pending} still unpublished`} in ` +
      `${secs(performance.now() - started)} by the child's relay` +
      (reset ? `, peak RSS meanwhile ${mib(memoryOf(child.pid).hwm)}` : ''),
  );
}

/** subsidy-roster.ts's copy: every seeded student `copies` times, under new ids and student numbers. */
async function multiply(service: RunningService, copies: number): Promise<void> {
  await service.dataSource.transaction(async (m) => {
    await m.query(
      `CREATE TEMP TABLE clone_map ON COMMIT DROP AS
      SELECT s.student_id AS src, gen_random_uuid() AS dst, k
        FROM subsidy_student s CROSS JOIN generate_series(1, $1) k`,
      [copies],
    );
    await m.query(`INSERT INTO student_scope (student_id, school_id, region_code, as_of)
      SELECT c.dst, s.school_id, s.region_code, s.as_of FROM clone_map c JOIN student_scope s ON s.student_id = c.src`);
    await m.query(`INSERT INTO subsidy_student
      SELECT (jsonb_populate_record(NULL::subsidy_student,
                to_jsonb(s) || jsonb_build_object('student_id', c.dst, 'student_number', s.student_number || '-' || c.k,
                                                  'id_number_digest', md5(c.dst::text)))).*
        FROM clone_map c JOIN subsidy_student s ON s.student_id = c.src`);
    await m.query(`INSERT INTO eligibility_decision
        (student_id, period, period_starts_on, grant_eligible, waiver_eligible, reasons, facts, decided_at, superseded_at, recorded_at)
      SELECT c.dst, d.period, d.period_starts_on, d.grant_eligible, d.waiver_eligible, d.reasons, d.facts, d.decided_at,
             d.superseded_at, d.recorded_at
        FROM clone_map c JOIN eligibility_decision d ON d.student_id = c.src`);
    await m.query(`INSERT INTO entitlement
        (student_id, period, period_starts_on, kind, amount_cny, state, recovery_flagged, created_at, cancelled_at, paid_at, paid_by)
      SELECT c.dst, e.period, e.period_starts_on, e.kind, e.amount_cny, e.state, e.recovery_flagged, e.created_at,
             e.cancelled_at, e.paid_at, e.paid_by
        FROM clone_map c JOIN entitlement e ON e.student_id = c.src`);
  });
  await service.dataSource.query('ANALYZE');
}

/** The largest number of aliases of `students(first: <first>)` the subgraph's limits let through. */
function maxAliases(first: string): number {
  const schema = buildSubgraphSchema({ typeDefs: enrolment.typeDefs });
  const limits = queryLimits(SUBGRAPH_QUERY_LIMITS);
  const passes = (n: number) => {
    try {
      return (
        validate(schema, parse(studentsQuery(n, first), limits.parseOptions), [
          ...specifiedRules,
          ...limits.validationRules,
        ]).length === 0
      );
    } catch {
      return false; // over the token limit
    }
  };
  let best = 0;
  for (let n = 1; n <= SUBGRAPH_QUERY_LIMITS.maxAliases + 1 && passes(n); n++) best = n;
  return best;
}

// ---------------------------------------------------------------------------------------------
// The phases

async function enrolmentPhase(
  monitor: Monitor,
  topicPrefix: string,
  databases: string[],
  rosterRows: number,
): Promise<void> {
  console.log('enrolment:');
  const databaseUrl = await createTestDatabase('request_memory_enrolment');
  databases.push(databaseUrl);
  const child = await spawnService('enrolment', { databaseUrl, topicPrefix, today: ENROLMENT_TODAY, relay: true });
  try {
    const [probeSchool, ...schools] = await enrolmentSchools(databaseUrl, 5);
    const registrar = (schoolId: string) =>
      tokenFor({ subject: `bench-${schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId });
    const reviewer = tokenFor({ subject: 'bench-reviewer', role: 'AUTHORITY_REVIEWER', regionCode: PROVINCE });
    const importBody = async (schoolId: string, from: number, count: number) => {
      const file = await buildRosterFile(
        Array.from({ length: count }, (_, i) => rosterRow(from + i)),
        'xlsx',
      );
      return body(IMPORT, { input: { schoolId, fileName: 'roster.xlsx', contentBase64: file.toString('base64') } });
    };
    const importOne = async (schoolId: string, payload: string) => {
      const answer = await post(child.url, payload, registrar(schoolId));
      const report = answer.data?.importRoster as { registered: number; rejected: number } | undefined;
      return report
        ? `${n(report.registered)} registered, ${report.rejected} rejected, ${secs(answer.ms)}`
        : `${failure(answer)} after ${secs(answer.ms)}`;
    };

    // The probe's student: a one-row roster at a school of its own.
    const probeImport = await post(child.url, await importBody(probeSchool!, 300_000, 1), registrar(probeSchool!));
    if (!probeImport.data) throw new Error(`probe roster: ${failure(probeImport)}`);
    const probeStudent = await sql(databaseUrl, async (db) => {
      const { rows: r } = await db.query<{ id: string }>('SELECT id FROM student WHERE school_id = $1', [probeSchool]);
      return r[0]!.id;
    });
    await monitor.target(
      child,
      'query ($id: ID!) { student(id: $id) { id name registrationStatus } }',
      { id: probeStudent },
      reviewer,
    );

    const started = performance.now();
    const files = await Promise.all(schools.map((s, k) => importBody(s, k * MAX_ROSTER_ROWS, rosterRows)));
    console.log(
      `  built 4 rosters of ${n(rosterRows)} rows in ${secs(performance.now() - started)}; ` +
        `each a request body of ${mb(files[0]!.length)} (the file in Base64)`,
    );

    // 1. One full roster.
    await measure(monitor, child, `enrolment importRoster, ${n(rosterRows)} rows .xlsx`, () =>
      importOne(schools[0]!, files[0]!),
    );
    await drainOutbox(child, databaseUrl, 'the import');

    // 2. Three at once, each to a school of its own.
    await measure(monitor, child, `enrolment importRoster ×3 at once`, async () => {
      const outcomes = await Promise.all([1, 2, 3].map((k) => importOne(schools[k]!, files[k]!)));
      return outcomes.map((o, i) => `#${i + 1}: ${o}`).join('; ');
    });
    await drainOutbox(child, databaseUrl, 'the three imports');

    // 3. The registration roster of the first school's intake, as .xlsx.
    await measure(monitor, child, `enrolment registrationRoster .xlsx`, async () => {
      const answer = await post(child.url, body(EXPORT, { schoolId: schools[0], entryYear: 2026 }), reviewer);
      const file = answer.data?.registrationRoster as { rows: number; contentBase64: string } | undefined;
      return file
        ? `${n(file.rows)} rows, ${mb(Buffer.from(file.contentBase64, 'base64').length)} .xlsx`
        : failure(answer);
    });

    // 5. The largest lists of students the subgraph limits allow, as a provincial reviewer.
    const [students] = await sql(
      databaseUrl,
      async (db) => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM student')).rows,
    );
    const literal = maxAliases('500');
    const variable = maxAliases('$first');
    console.log(
      `  ${students!.n} students; the subgraph limits (${SUBGRAPH_QUERY_LIMITS.maxAliases} aliases, cost ` +
        `${SUBGRAPH_QUERY_LIMITS.maxCost}) let through ${literal} × students(first: 500) and ${variable} × students(first: $first)`,
    );
    const list = async (query: string, variables: Record<string, unknown>) => {
      const answer = await post(child.url, body(query, variables), reviewer);
      if (!answer.data) return failure(answer);
      const edges = Object.values(answer.data as Record<string, { edges: unknown[] }>).reduce(
        (n, page) => n + page.edges.length,
        0,
      );
      return `${n(edges)} students, ${mb(answer.bytes)} of JSON`;
    };
    if (literal > 0) {
      await measure(monitor, child, `enrolment ${literal} × students(first: 500), every field`, () =>
        list(studentsQuery(literal, '500'), {}),
      );
    }
    // The gateway's own alias limit is half the subgraph's: what one client operation can reach it with.
    for (const aliases of [...new Set([Math.min(GATEWAY_QUERY_LIMITS.maxAliases, variable), variable])]) {
      await measure(monitor, child, `enrolment ${aliases} × students(first: $first = 500), every field`, () =>
        list(studentsQuery(aliases, '$first'), { first: 500 }),
      );
    }
  } finally {
    await child.stop();
  }
}

async function subsidyPhase(
  monitor: Monitor,
  topicPrefix: string,
  databases: string[],
  students: number,
  template: number,
): Promise<void> {
  console.log('subsidy:');
  const databaseUrl = await createTestDatabase('request_memory_subsidy');
  databases.push(databaseUrl);
  const options = { databaseUrl, topicPrefix, today: SUBSIDY_TODAY, relay: false };
  // Seeded in this process, as subsidy-roster.ts does; then served by a child of its own.
  const seeding = await startService(subsidy, testServiceConfig('subsidy', options));
  const ids = Array.from({ length: Math.min(template, students) }, () => randomUUID());
  try {
    const started = performance.now();
    const schools = Array.from({ length: 20 }, () => randomUUID());
    await seed(seeding, ids, (i) => schools[i % schools.length]!);
    await multiply(seeding, Math.ceil(students / ids.length) - 1);
    const [{ count }] = (await seeding.dataSource.query('SELECT count(*)::int AS count FROM subsidy_student')) as {
      count: number;
    }[];
    console.log(
      `  seeded ${n(count)} students (${ids.length} through the handlers, the rest copied) in ${secs(performance.now() - started)}`,
    );
  } finally {
    await seeding.stop();
  }
  const child = await spawnService('subsidy', options);
  try {
    const officer = tokenFor({ subject: 'bench-officer', role: 'SUBSIDY_OFFICER', regionCode: OFFICER_REGION });
    await monitor.target(
      child,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Student { subsidyEligibility { grant { eligible } tuitionWaiver { eligible } } } } }',
      { r: [{ __typename: 'Student', id: ids[0] }] },
      officer,
    );
    const file = async () => {
      const answer = await post(child.url, body(SUBSIDY_FILE, { filter: { period: PERIOD } }), officer);
      const f = answer.data?.eligibilityRosterFile as { rows: number; contentBase64: string } | undefined;
      return f
        ? `${n(f.rows)} rows, ${mb(Buffer.from(f.contentBase64, 'base64').length)} .xlsx, ${secs(answer.ms)}`
        : `${failure(answer)} after ${secs(answer.ms)}`;
    };
    // 4. The city's eligibility roster as .xlsx, once and two at once.
    await measure(monitor, child, `subsidy eligibilityRosterFile, ${n(students)} students`, file);
    await measure(monitor, child, `subsidy eligibilityRosterFile ×2 at once`, async () => {
      const outcomes = await Promise.all([file(), file()]);
      return outcomes.map((o, i) => `#${i + 1}: ${o}`).join('; ');
    });
  } finally {
    await child.stop();
  }
}

async function statusChangePhase(
  monitor: Monitor,
  topicPrefix: string,
  databases: string[],
  changes: number,
): Promise<void> {
  console.log('status-change:');
  const databaseUrl = await createTestDatabase('request_memory_status_change');
  databases.push(databaseUrl);
  const child = await spawnService('status-change', { databaseUrl, topicPrefix, today: STATUS_TODAY, relay: false });
  try {
    // Effective changes of one month at one school, written in SQL (the report reads only these rows).
    await sql(databaseUrl, async (db) => {
      const school = randomUUID();
      await db.query(
        `INSERT INTO school_directory (school_id, name, region_code, authority_region_code) VALUES ($1, '基准学校', $2, $2)`,
        [school, REGION],
      );
      await db.query(
        `INSERT INTO change_request (student_id, kind, state, steps, next_step, from_school_id, effective_date, details,
                                     submitted_by, submitted_role, submitted_at, decided_at)
         SELECT gen_random_uuid(), (ARRAY['SUSPENSION', 'WITHDRAWAL', 'MAJOR_CHANGE', 'REPEAT'])[1 + k % 4], 'EFFECTIVE',
                ARRAY['SENDING_SCHOOL', 'SENDING_AUTHORITY'], NULL, $1, date '2026-09-01' + k % 30,
                '{"ground": "ILLNESS"}'::jsonb, 'bench-registrar', 'SCHOOL_REGISTRAR',
                timestamptz '2026-08-25 08:00+08' + k * interval '1 minute', timestamptz '2026-09-01 08:00+08' + k * interval '1 minute'
           FROM generate_series(1, $2) k`,
        [school, changes],
      );
      await db.query('ANALYZE change_request');
    });
    console.log(`  seeded ${n(changes)} effective change requests of ${REPORT_MONTH} in SQL`);
    const reviewer = tokenFor({ subject: 'bench-reviewer', role: 'AUTHORITY_REVIEWER', regionCode: PROVINCE });
    await monitor.target(child, '{ changeRequestQueue(first: 50) { edges { node { id state } } } }', {}, reviewer);
    // 6. The month's report for the province, rows and .xlsx.
    await measure(monitor, child, `status-change monthlyReport, ${n(changes)} changes`, async () => {
      const answer = await post(child.url, body(MONTHLY_REPORT, { month: REPORT_MONTH }), reviewer);
      const report = answer.data?.monthlyReport as { rows: unknown[]; file: string } | undefined;
      return report
        ? `${n(report.rows.length)} rows and a ${mb(Buffer.from(report.file, 'base64').length)} .xlsx, ${mb(answer.bytes)} of JSON`
        : failure(answer);
    });
  } finally {
    await child.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: String(MAX_ROSTER_ROWS) },
      students: { type: 'string', default: '20000' },
      template: { type: 'string', default: '2000' },
      'change-requests': { type: 'string' },
      rest: { type: 'string', default: '3' },
    },
  });
  const rosterRows = Number(values.rows);
  const students = Number(values.students);
  const template = Number(values.template);
  const changes = Number(values['change-requests'] ?? students);
  restMs = Number(values.rest) * 1000;
  if (
    ![students, template, changes, rosterRows].every((v) => Number.isInteger(v) && v >= 1) ||
    rosterRows > MAX_ROSTER_ROWS ||
    !(restMs > 0)
  ) {
    throw new Error(
      `--rows (≤ ${MAX_ROSTER_ROWS}), --students, --template and --change-requests must be positive integers, --rest positive`,
    );
  }
  loadInfraEnv();
  process.env.LOG_LEVEL ??= 'error';
  // A prefix per service: none of them sees another's events (subsidy would consume enrolment's).
  const prefixes = [testTopicPrefix(), testTopicPrefix(), testTopicPrefix()] as const;
  const databases: string[] = [];
  const monitor = new Monitor();
  console.log(
    `each service in its own process; requests straight to the subgraph over HTTP (gateway secret header); ` +
      `probe every 50 ms; baseline after GC and ${values.rest} s idle`,
  );
  try {
    await enrolmentPhase(monitor, prefixes[0], databases, rosterRows);
    await subsidyPhase(monitor, prefixes[1], databases, students, template);
    await statusChangePhase(monitor, prefixes[2], databases, changes);
  } finally {
    printTable();
    await monitor.stop();
    for (const url of databases) await dropTestDatabase(url);
    for (const prefix of prefixes) await deleteTopicsAndGroups(kafkaBrokers(), prefix);
  }
}

runMain(main);

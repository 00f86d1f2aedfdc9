/**
 * Benchmark of enrolment's students list and search at province scale (issue 13): PostgreSQL and
 * the enrolment subgraph over HTTP, as a provincial reviewer.
 * `pnpm exec tsx scripts/bench/student-lists.ts [--sizes 10000,1000000] [--requests 300] [--concurrency 1,10]`.
 *
 * For each size: a fresh database seeded in SQL (`services/enrolment/test/seed-by-sql.ts`:
 * generate_series, about 500 students a school, nine schools in ten in the reviewer's province),
 * analysed; then `--requests` calls of each workload at each concurrency, after a warm-up:
 *
 * - `students(first: 50)`, the first page;
 * - the same page with `totalCount` (exact up to 10,000, past it the planner's estimate);
 * - the page after a cursor deep in the list (the 1,000th student);
 * - `students(filter: {search: <surname>}, first: 50)`, surnames common and rare by turns;
 * - the search by a full name (2 characters, names matching about 30 students at either size where
 *   the seed has them) and by a student number prefix (a hundred students each at either size).
 *
 * Prints p50/p95/p99, req/s, the rows a page and CPU ms a request of each: `node` is this process (the enrolment
 * subgraph and the load generator, in one process here), `pg` every PostgreSQL process (read from
 * /proc before and after, so run it on a machine at rest). Asserts nothing. The database is dropped at the end.
 * A million students take a few minutes to seed on the 2-core machine.
 */
import { parseArgs } from 'node:util';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  deleteTopicsAndGroups,
  dropTestDatabase,
  graphql,
  kafkaBrokers,
  testServiceConfig,
  tokenFor,
  uniqueSuffix,
} from '@xueji/testkit';
import { enrolment } from '../../services/enrolment/src/service';
import { seedStudentsBySql, SURNAMES } from '../../services/enrolment/test/seed-by-sql';
import { postgresCpuMs } from './children';
import { loadInfraEnv, runMain } from './infra-env';
import { percentile } from './subsidy-seed';

const PAGE = `query ($filter: StudentFilter, $after: String) {
  students(filter: $filter, first: 50, after: $after) {
    edges { cursor node { id name studentNumber registrationStatus entryDate school { id name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const WITH_TOTAL = `query { students(first: 50) { totalCount edges { node { id name } } pageInfo { endCursor } } }`;

const reviewer = tokenFor({ subject: 'reviewer-bench', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });

const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

/** `requests` calls of `call` by `concurrency` clients at once: latencies and throughput. */
async function measure(
  label: string,
  requests: number,
  concurrency: number,
  call: (i: number) => Promise<number>,
): Promise<void> {
  for (let i = 0; i < Math.min(20, requests); i++) await call(i); // warm-up
  const latencies: number[] = [];
  let rows = 0;
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const postgresBefore = postgresCpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < requests; i = next++) {
        const t = performance.now();
        const found = await call(i); // not `rows += await …`: it would read `rows` before the wait
        rows += found;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const nodeMs = (cpu.user + cpu.system) / 1000 / requests;
  const postgresMs = (postgresCpuMs() - postgresBefore) / requests;
  const sorted = latencies.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(34)} c=${String(concurrency).padEnd(3)} p50 ${ms(percentile(sorted, 0.5)).padEnd(8)} ` +
      `p95 ${ms(percentile(sorted, 0.95)).padEnd(8)} p99 ${ms(percentile(sorted, 0.99)).padEnd(8)} ` +
      `${(requests / seconds).toFixed(1).padStart(6)} req/s  ${(rows / requests).toFixed(0).padStart(2)} rows  CPU ms/req: node ${nodeMs.toFixed(2)}  pg ${postgresMs.toFixed(2)}`,
  );
}

/** One page asked for: how many students it holds. */
async function ask(service: RunningService, query: string, variables: Record<string, unknown>): Promise<number> {
  const answer = await graphql(service.url, query, variables, reviewer);
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return (answer.data as { students: { edges: unknown[] } }).students.edges.length;
}

async function benchSize(students: number, requests: number, concurrencies: number[]): Promise<void> {
  const topicPrefix = `bench-${uniqueSuffix()}.`;
  const databaseUrl = await createTestDatabase('bench_student_lists');
  let service: RunningService | undefined;
  try {
    service = await startService(enrolment, testServiceConfig('enrolment', { databaseUrl, topicPrefix, relay: false }));
    const seeding = performance.now();
    await seedStudentsBySql(service.dataSource, students);
    // The seed's dirty pages written now, not by the checkpointer during the runs (its CPU counts as pg's).
    await service.dataSource.query('CHECKPOINT');
    console.log(`${students} students seeded and analysed in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
    const db = service.dataSource;
    const [deep] = (await db.query(
      `SELECT s.id, to_char(s.registered_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') AS at
         FROM student s WHERE left(s.region_code, 2) = '22' ORDER BY s.registered_at, s.id OFFSET 999 LIMIT 1`,
    )) as { id: string; at: string }[];
    const after = Buffer.from(JSON.stringify([deep!.at, deep!.id])).toString('base64url');
    const names = (
      (await db.query(
        `SELECT name FROM student WHERE char_length(name) = 2 GROUP BY name ORDER BY abs(count(*) - 30), name LIMIT 20`,
      )) as { name: string }[]
    ).map((r) => r.name);
    const prefixes = Math.floor(students / 100);
    const surnames = [SURNAMES[0]!, SURNAMES[5]!, SURNAMES[40]!, SURNAMES[97]!];
    const s = service;
    for (const c of concurrencies) {
      await measure('students(first: 50)', requests, c, () => ask(s, PAGE, {}));
      await measure('  with totalCount', requests, c, () => ask(s, WITH_TOTAL, {}));
      await measure('  after the 1,000th', requests, c, () => ask(s, PAGE, { after }));
      await measure('search: surname', requests, c, (i) =>
        ask(s, PAGE, { filter: { search: surnames[i % surnames.length] } }),
      );
      await measure('search: full name', requests, c, (i) =>
        ask(s, PAGE, { filter: { search: names[i % names.length] } }),
      );
      await measure('search: student number prefix', requests, c, (i) =>
        // Twelve of the 14 digits: the hundred students i·100 … i·100+99, spread over the whole table.
        ask(s, PAGE, { filter: { search: `G2201${String((i * 37) % prefixes).padStart(12, '0')}` } }),
      );
    }
  } finally {
    await service?.stop();
    await dropTestDatabase(databaseUrl);
    await deleteTopicsAndGroups(kafkaBrokers(), topicPrefix);
  }
}

async function main(): Promise<void> {
  loadInfraEnv();
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,1000000' },
      requests: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '1,10' },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const concurrencies = values.concurrency.split(',').map(Number);
  for (const size of sizes) await benchSize(size, Number(values.requests), concurrencies);
}

runMain(main);

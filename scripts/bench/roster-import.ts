/**
 * Benchmark of the roster import through the real stack: PostgreSQL, Kafka, the enrolment
 * subgraph over HTTP. `pnpm exec tsx scripts/bench/roster-import.ts [--rows 10000]`.
 * Creates a fresh database, imports a generated .xlsx twice (the second time nothing is new),
 * prints the figures, then drops the database. No assertions.
 */
import { parseArgs } from 'node:util';
import { startService } from '@xueji/service-kit';
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
import { buildRosterFile } from '../../services/enrolment/src/roster';
import { enrolment } from '../../services/enrolment/src/service';
import { MAJOR, REGION, rosterRow } from '../../test/support/roster-rows';
import { loadInfraEnv, runMain } from './infra-env';

const IMPORT = `mutation ($input: RosterImportInput!) {
  importRoster(input: $input) { rows registered alreadyRegistered rejected problems { row column rule messageEn } }
}`;

interface Report {
  rows: number;
  registered: number;
  alreadyRegistered: number;
  rejected: number;
  problems: { row: number; column: string | null; rule: string | null; messageEn: string }[];
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000' } } });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1 || rows > 20_000) throw new Error('--rows must be 1..20000');
  loadInfraEnv();

  const databaseUrl = await createTestDatabase('roster_bench');
  const topicPrefix = `bench-${uniqueSuffix()}.`;
  const service = await startService(
    enrolment,
    testServiceConfig('enrolment', { databaseUrl, topicPrefix, today: '2026-09-15' }),
  );
  try {
    const db = service.dataSource;
    const [school] = (await db.query(
      `INSERT INTO school (code, name, region_code, authority_tier, authority_region_code)
       VALUES ('BENCH-01', '长春市基准测试职业学校', $1, 'COUNTY', $1) RETURNING id`,
      [REGION],
    )) as { id: string }[];
    await db.query(`INSERT INTO major_category (code, name) VALUES ('66', '文化艺术大类')`);
    await db.query(`INSERT INTO major (code, name, category_code, standard_years) VALUES ($1, '工艺美术', '66', 3)`, [
      MAJOR,
    ]);
    await db.query('INSERT INTO school_major (school_id, major_code) VALUES ($1, $2)', [school!.id, MAJOR]);

    const file = await buildRosterFile(
      Array.from({ length: rows }, (_, i) => rosterRow(i)),
      'xlsx',
    );
    const input = { schoolId: school!.id, fileName: 'bench-roster.xlsx', contentBase64: file.toString('base64') };
    const token = tokenFor({ subject: 'bench-registrar', role: 'SCHOOL_REGISTRAR', schoolId: school!.id });
    console.log(
      `file: ${rows} rows, ${(file.length / 1024).toFixed(0)} KiB .xlsx, ${(input.contentBase64.length / 1024).toFixed(0)} KiB base64`,
    );

    for (const label of ['first import', 're-import (same file)']) {
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const started = performance.now();
      const response = await graphql<{ importRoster: Report }>(service.url, IMPORT, { input }, token);
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      const report = response.data?.importRoster;
      if (!report) {
        console.log(
          `${label}: failed (HTTP ${response.status})`,
          JSON.stringify(response.errors ?? response).slice(0, 500),
        );
        break;
      }
      const done = report.registered + report.alreadyRegistered;
      console.log(
        `${label}: rows ${report.rows}, registered ${report.registered}, already ${report.alreadyRegistered}, ` +
          `rejected ${report.rejected}, ${seconds.toFixed(2)} s, ${(done / seconds).toFixed(0)} students/s, ` +
          `RSS ${mib(baseline)} → peak ${mib(peak)}`,
      );
      for (const p of report.problems.slice(0, 5))
        console.log(`  row ${p.row} ${p.column ?? ''} ${p.rule ?? ''}: ${p.messageEn}`);

      const outboxStarted = performance.now();
      let pending = -1;
      while (performance.now() - outboxStarted < 300_000) {
        const [row] = (await db.query('SELECT count(*)::int AS n FROM outbox_message WHERE published_at IS NULL')) as {
          n: number;
        }[];
        pending = row!.n;
        if (pending === 0) break;
        await sleep(100);
      }
      const outboxSeconds = (performance.now() - outboxStarted) / 1000;
      console.log(
        pending === 0
          ? `  outbox fully published ${outboxSeconds.toFixed(2)} s after the response (${(seconds + outboxSeconds).toFixed(2)} s from the request)`
          : `  outbox: ${pending} messages still unpublished after ${outboxSeconds.toFixed(0)} s`,
      );
    }
    const [counts] = (await db.query(
      `SELECT (SELECT count(*)::int FROM student) AS students, (SELECT count(*)::int FROM outbox_message) AS events,
              (SELECT count(*)::int FROM roster_import) AS imports, (SELECT count(*)::int FROM audit_entry) AS audits`,
    )) as Record<string, number>[];
    console.log(`database: ${JSON.stringify(counts)}`);
  } finally {
    await service.stop();
    await dropTestDatabase(databaseUrl);
    await deleteTopicsAndGroups(kafkaBrokers(), topicPrefix);
  }
}

runMain(main);

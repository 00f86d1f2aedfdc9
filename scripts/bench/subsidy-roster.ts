/**
 * Benchmark of the subsidy eligibility roster for a whole city: PostgreSQL and the subsidy
 * subgraph over HTTP. `pnpm exec tsx scripts/bench/subsidy-roster.ts [--students 100000]
 * [--template 2000] [--schools 100]`.
 *
 * Seeding: `--template` students are registered and approved by running subsidy's own handlers
 * (decisions, entitlements and signals made by the real domain code), spread over `--schools`
 * schools; their rows are then copied in SQL, each copy a new student with its own id and student
 * number, until there are `--students`. Then it times, as a subsidy officer of the city:
 *
 * 1. the roster's first page (100 entries) with totals over everyone (target: the roster ≤ 10 s);
 * 2. every page of 1,000, one after the other;
 * 3. the whole roster as .xlsx.
 *
 * A fresh database, dropped at the end. Prints figures, asserts nothing.
 */
import { randomUUID } from 'node:crypto';
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
import { subsidy } from '../../services/subsidy/src/service';
import { loadInfraEnv, runMain } from './infra-env';
import { load, OFFICER_REGION, seed, summary, TODAY } from './subsidy-seed';

const PERIOD = '2026-autumn';
const ROSTER = `query ($filter: EligibilityRosterFilter!, $first: Int, $after: String) {
  eligibilityRoster(filter: $filter, first: $first, after: $after) {
    totalCount grantEligibleCount waiverEligibleCount grantTotalCny nextCursor
    entries { studentId studentNumber name schoolName grantEligible waiverEligible unmetRules grantAmountCny entitlementState fraudSignals }
  }
}`;
const FILE = `query ($filter: EligibilityRosterFilter!) { eligibilityRosterFile(filter: $filter) { fileName contentBase64 rows } }`;

interface Roster {
  eligibilityRoster: { totalCount: number; grantEligibleCount: number; nextCursor: string | null; entries: unknown[] };
}

/** Copy every seeded student `copies` times in SQL: the same rows under new ids and student numbers. */
async function multiply(service: RunningService, copies: number): Promise<void> {
  const db = service.dataSource;
  await db.transaction(async (m) => {
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
  await db.query('ANALYZE');
}

async function timed<T>(what: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await what();
  return [result, performance.now() - started];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      students: { type: 'string', default: '100000' },
      template: { type: 'string', default: '2000' },
      schools: { type: 'string', default: '100' },
    },
  });
  const students = Number(values.students);
  const template = Number(values.template);
  const schoolCount = Number(values.schools);
  if (!Number.isInteger(template) || template < 1 || !Number.isInteger(students) || students < template) {
    throw new Error('--template must be ≥ 1 and --students ≥ --template');
  }
  loadInfraEnv();
  process.env.LOG_LEVEL ??= 'error';
  const databaseUrl = await createTestDatabase('subsidy_roster_bench');
  const topicPrefix = `bench-${uniqueSuffix()}.`;
  let service: RunningService | null = null;
  try {
    const config = testServiceConfig('subsidy', {
      databaseUrl,
      topicPrefix,
      today: TODAY,
      relay: false,
    });
    service = await startService(subsidy, config);
    const schools = Array.from({ length: schoolCount }, () => randomUUID());
    const ids = Array.from({ length: template }, () => randomUUID());
    const [, seedMs] = await timed(() => seed(service!, ids, (i) => schools[i % schools.length]!));
    console.log(`seeded ${template} students through the handlers in ${(seedMs / 1000).toFixed(1)} s`);
    const copies = Math.ceil(students / template) - 1;
    const [, copyMs] = await timed(() => multiply(service!, copies));
    const [{ n }] = (await service.dataSource.query(`SELECT count(*)::int AS n FROM subsidy_student`)) as {
      n: number;
    }[];
    console.log(`copied to ${n} students in ${(copyMs / 1000).toFixed(1)} s (${load()})`);

    const token = tokenFor({ subject: 'bench-officer', role: 'SUBSIDY_OFFICER', regionCode: OFFICER_REGION });
    const filter = { period: PERIOD };
    const ask = <T>(query: string, variables: Record<string, unknown>) =>
      graphql<T>(service!.url, query, variables, token).then((r) => {
        if (r.errors) throw new Error(JSON.stringify(r.errors[0]));
        return r.data!;
      });

    // 1. The first page with the totals, five times.
    const firstPage: number[] = [];
    let totals: Roster['eligibilityRoster'] | null = null;
    for (let i = 0; i < 5; i++) {
      const [data, ms] = await timed(() => ask<Roster>(ROSTER, { filter, first: 100 }));
      totals = data.eligibilityRoster;
      firstPage.push(ms);
    }
    console.log(
      `1. first page of 100 with totals over ${totals!.totalCount} students ` +
        `(${totals!.grantEligibleCount} grant-eligible), 5 runs: ${summary(firstPage)}`,
    );

    // 2. Every page of 1,000.
    let after: string | null = null;
    let pages = 0;
    let entries = 0;
    const pageMs: number[] = [];
    const [, allPagesMs] = await timed(async () => {
      do {
        const [data, ms] = await timed(() => ask<Roster>(ROSTER, { filter, first: 1000, after }));
        pageMs.push(ms);
        pages += 1;
        entries += data.eligibilityRoster.entries.length;
        after = data.eligibilityRoster.nextCursor;
      } while (after);
    });
    console.log(
      `2. all ${entries} entries in ${pages} pages of 1,000: ${(allPagesMs / 1000).toFixed(1)} s; per page ${summary(pageMs)}`,
    );

    // 3. The whole roster as .xlsx.
    const [file, fileMs] = await timed(() =>
      ask<{ eligibilityRosterFile: { rows: number; contentBase64: string } }>(FILE, { filter }),
    );
    const bytes = Buffer.from(file.eligibilityRosterFile.contentBase64, 'base64').length;
    console.log(
      `3. .xlsx of ${file.eligibilityRosterFile.rows} rows (${(bytes / 1_048_576).toFixed(1)} MB): ` +
        `${(fileMs / 1000).toFixed(1)} s (${load()})`,
    );
  } finally {
    await service?.stop();
    await dropTestDatabase(databaseUrl);
    await deleteTopicsAndGroups(kafkaBrokers(), topicPrefix);
  }
}

runMain(main);

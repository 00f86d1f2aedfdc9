/**
 * Issue 10 (R4): "No single request can take a service above a few hundred MB or hold another
 * caller more than a second or two." Enrolment runs in a Node process of its own (the bench's
 * `serve-one.ts`, relay on), so its VmHWM is the service's alone. A full roster (MAX_ROSTER_ROWS
 * rows .xlsx) is imported and its events published by the service's own relay, while a probe
 * query is sent every 100 ms, and a second full import sent at the same time is refused as
 * retryable (one import at a time in a process): the peak RSS stays under 400 MiB, and no probe
 * waits 2 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import {
  createTestDatabase,
  deleteTopicsAndGroups,
  dropTestDatabase,
  gatewaySecretHeaders,
  kafkaBrokers,
  REPO_ROOT,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import { buildRosterFile, MAX_ROSTER_ROWS } from '../../services/enrolment/src/roster';
import { MAJOR, REGION, rosterRow } from '../support/roster-rows';

jest.setTimeout(300_000);

const SERVE_ONE = path.join(REPO_ROOT, 'scripts/bench/serve-one.ts');
const PEAK_LIMIT_KB = 400 * 1024;
const PROBE_LIMIT_MS = 2_000;

const IMPORT = `mutation ($input: RosterImportInput!) {
  importRoster(input: $input) { rows registered alreadyRegistered rejected }
}`;
const PROBE = 'query ($id: ID!) { student(id: $id) { id name registrationStatus } }';

interface Served {
  proc: ChildProcess;
  pid: number;
  url: string;
}

async function serveEnrolment(databaseUrl: string, topicPrefix: string): Promise<Served> {
  const options = { databaseUrl, topicPrefix, today: '2026-09-15', relay: true };
  const proc = spawn(process.execPath, ['--import', 'tsx', SERVE_ONE, 'enrolment', JSON.stringify(options)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, LOG_LEVEL: 'error' },
  });
  const started = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as { url: string; pid: number }));
    proc.once('exit', (code) => reject(new Error(`enrolment exited (${code}) before it listened`)));
  });
  return { proc, ...started };
}

/** VmHWM (peak resident set) of a process, in kB. */
function peakKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

async function post(url: string, token: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...gatewaySecretHeaders(), authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] };
}

describe('a full roster import in a service of its own (issue 10: memory and other callers)', () => {
  let databaseUrl: string;
  const topicPrefix = testTopicPrefix();
  let served: Served | undefined;
  let db: Client;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('request_memory');
    served = await serveEnrolment(databaseUrl, topicPrefix);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    if (served && served.proc.exitCode === null) {
      const exited = new Promise((resolve) => served!.proc.once('exit', resolve));
      served.proc.send('stop');
      const killer = setTimeout(() => served!.proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    await dropTestDatabase(databaseUrl);
    await deleteTopicsAndGroups(kafkaBrokers(), topicPrefix);
  });

  it(`imports ${MAX_ROSTER_ROWS} rows (a second import refused meanwhile) and publishes their events under 400 MiB, a probe never waiting 2 s`, async () => {
    const { url, pid } = served!;
    await db.query(`INSERT INTO major_category (code, name) VALUES ('66', '文化艺术大类')`);
    await db.query(`INSERT INTO major (code, name, category_code, standard_years) VALUES ($1, '工艺美术', '66', 3)`, [
      MAJOR,
    ]);
    const schools: string[] = [];
    for (const i of [1, 2, 3]) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO school (code, name, region_code, authority_tier, authority_region_code)
         VALUES ($1, $2, $3, 'COUNTY', $3) RETURNING id`,
        [`MEM-${i}`, `长春市内存测试职业学校${i}`, REGION],
      );
      await db.query('INSERT INTO school_major (school_id, major_code) VALUES ($1, $2)', [rows[0]!.id, MAJOR]);
      schools.push(rows[0]!.id);
    }
    const [probeSchool, school, another] = schools as [string, string, string];
    const registrar = (schoolId: string) =>
      tokenFor({ subject: `mem-${schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId });
    const reviewer = tokenFor({ subject: 'mem-reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });
    const roster = async (from: number, count: number) =>
      (
        await buildRosterFile(
          Array.from({ length: count }, (_, i) => rosterRow(from + i)),
          'xlsx',
        )
      ).toString('base64');

    // The probe's student, at a school of its own.
    const one = await post(url, registrar(probeSchool), IMPORT, {
      input: { schoolId: probeSchool, fileName: 'one.xlsx', contentBase64: await roster(300_000, 1) },
    });
    expect(one.errors).toBeUndefined();
    const { rows: probeRows } = await db.query<{ id: string }>('SELECT id FROM student WHERE school_id = $1', [
      probeSchool,
    ]);
    const file = await roster(0, MAX_ROSTER_ROWS);

    // The probe: every 100 ms, whatever the previous one is doing (open loop).
    const waits: number[] = [];
    /** The slowest probe while the import ran, and while the relay published its events. */
    const slowestIn = { import: 0, publish: 0 };
    let phase: keyof typeof slowestIn = 'import';
    let failed = 0;
    const pending = new Set<Promise<void>>();
    const timer = setInterval(() => {
      const at = performance.now();
      const sentIn = phase;
      const probe = post(url, reviewer, PROBE, { id: probeRows[0]!.id })
        .then((answer) => {
          if (answer.errors || !answer.data?.student) failed++;
        })
        .catch(() => void failed++)
        .finally(() => {
          const ms = performance.now() - at;
          waits.push(ms);
          slowestIn[sentIn] = Math.max(slowestIn[sentIn], ms);
          pending.delete(probe);
        });
      pending.add(probe);
    }, 100);

    try {
      const [answer, second] = await Promise.all([
        post(url, registrar(school), IMPORT, {
          input: { schoolId: school, fileName: 'roster.xlsx', contentBase64: file },
        }),
        new Promise((resolve) => setTimeout(resolve, 200)).then(() =>
          post(url, registrar(another), IMPORT, {
            input: { schoolId: another, fileName: 'roster.xlsx', contentBase64: file },
          }),
        ),
      ]);
      expect(answer.errors).toBeUndefined();
      expect(second.errors?.[0]).toMatchObject({
        extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, details: { maxConcurrent: 1 } },
      });
      expect(answer.data?.importRoster).toMatchObject({ rows: MAX_ROSTER_ROWS, registered: MAX_ROSTER_ROWS });
      // The service's relay publishes the import's events (it must not hold them all at once).
      phase = 'publish';
      const deadline = Date.now() + 90_000;
      for (;;) {
        const { rows } = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM outbox_message WHERE published_at IS NULL',
        );
        if (rows[0]!.n === 0 || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      clearInterval(timer);
      await Promise.all(pending);
    }
    const { rows: unpublished } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox_message WHERE published_at IS NULL',
    );
    const peak = peakKb(pid);
    const slowest = Math.max(...waits);
    console.log(
      `request-memory: peak RSS ${(peak / 1024).toFixed(0)} MiB, ${waits.length} probes, slowest ${slowest.toFixed(0)} ms ` +
        `(${slowestIn.import.toFixed(0)} ms during the import, ${slowestIn.publish.toFixed(0)} ms while its events were published)`,
    );
    expect(unpublished[0]!.n).toBe(0);
    expect(failed).toBe(0);
    expect(waits.length).toBeGreaterThan(20);
    expect(peak).toBeLessThan(PEAK_LIMIT_KB);
    expect(slowest).toBeLessThan(PROBE_LIMIT_MS);
  });
});

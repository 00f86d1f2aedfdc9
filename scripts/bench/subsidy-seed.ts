/** Subsidy students for the benchmarks: formal, full-time, rural, in year 1, seeded through subsidy's own handlers. */
import { randomUUID } from 'node:crypto';
import { fixedOrRealClock } from '@xueji/config';
import { loadavg } from 'node:os';
import { createEvent } from '@xueji/events';
import { loadPolicyProfile } from '@xueji/policy';
import type { RunningService } from '@xueji/service-kit';
import { approvedRegistration } from '@xueji/testkit';
import { createHandlers } from '../../services/subsidy/src/events';

/** The service's fixed "today": the students entered on ENTRY_DATE, so 2026-autumn is the current period. */
export const TODAY = '2026-11-20';
export const ENTRY_DATE = '2026-09-01';
export const REGION = '420302';
/** A city code: covers the county the students are registered in. */
export const OFFICER_REGION = '420300';
/** The school of students seeded without one named. */
export const SCHOOL: string = randomUUID();
export const SEED_CONCURRENCY = 8;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `done` every 20 ms until it holds (true) or `timeoutMs` has passed (false). */
export async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}
/** Wall-clock milliseconds with sub-millisecond resolution (comparable with PostgreSQL's now()). */
export const wallMs = () => performance.timeOrigin + performance.now();
export const load = () => `load average ${loadavg()[0]!.toFixed(2)}`;

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summary(values: number[]): string {
  const sorted = Float64Array.from(values).sort();
  const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
  return (
    `p50 ${ms(percentile(sorted, 0.5))}, p95 ${ms(percentile(sorted, 0.95))}, ` +
    `p99 ${ms(percentile(sorted, 0.99))}, max ${ms(sorted[sorted.length - 1] ?? NaN)}`
  );
}

/** A formal, full-time, rural student in year 1: eligible for the grant and the waiver. */
export function enrolled(studentId: string, schoolId: string = SCHOOL) {
  return [
    createEvent(
      'xueji.enrolment.student.registered.v1',
      studentId,
      { studentId, schoolId, regionCode: REGION, name: '学生', registeredAt: '2026-08-20T08:00:00.000Z' },
      { time: new Date('2026-08-20T08:00:00.000Z') },
    ),
    approvedRegistration(
      {
        studentId,
        schoolId,
        regionCode: REGION,
        studentNumber: `G${studentId.slice(0, 8)}`,
        approvedAt: '2026-08-28T09:00:00.000Z',
        entryDate: ENTRY_DATE,
      },
      { time: new Date('2026-08-28T09:00:00.000Z') },
    ),
  ] as const;
}

/**
 * Register and approve `ids` by running subsidy's own handlers on its database, as the inbox
 * consumer would (without the Kafka round trip), `SEED_CONCURRENCY` students at a time.
 */
export async function seed(
  service: RunningService,
  ids: string[],
  schoolOf: (index: number) => string = () => SCHOOL,
): Promise<void> {
  const handlers = createHandlers({
    profile: loadPolicyProfile('national'),
    topics: service.topics,
    logger: service.logger,
    ...fixedOrRealClock(TODAY, false),
  });
  const registered = handlers['xueji.enrolment.student.registered.v1']!;
  const approved = handlers['xueji.enrolment.registration.approved.v1']!;
  let next = 0;
  let lastReport = performance.now();
  const started = lastReport;
  const worker = async () => {
    while (next < ids.length) {
      const index = next++;
      const id = ids[index]!;
      const [registration, approval] = enrolled(id, schoolOf(index));
      await service.dataSource.transaction((m) => registered(registration, m));
      await service.dataSource.transaction((m) => approved(approval, m));
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        console.log(`  … ${next} students, ${(next / ((lastReport - started) / 1000)).toFixed(0)} students/s`);
      }
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
}

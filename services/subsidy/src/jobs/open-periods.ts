import { loggableError, systemActor, type ScheduledJob, type ScheduleEnv } from '@xueji/service-kit';
import { openPaymentPeriod } from '../application/open-period';
import { periodOf } from '../domain/timeline';
import { studentsDueForPeriod } from '../reads/students';

const JOB = 'open-new-periods';
const BATCH = 200;

/**
 * When a semester starts, every student still holding a status gets the new payment period
 * decided (`openPaymentPeriod`), one transaction and one audit row per student, so a student that
 * fails does not hold up the others (it is logged and tried again at the next run); one another
 * instance already brought up to the period is skipped, unwritten. Returns how many students this
 * run brought up to the period.
 */
export async function openNewPeriods(env: ScheduleEnv): Promise<number> {
  const period = periodOf(env.today(), env.profile);
  const input = { period: period.name, startsOn: period.startsOn };
  let opened = 0;
  let after: string | null = null;
  for (;;) {
    const due = await studentsDueForPeriod(env.dataSource, period.startsOn, after, BATCH);
    for (const studentId of due) {
      try {
        const done = await openPaymentPeriod.runAsSystem(env.dataSource, env, systemActor(JOB), {
          ...input,
          studentId,
        });
        if (done !== null) opened++;
      } catch (error) {
        env.logger.error(
          { err: loggableError(error), job: JOB, studentId, period: period.name },
          'could not open the period',
        );
      }
    }
    if (due.length < BATCH) return opened;
    after = due[due.length - 1]!;
  }
}

/** Hourly: a new semester's period for every student. */
export const openNewPeriodsJob: ScheduledJob = { name: JOB, intervalMs: 60 * 60_000, run: openNewPeriods };

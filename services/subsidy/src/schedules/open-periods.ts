import type { ScheduleEnv } from '@xueji/service-kit';
import { periodOf } from '../domain/timeline';
import { extendHorizon, lockStudent, reviewStudent } from '../events/recompute';

const BATCH = 200;

/**
 * When a semester starts, every student still holding a status gets the new payment period
 * decided — and an entitlement if eligible — without waiting for an event of their own. The
 * decisions are stamped with the period's first moment (China time), so a rerun or a replay gives
 * the same rows. Returns how many students were brought up to the period.
 */
export async function openNewPeriods(env: ScheduleEnv): Promise<number> {
  const period = periodOf(env.today(), env.profile);
  const at = new Date(`${period.startsOn}T00:00:00+08:00`).toISOString();
  let opened = 0;
  for (;;) {
    const done = await env.dataSource.transaction(async (manager) => {
      const due = (await manager.query(
        `SELECT student_id FROM subsidy_student
          WHERE holds_status AND entry_date IS NOT NULL AND (horizon IS NULL OR horizon < $1)
          ORDER BY student_id LIMIT ${BATCH}`,
        [period.startsOn],
      )) as { student_id: string }[];
      for (const { student_id } of due) {
        await lockStudent(manager, student_id);
        await extendHorizon(manager, student_id, period.startsOn);
        await reviewStudent(manager, student_id, at, env.profile, env.topics);
      }
      return due.length;
    });
    opened += done;
    if (done < BATCH) return opened;
  }
}

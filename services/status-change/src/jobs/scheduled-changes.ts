import { systemActor, type ScheduledJob, type ScheduleEnv } from '@xueji/service-kit';
import { NothingToDo, openImposedWithdrawal, takeEffectWhenDue } from '../application';
import { imposedWithdrawalDue } from '../domain';
import { dueRequestIds, unresumedSuspensions } from '../reads';

const JOB = 'scheduled-changes';

/** Run one step; false when it found nothing left to do (rolled back, nothing written). */
async function step(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    if (error instanceof NothingToDo) return false;
    throw error;
  }
}

/**
 * The scheduled work, each step a command in a transaction of its own (audited as the job): approved
 * requests whose date has come take effect; suspensions that ended more than the profile's days ago
 * without resumption open an SC-17 case. Counts what it applied and opened.
 */
export async function runScheduledChanges(env: ScheduleEnv): Promise<{ applied: number; opened: number }> {
  const today = env.today();
  const actor = systemActor(JOB);
  let applied = 0;
  for (const requestId of await dueRequestIds(env.dataSource, today)) {
    if (await step(() => takeEffectWhenDue.runAsSystem(env.dataSource, env, actor, { requestId }))) applied++;
  }
  let opened = 0;
  for (const suspension of await unresumedSuspensions(env.dataSource)) {
    const verdict = imposedWithdrawalDue(env.profile, { suspensionEndedOn: suspension.toDate, resumed: false, today });
    if (!verdict.due) continue;
    const input = { studentId: suspension.studentId, ground: verdict.ground ?? 'SUSPENSION_OVERDUE', on: today };
    if (await step(() => openImposedWithdrawal.runAsSystem(env.dataSource, env, actor, input))) opened++;
  }
  return { applied, opened };
}

/** Every 15 minutes: changes due today take effect; overdue suspensions open SC-17 cases. */
export const scheduledChanges: ScheduledJob = { name: JOB, intervalMs: 15 * 60_000, run: runScheduledChanges };

import { systemActor, type ScheduledJob, type ScheduleEnv } from '@xueji/service-kit';
import { openImposedWithdrawal, takeEffectWhenDue } from '../application';
import { imposedWithdrawalDue } from '../domain';
import { dueRequestIds, unresumedSuspensions } from '../reads';

const JOB = 'scheduled-changes';

/**
 * The scheduled work, each step a command in a transaction of its own (audited as the job): approved
 * requests whose date has come are judged again and take effect (or end refused); suspensions that ended more than the profile's days ago
 * without resumption open an SC-17 case. Counts what it applied and opened.
 */
export async function runScheduledChanges(env: ScheduleEnv): Promise<{ applied: number; opened: number }> {
  const today = env.today();
  const actor = systemActor(JOB);
  let applied = 0;
  for (const requestId of await dueRequestIds(env.dataSource, today)) {
    // Null: nothing left to do (another instance took it, or no longer due); nothing was written.
    // REJECTED: judged again on its date and refused (the history and the audit row say why); not applied.
    const request = await takeEffectWhenDue.runAsSystem(env.dataSource, env, actor, { requestId });
    if (request?.state === 'EFFECTIVE') applied++;
  }
  let opened = 0;
  for (const suspension of await unresumedSuspensions(env.dataSource)) {
    const verdict = imposedWithdrawalDue(env.profile, { suspensionEndedOn: suspension.toDate, resumed: false, today });
    if (!verdict.due) continue;
    const input = { studentId: suspension.studentId, ground: verdict.ground ?? 'SUSPENSION_OVERDUE', on: today };
    if (await openImposedWithdrawal.runAsSystem(env.dataSource, env, actor, input)) opened++;
  }
  return { applied, opened };
}

/** Every 15 minutes: changes due today take effect; overdue suspensions open SC-17 cases. */
export const scheduledChanges: ScheduledJob = { name: JOB, intervalMs: 15 * 60_000, run: runScheduledChanges };

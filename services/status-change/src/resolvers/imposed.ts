import type { EntityManager } from 'typeorm';
import type { PolicyProfile } from '@xueji/policy';
import type { ScheduleEnv } from '@xueji/service-kit';
import { approvalSteps, imposedWithdrawalDue, type WithdrawalGround } from '../domain';
import { ChangeRequest } from '../entities/change-request';
import { takeEffect } from './effect';

/**
 * SC-17: open an imposed-withdrawal case for the school to confirm (one open case per student and
 * ground; re-delivered events open nothing new).
 */
export async function openImposedWithdrawal(
  manager: EntityManager,
  profile: PolicyProfile,
  studentId: string,
  ground: WithdrawalGround,
  today: string,
): Promise<void> {
  const [student] = (await manager.query(
    `SELECT r.school_id, s.code FROM student_record r JOIN student_status s USING (student_id) WHERE r.student_id = $1`,
    [studentId],
  )) as { school_id: string; code: string }[];
  if (!student || !['ACTIVE', 'SUSPENDED'].includes(student.code)) return;
  const details = { withdrawal: { ground }, ground };
  const steps = approvalSteps(
    'WITHDRAWAL',
    { kind: 'WITHDRAWAL', today, stage: 'SUBMISSION', effectiveDate: today, evidenceRefs: [], withdrawal: { ground } },
    profile,
  );
  await manager.query(
    `INSERT INTO change_request (student_id, kind, state, steps, next_step, from_school_id, effective_date, details, imposed,
       submitted_by, submitted_role)
     VALUES ($1, 'WITHDRAWAL', 'PENDING', $2, $3, $4, $5, $6, true, 'system', 'SYSTEM')
     ON CONFLICT (student_id, (details->>'ground')) WHERE imposed AND state IN ('PENDING', 'APPROVED') DO NOTHING`,
    [studentId, steps, steps[0], student.school_id, today, JSON.stringify(details)],
  );
}

/**
 * The scheduled work: approved requests whose date has come take effect; suspensions that ended
 * more than the profile's days ago without resumption open an SC-17 case.
 */
export async function runScheduledChanges(env: ScheduleEnv): Promise<{ applied: number; opened: number }> {
  const today = env.today();
  return env.dataSource.transaction(async (manager) => {
    const due = await manager
      .getRepository(ChangeRequest)
      .createQueryBuilder('r')
      .where(`r.state = 'APPROVED' AND r.effective_date <= :today`, { today })
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    for (const request of due) await takeEffect(manager, env.topics, request, today);

    const overdue = (await manager.query(
      `SELECT DISTINCT ON (p.student_id) p.student_id, p.to_date::text AS to_date FROM suspension_period p
         JOIN student_status s ON s.student_id = p.student_id AND s.code = 'SUSPENDED'
        WHERE p.resumed_on IS NULL ORDER BY p.student_id, p.to_date DESC`,
    )) as { student_id: string; to_date: string }[];
    let opened = 0;
    for (const s of overdue) {
      const verdict = imposedWithdrawalDue(env.profile, { suspensionEndedOn: s.to_date, resumed: false, today });
      if (verdict.due) {
        await openImposedWithdrawal(manager, env.profile, s.student_id, verdict.ground ?? 'SUSPENSION_OVERDUE', today);
        opened++;
      }
    }
    return { applied: due.length, opened };
  });
}

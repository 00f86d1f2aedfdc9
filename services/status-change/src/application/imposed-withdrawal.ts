import type { EntityManager } from 'typeorm';
import { selectRows } from '@xueji/db';
import type { PolicyProfile } from '@xueji/policy';
import { command, NothingToDo, type SystemActor } from '@xueji/service-kit';
import { approvalSteps, type WithdrawalGround } from '../domain';
import { studentStanding } from '../reads';

/** What opens an imposed-withdrawal case: the student, the SC-17 ground, and the day it was found. */
export interface ImposedWithdrawalCase {
  studentId: string;
  ground: WithdrawalGround;
  /** YYYY-MM-DD: the case's effective date. */
  on: string;
}

/**
 * A step of a unit of work: SC-17, open an imposed-withdrawal case for the school to confirm, for an
 * active or suspended student. One open case per student and ground: a case already open opens
 * nothing new. The new case's id, or null when none was opened.
 */
export async function openImposedWithdrawalCase(
  manager: EntityManager,
  profile: PolicyProfile,
  { studentId, ground, on }: ImposedWithdrawalCase,
): Promise<string | null> {
  const student = await studentStanding(manager, studentId);
  if (!student || !['ACTIVE', 'SUSPENDED'].includes(student.status)) return null;
  const details = { withdrawal: { ground }, ground };
  const steps = approvalSteps(
    'WITHDRAWAL',
    { kind: 'WITHDRAWAL', today: on, stage: 'SUBMISSION', effectiveDate: on, evidenceRefs: [], withdrawal: { ground } },
    profile,
  );
  const opened = await selectRows<{ id: string }>(
    manager,
    `INSERT INTO change_request (student_id, kind, state, steps, next_step, from_school_id, effective_date, details, imposed,
       submitted_by, submitted_role)
     VALUES ($1, 'WITHDRAWAL', 'PENDING', $2, $3, $4, $5, $6, true, 'system', 'SYSTEM')
     ON CONFLICT (student_id, (details->>'ground')) WHERE imposed AND state IN ('PENDING', 'APPROVED') DO NOTHING
     RETURNING id`,
    [studentId, steps, steps[0], student.schoolId, on, JSON.stringify(details)],
  );
  return opened[0]?.id ?? null;
}

/**
 * The scheduled job's step (SC-17): a suspension overdue without resumption opens a case, in a
 * transaction of its own. A case already open is left alone (`NothingToDo`): nothing is written.
 */
export const openImposedWithdrawal = command<ImposedWithdrawalCase, string, SystemActor>({
  name: 'OPEN_IMPOSED_WITHDRAWAL',
  roles: 'SYSTEM',
  async run(uow, input) {
    const requestId = await openImposedWithdrawalCase(uow.manager, uow.profile, input);
    if (!requestId) throw new NothingToDo(`no imposed-withdrawal case to open for student ${input.studentId}`);
    return requestId;
  },
  audit: (requestId, input) => ({
    entity: 'change_request',
    entityId: requestId,
    reason: input.ground,
    details: { studentId: input.studentId },
  }),
});

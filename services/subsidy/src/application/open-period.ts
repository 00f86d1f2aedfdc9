import { selectOne } from '@xueji/db';
import { command, NothingToDo, type SystemActor } from '@xueji/service-kit';
import { lockStudent } from './student-lock';
import { reviewStudent } from './timeline';

/** A payment period that has started, for one student. */
export interface OpenPeriodInput {
  studentId: string;
  /** e.g. 2027-spring. */
  period: string;
  /** Its first day, YYYY-MM-DD. */
  startsOn: string;
}

/**
 * A new semester for one student still holding a status: the period is decided — and an
 * entitlement created if eligible — without waiting for an event of the student's own. The
 * decisions are stamped with the period's first moment (China time), so a rerun or a replay
 * gives the same rows. A student no longer due (another instance opened the period, or the
 * student stopped holding a status) is `NothingToDo`: nothing written, no audit row.
 */
export const openPaymentPeriod = command<OpenPeriodInput, string, SystemActor>({
  name: 'OPEN_PAYMENT_PERIOD',
  roles: 'SYSTEM',
  async run(uow, { studentId, startsOn }) {
    await lockStudent(uow.manager, studentId);
    // The horizon moves up to the period's first day, if the student is still due.
    const due = await selectOne<{ student_id: string }>(
      uow.manager,
      `UPDATE subsidy_student SET horizon = $2::date
        WHERE student_id = $1 AND holds_status AND entry_date IS NOT NULL AND (horizon IS NULL OR horizon < $2::date)
        RETURNING student_id`,
      [studentId, startsOn],
    );
    if (!due) throw new NothingToDo();
    await reviewStudent(uow, studentId, new Date(`${startsOn}T00:00:00+08:00`).toISOString());
    return studentId;
  },
  audit: (studentId, input) => ({ entity: 'subsidy_student', entityId: studentId, details: { period: input.period } }),
});

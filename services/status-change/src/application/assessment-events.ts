/**
 * What status-change does with assessment's facts beyond truancy: absence without leave opens an
 * imposed-withdrawal case (SC-17); an expulsion in effect moves the status to EXPELLED (AS-11), and an
 * appeal that lifts it restores the status it ended (AS-14). Each is a unit of work inside the inbox's
 * transaction, with one audit row naming the event; a status move is published (with its partner copy)
 * like any effective change, so enrolment and subsidy follow with nothing but Kafka between them.
 */
import { selectOne } from '@xueji/db';
import type { TypedEvent } from '@xueji/events';
import { command, type SystemActor } from '@xueji/service-kit';
import { ENDED_STATUS_CODES, type StatusCode } from '@xueji/vocabulary';
import { openImposedWithdrawalCase } from './imposed-withdrawal';
import { moveStatus } from './status-moves';

const ofStudent = (studentId: string) => ({ entity: 'student_record', entityId: studentId });

/** SC-17 / AS-8: absent without leave for the profile's consecutive days opens an imposed-withdrawal case. */
export const recordAbsenceWithoutLeave = command<
  TypedEvent<'xueji.assessment.absence.threshold-crossed.v1'>,
  string | null,
  SystemActor
>({
  name: 'RECORD_ABSENCE_WITHOUT_LEAVE',
  roles: 'SYSTEM',
  async run(uow, { data: d }) {
    if (d.absentDays < uow.profile.rules['SC-17'].absenceDays) return null;
    return openImposedWithdrawalCase(uow.manager, uow.profile, {
      studentId: d.studentId,
      ground: 'ABSENT_WITHOUT_LEAVE',
      on: d.recordedAt.slice(0, 10),
    });
  },
  audit: (requestId, { data }) => ({
    ...ofStudent(data.studentId),
    details: { absentFrom: data.absentFrom, absentTo: data.absentTo, absentDays: data.absentDays, requestId },
  }),
});

const ENDED: ReadonlySet<string> = new Set(ENDED_STATUS_CODES);

/**
 * AS-11: an expulsion filed with or approved by the authority took effect: the student's status becomes
 * EXPELLED from its date, published as an EXPULSION (SB-3: subsidy ends eligibility). A student whose
 * status already ended (withdrawn, graduated, …) or who is unknown here is left as is.
 */
export const applyExpulsion = command<
  TypedEvent<'xueji.assessment.expulsion.effective.v1'>,
  { previous: StatusCode | null; moved: boolean },
  SystemActor
>({
  name: 'APPLY_EXPULSION',
  roles: 'SYSTEM',
  async run(uow, { data: d }) {
    const current = await selectOne<{ code: StatusCode }>(
      uow.manager,
      `SELECT code FROM student_status WHERE student_id = $1`,
      [d.studentId],
    );
    if (!current || (ENDED.has(current.code) && current.code !== 'EXPELLED')) {
      return { previous: current?.code ?? null, moved: false };
    }
    return moveStatus(uow, {
      studentId: d.studentId,
      kind: 'EXPULSION',
      to: 'EXPELLED',
      effectiveDate: d.effectiveDate,
      schoolId: d.schoolId,
      regionCode: d.regionCode,
    });
  },
  audit: (result, { data }) => ({
    ...ofStudent(data.studentId),
    details: { sanctionId: data.sanctionId, effectiveDate: data.effectiveDate, ...result },
  }),
});

/**
 * AS-14: an appeal changed or annulled an expulsion in effect: the status it ended (the one before the
 * EXPULSION in the history) is restored from the decision's date, published as a REINSTATEMENT. Any
 * other appeal decision changes no status.
 */
export const liftExpulsion = command<
  TypedEvent<'xueji.assessment.appeal.decided.v1'>,
  { previous: StatusCode | null; moved: boolean },
  SystemActor
>({
  name: 'LIFT_EXPULSION',
  roles: 'SYSTEM',
  async run(uow, { data: d }) {
    if (!d.expulsionLifted) return { previous: null, moved: false };
    const before = await selectOne<{ previousStatus: StatusCode | null; schoolId: string | null }>(
      uow.manager,
      `SELECT previous_status AS "previousStatus", school_id AS "schoolId" FROM status_change
        WHERE student_id = $1 AND kind = 'EXPULSION' ORDER BY seq DESC LIMIT 1`,
      [d.studentId],
    );
    const current = await selectOne<{ code: StatusCode }>(
      uow.manager,
      `SELECT code FROM student_status WHERE student_id = $1`,
      [d.studentId],
    );
    if (!before?.previousStatus || current?.code !== 'EXPELLED')
      return { previous: current?.code ?? null, moved: false };
    const scope = await selectOne<{ regionCode: string }>(
      uow.manager,
      `SELECT region_code AS "regionCode" FROM student_scope WHERE student_id = $1`,
      [d.studentId],
    );
    return moveStatus(uow, {
      studentId: d.studentId,
      kind: 'REINSTATEMENT',
      to: before.previousStatus,
      effectiveDate: d.decidedOn,
      schoolId: before.schoolId ?? d.schoolId,
      regionCode: scope?.regionCode ?? '000000',
    });
  },
  audit: (result, { data }) => ({
    ...ofStudent(data.studentId),
    details: { appealId: data.appealId, outcome: data.outcome, expulsionLifted: data.expulsionLifted, ...result },
  }),
});

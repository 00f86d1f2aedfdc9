import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AuditRecord } from '@xueji/audit';
import type { EventType, TypedEvent } from '@xueji/events';
import { command, type SystemActor, type UnitOfWork } from '@xueji/service-kit';
import { recordStudentScope, recordTransferScope } from '@xueji/student-scope';
import { HOUSEHOLDS } from '@xueji/vocabulary';
import type { RegistrationStatus } from '../domain/eligibility';
import { extendHorizon, lockStudent } from './student-lock';
import { reviewStudent } from './timeline';

/** SB-4 compares ID numbers without keeping them: a digest of the normalised number. */
export function idNumberDigest(idNumber: string): string {
  return createHash('sha256').update(idNumber.trim().toUpperCase()).digest('hex');
}

/** The day an event happened (UTC), which extends the student's horizon. */
const dayOf = (event: { time: string }) => event.time.slice(0, 10);

/**
 * A consumed event about one student, as a unit of work: lock the student, apply the event to
 * the read model (extending the horizon in the same statement where it can), then recompute the
 * timeline and judge SB-4 again. One audit row names the student; its actor is the event.
 */
function studentEvent<T extends EventType>(
  name: string,
  studentIdOf: (event: TypedEvent<T>) => string,
  apply: (uow: UnitOfWork<SystemActor>, event: TypedEvent<T>) => Promise<void>,
  details?: (event: TypedEvent<T>) => AuditRecord['details'],
) {
  return command<TypedEvent<T>, void, SystemActor>({
    name,
    roles: 'SYSTEM',
    async run(uow, event) {
      const studentId = studentIdOf(event);
      await lockStudent(uow.manager, studentId);
      await apply(uow, event);
      await reviewStudent(uow, studentId, event.time);
    },
    audit: (_, event) => ({ entity: 'subsidy_student', entityId: studentIdOf(event), details: details?.(event) }),
  });
}

/**
 * Set the registration status unless a newer event already set it (events may arrive out of
 * order), and extend the horizon. The facts an event carries are its own and are stored whatever
 * the order.
 */
async function setStatus(
  manager: EntityManager,
  studentId: string,
  status: RegistrationStatus,
  asOf: string,
  day: string,
  facts: Record<string, unknown> = {},
): Promise<void> {
  const columns = Object.keys(facts);
  await manager.query(
    `INSERT INTO subsidy_student (student_id, registration_status, registered_at, status_as_of, horizon${columns.map((c) => `, ${c}`).join('')})
     VALUES ($1, $2, $3, $3, $4${columns.map((_, i) => `, $${i + 5}`).join('')})
     ON CONFLICT (student_id) DO UPDATE SET
       registration_status = CASE WHEN subsidy_student.status_as_of IS NULL OR subsidy_student.status_as_of <= EXCLUDED.status_as_of
                                  THEN EXCLUDED.registration_status ELSE subsidy_student.registration_status END,
       status_as_of = GREATEST(subsidy_student.status_as_of, EXCLUDED.status_as_of),
       horizon = GREATEST(COALESCE(subsidy_student.horizon, EXCLUDED.horizon), EXCLUDED.horizon)${columns.map((c) => `, ${c} = EXCLUDED.${c}`).join('')}`,
    [studentId, status, asOf, day, ...Object.values(facts)],
  );
}

/** Every effective change is kept in the history: the status on any day is read from it. */
export const recordStatusChange = studentEvent<'xueji.status-change.status.changed.v1'>(
  'RECORD_STATUS_CHANGE',
  (e) => e.data.studentId,
  async (uow, event) => {
    const d = event.data;
    await recordTransferScope(event, uow.manager);
    // A change may arrive before the registration it concerns (another topic): keep the student;
    // the registration's own status fills in when it arrives (status_as_of is empty). The whole
    // history is kept, effective-dated, so each period is decided on the status of its day.
    await uow.manager.query(
      `WITH student AS (
         INSERT INTO subsidy_student (student_id, registration_status, registered_at, horizon)
         VALUES ($2, 'SUBMITTED', $7, $8)
         ON CONFLICT (student_id) DO UPDATE
           SET horizon = GREATEST(COALESCE(subsidy_student.horizon, EXCLUDED.horizon), EXCLUDED.horizon))
       INSERT INTO student_status_change (event_id, student_id, kind, effective_date, new_status, to_school_id, event_time)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
      [event.id, d.studentId, d.kind, d.effectiveDate, d.newStatus, d.toSchoolId ?? null, event.time, dayOf(event)],
    );
  },
  (e) => ({ kind: e.data.kind, newStatus: e.data.newStatus, effectiveDate: e.data.effectiveDate }),
);

/** The registration: who and where (the scope), the name, and the ID number's digest for SB-4. */
export const recordRegistration = studentEvent<'xueji.enrolment.student.registered.v1'>(
  'RECORD_REGISTRATION',
  (e) => e.data.studentId,
  async (uow, event) => {
    const d = event.data;
    await recordStudentScope(event, uow.manager);
    await setStatus(uow.manager, d.studentId, 'SUBMITTED', d.registeredAt, dayOf(event));
    // The registration's own facts; a re-admission registers again and replaces them.
    await uow.manager.query(
      `UPDATE subsidy_student SET name = $2, id_number_digest = COALESCE($3, id_number_digest), registered_at = $4
        WHERE student_id = $1 AND (name IS NULL OR registered_at <= $4)`,
      [d.studentId, d.name, d.idNumber ? idNumberDigest(d.idNumber) : null, d.registeredAt],
    );
  },
  () => ({ status: 'SUBMITTED' }),
);

/** The approval: the status becomes formal from entry (SB-1), with the facts SB-4 … SB-6 weigh. */
export const recordApproval = studentEvent<'xueji.enrolment.registration.approved.v1'>(
  'RECORD_REGISTRATION_APPROVAL',
  (e) => e.data.studentId,
  async (uow, event) => {
    const d = event.data;
    await setStatus(uow.manager, d.studentId, 'APPROVED', d.approvedAt, dayOf(event), {
      entry_date: d.entryDate,
      study_form: d.studyForm,
      household: d.household,
      major_waiver_excluded: d.waiverExcluded,
      student_number: d.studentNumber,
      major_code: d.majorCode,
      agriculture_related: d.agricultureRelated,
      teaching_point_id: d.teachingPointId,
      approved_at: d.approvedAt,
    });
  },
  () => ({ status: 'APPROVED' }),
);

export const recordRejection = studentEvent<'xueji.enrolment.registration.rejected.v1'>(
  'RECORD_REGISTRATION_REJECTION',
  (e) => e.data.studentId,
  (uow, event) => setStatus(uow.manager, event.data.studentId, 'REJECTED', event.data.rejectedAt, dayOf(event)),
  () => ({ status: 'REJECTED' }),
);

export const recordCancellation = studentEvent<'xueji.enrolment.registration.cancelled.v1'>(
  'RECORD_REGISTRATION_CANCELLATION',
  (e) => e.data.studentId,
  (uow, event) => setStatus(uow.manager, event.data.studentId, 'CANCELLED', event.data.cancelledAt, dayOf(event)),
  () => ({ status: 'CANCELLED' }),
);

export const recordDeferral = studentEvent<'xueji.enrolment.admission.deferred.v1'>(
  'RECORD_ADMISSION_DEFERRAL',
  (e) => e.data.studentId,
  (uow, event) => setStatus(uow.manager, event.data.studentId, 'DEFERRED', event.data.deferredAt, dayOf(event)),
  () => ({ status: 'DEFERRED' }),
);

/** SB-4 ghost students: a term not registered for within the limit (ENR-17) while aid is claimed. */
export const recordTermLapse = studentEvent<'xueji.enrolment.term-registration.lapsed.v1'>(
  'RECORD_TERM_LAPSE',
  (e) => e.data.studentId,
  async (uow, event) => {
    const d = event.data;
    await uow.manager.query(
      `WITH lapse AS (
         INSERT INTO term_lapse (student_id, term, term_starts_on, detected_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (student_id, term) DO NOTHING)
       UPDATE subsidy_student SET horizon = GREATEST(COALESCE(horizon, $5::date), $5::date) WHERE student_id = $1`,
      [d.studentId, d.term, d.termStartsOn, d.detectedAt, dayOf(event)],
    );
  },
  (e) => ({ term: e.data.term }),
);

/** SB-4 ghost students: truancy past SC-17's limit while aid is claimed. The figure only grows in a semester. */
export const recordTruancy = studentEvent<'xueji.assessment.truancy.recorded.v1'>(
  'RECORD_TRUANCY',
  (e) => e.data.studentId,
  async (uow, event) => {
    const d = event.data;
    await uow.manager.query(
      `WITH truancy AS (
         INSERT INTO student_truancy (student_id, semester, truant_hours, recorded_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (student_id, semester) DO UPDATE SET truant_hours = EXCLUDED.truant_hours, recorded_at = EXCLUDED.recorded_at
         WHERE student_truancy.truant_hours < EXCLUDED.truant_hours)
       UPDATE subsidy_student SET horizon = GREATEST(COALESCE(horizon, $5::date), $5::date) WHERE student_id = $1`,
      [d.studentId, d.semester, d.truantHours, d.recordedAt, dayOf(event)],
    );
  },
  (e) => ({ semester: e.data.semester, truantHours: e.data.truantHours }),
);

/** Household categories SB-6 weighs; a correction to anything else is not a category subsidy knows. */
const HOUSEHOLD_VALUES: readonly string[] = HOUSEHOLDS;

/**
 * SC-21 corrections as enrolment applied them (the owner of personal data; never from the request,
 * which enrolment may refuse by ENR-7): the ID number (SB-4 double status), household (SB-6) and
 * name. Values stay out of the audit.
 */
export const recordPersonalDataCorrection = studentEvent<'xueji.enrolment.personal-data.corrected.v1'>(
  'RECORD_PERSONAL_DATA_CORRECTION',
  (e) => e.data.studentId,
  async (uow, event) => {
    const { studentId } = event.data;
    for (const c of event.data.corrections) {
      if (c.field === 'idNumber') {
        await uow.manager.query(`UPDATE subsidy_student SET id_number_digest = $2 WHERE student_id = $1`, [
          studentId,
          idNumberDigest(c.newValue),
        ]);
      } else if (c.field === 'name' || (c.field === 'household' && HOUSEHOLD_VALUES.includes(c.newValue))) {
        await uow.manager.query(`UPDATE subsidy_student SET ${c.field} = $2 WHERE student_id = $1`, [
          studentId,
          c.newValue,
        ]);
      }
    }
    await extendHorizon(uow.manager, studentId, dayOf(event));
  },
  (e) => ({ fields: e.data.corrections.map((c) => c.field) }),
);

/** ENR-11: a transfer gave the student a new number; rosters and signals show it from now on. */
export const recordStudentNumber = studentEvent<'xueji.enrolment.student-number.assigned.v1'>(
  'RECORD_STUDENT_NUMBER',
  (e) => e.data.studentId,
  async (uow, event) => {
    await uow.manager.query(`UPDATE subsidy_student SET student_number = $2 WHERE student_id = $1`, [
      event.data.studentId,
      event.data.studentNumber,
    ]);
  },
);

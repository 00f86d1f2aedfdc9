import type { EntityManager } from 'typeorm';
import type { PolicyProfile } from '@xueji/policy';
import type { EventHandlers, ServiceContext } from '@xueji/service-kit';
import { recordStudentScope, recordTransferScope } from '@xueji/student-scope';
import type { RegistrationStatus } from '../domain/eligibility';
import { extendHorizon, lockStudent, recomputeStudent } from './recompute';

type Topics = ServiceContext['topics'];

/** Set the registration status unless a newer event already set it (events may arrive out of order). */
async function setStatus(
  manager: EntityManager,
  studentId: string,
  status: RegistrationStatus,
  asOf: string,
  facts: Record<string, unknown> = {},
): Promise<void> {
  const columns = Object.keys(facts);
  await manager.query(
    `INSERT INTO subsidy_student (student_id, registration_status, registered_at, status_as_of${columns.map((c) => `, ${c}`).join('')})
     VALUES ($1, $2, $3, $3${columns.map((_, i) => `, $${i + 4}`).join('')})
     ON CONFLICT (student_id) DO UPDATE SET registration_status = EXCLUDED.registration_status,
       status_as_of = EXCLUDED.status_as_of${columns.map((c) => `, ${c} = EXCLUDED.${c}`).join('')}
     WHERE subsidy_student.status_as_of IS NULL OR subsidy_student.status_as_of <= EXCLUDED.status_as_of`,
    [studentId, status, asOf, ...Object.values(facts)],
  );
}

/**
 * Events subsidy applies to its read model; after each, the student's per-period decisions are
 * recomputed (`recompute.ts`). No synchronous call to any other service.
 */
export function createHandlers(profile: PolicyProfile, topics: Topics): EventHandlers {
  /** Lock the student, apply the event, then recompute the timeline in the same transaction. */
  const applying =
    <E extends { time: string }>(
      studentIdOf: (event: E) => string,
      apply: (event: E, m: EntityManager) => Promise<void>,
    ) =>
    async (event: E, manager: EntityManager) => {
      const studentId = studentIdOf(event);
      await lockStudent(manager, studentId);
      await apply(event, manager);
      await extendHorizon(manager, studentId, event.time);
      await recomputeStudent(manager, studentId, event.time, profile, topics);
    };
  return {
    // Every effective change moves the student's status here too; an older event never overrides a newer one.
    'xueji.status-change.status.changed.v1': applying(
      (e) => e.data.studentId,
      async (event, manager) => {
        await recordTransferScope(event, manager);
        // A change may arrive before the registration it concerns (another topic): keep it; the
        // registration's own status fills in when it arrives (its status_as_of is still empty).
        await manager.query(
          `INSERT INTO subsidy_student (student_id, registration_status, registered_at, student_status, student_status_since, student_status_as_of)
           VALUES ($1, 'SUBMITTED', $4, $2, $3, $4)
           ON CONFLICT (student_id) DO UPDATE SET student_status = EXCLUDED.student_status,
             student_status_since = EXCLUDED.student_status_since, student_status_as_of = EXCLUDED.student_status_as_of
           WHERE subsidy_student.student_status_as_of IS NULL OR subsidy_student.student_status_as_of <= EXCLUDED.student_status_as_of`,
          [event.data.studentId, event.data.newStatus, event.data.effectiveDate, event.time],
        );
        // The whole history, effective-dated, so each period is decided on the status of its day.
        await manager.query(
          `INSERT INTO student_status_change (event_id, student_id, kind, effective_date, new_status, to_school_id, event_time)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
          [
            event.id,
            event.data.studentId,
            event.data.kind,
            event.data.effectiveDate,
            event.data.newStatus,
            event.data.toSchoolId ?? null,
            event.time,
          ],
        );
      },
    ),
    'xueji.enrolment.student.registered.v1': applying(
      (e) => e.data.studentId,
      async (event, manager) => {
        await recordStudentScope(event, manager);
        await setStatus(manager, event.data.studentId, 'SUBMITTED', event.data.registeredAt);
      },
    ),
    'xueji.enrolment.registration.approved.v1': applying(
      (e) => e.data.studentId,
      async (event, manager) => {
        const d = event.data;
        await setStatus(manager, d.studentId, 'APPROVED', d.approvedAt, {
          entry_date: d.entryDate,
          study_form: d.studyForm,
          household: d.household,
          major_waiver_excluded: d.waiverExcluded,
        });
      },
    ),
    'xueji.enrolment.registration.rejected.v1': applying(
      (e) => e.data.studentId,
      (event, manager) => setStatus(manager, event.data.studentId, 'REJECTED', event.data.rejectedAt),
    ),
    'xueji.enrolment.registration.cancelled.v1': applying(
      (e) => e.data.studentId,
      (event, manager) => setStatus(manager, event.data.studentId, 'CANCELLED', event.data.cancelledAt),
    ),
    'xueji.enrolment.admission.deferred.v1': applying(
      (e) => e.data.studentId,
      (event, manager) => setStatus(manager, event.data.studentId, 'DEFERRED', event.data.deferredAt),
    ),
  };
}

import type { EntityManager } from 'typeorm';
import type { EventHandlers } from '@xueji/service-kit';
import { recordStudentScope, recordTransferScope } from '@xueji/student-scope';
import type { RegistrationStatus } from '../domain/eligibility';

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

/** Events subsidy applies to its read model. No synchronous call to any other service. */
export const handlers: EventHandlers = {
  // Every effective change moves the student's status here too; an older event never overrides a newer one.
  'xueji.status-change.status.changed.v1': async (event, manager) => {
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
  },
  'xueji.enrolment.student.registered.v1': async (event, manager) => {
    await recordStudentScope(event, manager);
    await setStatus(manager, event.data.studentId, 'SUBMITTED', event.data.registeredAt);
  },
  'xueji.enrolment.registration.approved.v1': async (event, manager) => {
    const d = event.data;
    await setStatus(manager, d.studentId, 'APPROVED', d.approvedAt, {
      entry_date: d.entryDate,
      study_form: d.studyForm,
      household: d.household,
      major_waiver_excluded: d.waiverExcluded,
    });
  },
  'xueji.enrolment.registration.rejected.v1': (event, manager) =>
    setStatus(manager, event.data.studentId, 'REJECTED', event.data.rejectedAt),
  'xueji.enrolment.registration.cancelled.v1': (event, manager) =>
    setStatus(manager, event.data.studentId, 'CANCELLED', event.data.cancelledAt),
  'xueji.enrolment.admission.deferred.v1': (event, manager) =>
    setStatus(manager, event.data.studentId, 'DEFERRED', event.data.deferredAt),
};

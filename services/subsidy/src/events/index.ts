import { onEvent, type CommandEnv, type EventHandlers } from '@xueji/service-kit';
import { recordAbsence } from '../application/absence';
import { recordSchoolCatalogue } from '../application/school-catalogue';
import {
  recordApproval,
  recordCancellation,
  recordDeferral,
  recordPersonalDataCorrection,
  recordRegistration,
  recordRejection,
  recordStatusChange,
  recordStudentNumber,
  recordTermLapse,
  recordTruancy,
} from '../application/student-events';

/**
 * Events subsidy applies to its read model, each as a command run as the system in the inbox's
 * transaction: after each, the student's per-period decisions are recomputed and SB-4 judged
 * again. No synchronous call to any other service.
 */
export function createHandlers(env: CommandEnv): EventHandlers {
  return {
    'xueji.status-change.status.changed.v1': onEvent(env, recordStatusChange, (event) => event),
    'xueji.enrolment.personal-data.corrected.v1': onEvent(env, recordPersonalDataCorrection, (event) => event),
    'xueji.enrolment.student.registered.v1': onEvent(env, recordRegistration, (event) => event),
    'xueji.enrolment.registration.approved.v1': onEvent(env, recordApproval, (event) => event),
    'xueji.enrolment.student-number.assigned.v1': onEvent(env, recordStudentNumber, (event) => event),
    'xueji.enrolment.registration.rejected.v1': onEvent(env, recordRejection, (event) => event),
    'xueji.enrolment.registration.cancelled.v1': onEvent(env, recordCancellation, (event) => event),
    'xueji.enrolment.admission.deferred.v1': onEvent(env, recordDeferral, (event) => event),
    'xueji.enrolment.term-registration.lapsed.v1': onEvent(env, recordTermLapse, (event) => event),
    'xueji.enrolment.school.registered.v1': onEvent(env, recordSchoolCatalogue, (event) => event),
    'xueji.assessment.truancy.recorded.v1': onEvent(env, recordTruancy, (event) => event),
    // SB-4 / ENR-8: away without leave for SC-17's consecutive days.
    'xueji.assessment.absence.threshold-crossed.v1': onEvent(env, recordAbsence, (event) => event),
  };
}

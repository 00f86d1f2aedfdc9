import { endedByCancellation, endedByRejection } from '@xueji/events';
import { onEvent, type CommandEnv, type EventHandlers } from '@xueji/service-kit';
import {
  recordApproval,
  recordAssessedCertificate,
  recordConduct,
  recordCorrection,
  recordExtraInput,
  recordInternship,
  recordRegistration,
  recordRegistrationEnded,
  recordResults,
  recordSanction,
  recordSchool,
  recordStatusChange,
  recordStudentNumber,
} from '../application/consumed';

/**
 * Events graduation applies to its read model, each through its command (one unit of work inside the
 * inbox's transaction, one audit row naming the event). `student.registered` and `status.changed` also
 * keep the student scope (who may read a record), replacing student-scope's own handlers.
 */
export const handlers = (env: CommandEnv): EventHandlers => ({
  'xueji.enrolment.school.registered.v1': onEvent(env, recordSchool, (event) => event),
  'xueji.enrolment.student.registered.v1': onEvent(env, recordRegistration, (event) => event),
  'xueji.enrolment.registration.approved.v1': onEvent(env, recordApproval, (event) => event),
  // ENR-11: a new student number after a transfer.
  'xueji.enrolment.student-number.assigned.v1': onEvent(env, recordStudentNumber, (event) => event),
  'xueji.enrolment.registration.rejected.v1': onEvent(env, recordRegistrationEnded, endedByRejection),
  'xueji.enrolment.registration.cancelled.v1': onEvent(env, recordRegistrationEnded, endedByCancellation),
  'xueji.status-change.status.changed.v1': onEvent(env, recordStatusChange, (event) => event),
  // GR-1 (jilin): a data-change record, with whether it was approved in time.
  'xueji.enrolment.personal-data.corrected.v1': onEvent(env, recordCorrection, (event) => event),
  // GR-1's facts from assessment: results and credits (AS-1, AS-4, AS-6), conduct (AS-2), internships (AS-7), AS-17.
  'xueji.assessment.results.changed.v1': onEvent(env, recordResults, (event) => event),
  'xueji.assessment.conduct.recorded.v1': onEvent(env, recordConduct, (event) => event),
  'xueji.assessment.internship.assessed.v1': onEvent(env, recordInternship, (event) => event),
  'xueji.assessment.graduation-input.recorded.v1': onEvent(env, recordExtraInput, (event) => event),
  // GR-1 (fujian), GR-11: a certificate held, recognised for credits (AS-4).
  'xueji.assessment.certificate.recorded.v1': onEvent(env, recordAssessedCertificate, (event) => event),
  // AS-10 … AS-14: sanctions in force, shown with the audit.
  'xueji.assessment.sanction.decided.v1': onEvent(env, recordSanction, ({ data }) => ({
    sanctionId: data.sanctionId,
    studentId: data.studentId,
    kind: data.kind,
    inForce: !data.awaitsAuthority,
  })),
  'xueji.assessment.expulsion.effective.v1': onEvent(env, recordSanction, ({ data }) => ({
    sanctionId: data.sanctionId,
    studentId: data.studentId,
    kind: 'EXPULSION' as const,
    inForce: true,
  })),
  'xueji.assessment.sanction.revoked.v1': onEvent(env, recordSanction, ({ data }) => ({
    sanctionId: data.sanctionId,
    studentId: data.studentId,
    kind: data.kind,
    inForce: false,
  })),
  'xueji.assessment.sanction.annulled.v1': onEvent(env, recordSanction, ({ data }) => ({
    sanctionId: data.sanctionId,
    studentId: data.studentId,
    kind: data.kind,
    inForce: false,
  })),
});

import { onEvent, type CommandEnv, type EventHandlers } from '@xueji/service-kit';
import {
  recordRegistrationApproval,
  recordRegistrationEnded,
  recordSchool,
  recordStudentRegistration,
  recordTermRegistrationLapse,
  recordTruancy,
  recordTuitionWaiver,
  settleCorrection,
} from '../application';

/**
 * Events status-change applies, each through its command (one unit of work inside the inbox's
 * transaction, one audit row naming the event): schools and registrations (the facts the SC rules
 * need), lapses of term registration and truancy (SC-17 cases), and the tuition waiver (SC-10).
 */
export const handlers = (env: CommandEnv): EventHandlers => ({
  'xueji.enrolment.school.registered.v1': onEvent(env, recordSchool, (event) => event),
  'xueji.enrolment.student.registered.v1': onEvent(env, recordStudentRegistration, (event) => event),
  'xueji.enrolment.registration.approved.v1': onEvent(env, recordRegistrationApproval, (event) => event),
  'xueji.enrolment.registration.rejected.v1': onEvent(env, recordRegistrationEnded, ({ data }) => ({
    studentId: data.studentId,
    endedAt: data.rejectedAt,
    outcome: 'REJECTED' as const,
  })),
  'xueji.enrolment.registration.cancelled.v1': onEvent(env, recordRegistrationEnded, ({ data }) => ({
    studentId: data.studentId,
    endedAt: data.cancelledAt,
    outcome: 'CANCELLED' as const,
  })),
  // ENR-17 → SC-17: a lapsed term registration opens an imposed-withdrawal case for the school to confirm.
  'xueji.enrolment.term-registration.lapsed.v1': onEvent(env, recordTermRegistrationLapse, (event) => event),
  // AS-8 → SC-17: truancy of 90 hours or more in a semester.
  'xueji.assessment.truancy.recorded.v1': onEvent(env, recordTruancy, (event) => event),
  // SC-21 / ENR-7: enrolment applied or refused an approved correction; the request ends accordingly.
  'xueji.enrolment.personal-data.corrected.v1': onEvent(env, settleCorrection, ({ data }) => ({
    requestId: data.requestId,
    applied: true as const,
  })),
  'xueji.enrolment.personal-data.correction-refused.v1': onEvent(env, settleCorrection, ({ data }) => ({
    requestId: data.requestId,
    applied: false as const,
    rule: data.rule,
    reason: data.reason,
  })),
  // SC-10: the waiver history locks agriculture-related majors against a change of major.
  'xueji.subsidy.waiver.granted.v1': onEvent(env, recordTuitionWaiver, (event) => event),
});

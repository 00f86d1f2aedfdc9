import { endedByCancellation, endedByRejection } from '@xueji/events';
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
import { applyExpulsion, liftExpulsion, recordAbsenceWithoutLeave } from '../application/assessment-events';
import { applyCompletion, applyGraduation } from '../application/graduation-events';
import { recordYearFailures } from '../application/year-failures';

/**
 * Events status-change applies, each through its command (one unit of work inside the inbox's
 * transaction, one audit row naming the event): schools and registrations (the facts the SC rules
 * need), lapses of term registration and truancy (SC-17 cases), and the tuition waiver (SC-10).
 */
export const handlers = (env: CommandEnv): EventHandlers => ({
  'xueji.enrolment.school.registered.v1': onEvent(env, recordSchool, (event) => event),
  'xueji.enrolment.student.registered.v1': onEvent(env, recordStudentRegistration, (event) => event),
  'xueji.enrolment.registration.approved.v1': onEvent(env, recordRegistrationApproval, (event) => event),
  'xueji.enrolment.registration.rejected.v1': onEvent(env, recordRegistrationEnded, endedByRejection),
  'xueji.enrolment.registration.cancelled.v1': onEvent(env, recordRegistrationEnded, endedByCancellation),
  // ENR-17 → SC-17: a lapsed term registration opens an imposed-withdrawal case for the school to confirm.
  'xueji.enrolment.term-registration.lapsed.v1': onEvent(env, recordTermRegistrationLapse, (event) => event),
  // SC-11: assessment's count of failed courses after make-ups, which a REPEAT is judged by.
  'xueji.assessment.year-failures.counted.v1': onEvent(env, recordYearFailures, (event) => event),
  // AS-8 → SC-17: truancy of 90 hours or more in a semester.
  'xueji.assessment.truancy.recorded.v1': onEvent(env, recordTruancy, (event) => event),
  // SC-17: two weeks absent without leave; AS-11: an expulsion in effect (EXPELLED); AS-14: an appeal lifting it.
  'xueji.assessment.absence.threshold-crossed.v1': onEvent(env, recordAbsenceWithoutLeave, (event) => event),
  'xueji.assessment.expulsion.effective.v1': onEvent(env, applyExpulsion, (event) => event),
  'xueji.assessment.appeal.decided.v1': onEvent(env, liftExpulsion, (event) => event),
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
  // GR-3, GR-6: a diploma issued moves the status to GRADUATED; a certificate of completion to COMPLETED.
  'xueji.graduation.diploma.issued.v1': onEvent(env, applyGraduation, (event) => event),
  'xueji.graduation.completion.issued.v1': onEvent(env, applyCompletion, (event) => event),
});

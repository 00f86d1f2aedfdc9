import { onEvent, type CommandEnv, type EventHandlers } from '@xueji/service-kit';
import {
  recordRegistrationCancelled,
  recordSchoolScope,
  recordStatusChange,
  recordStudyRecord,
} from '../application/study';

/**
 * Part A's consumed events: schools (their county), approved registrations (the student's plan)
 * and effective status changes (a transfer moves scope and plan, the results stay; a repeat moves
 * the student to the next cohort's plan, SC-11; a resumption to the cohort of the year of return,
 * SC-15; every change keeps the new status, so a student who has left gets nothing new recorded).
 * `status.changed` also moves the scope, so it replaces student-scope's own handler of that type. A
 * registration cancelled at the re-check (ENR-9) ends the student's status too.
 */
export const resultsHandlers = (env: CommandEnv): EventHandlers => ({
  'xueji.enrolment.school.registered.v1': onEvent(env, recordSchoolScope, (event) => event),
  'xueji.enrolment.registration.approved.v1': onEvent(env, recordStudyRecord, (event) => event),
  'xueji.status-change.status.changed.v1': onEvent(env, recordStatusChange, (event) => event),
  'xueji.enrolment.registration.cancelled.v1': onEvent(env, recordRegistrationCancelled, (event) => event),
});

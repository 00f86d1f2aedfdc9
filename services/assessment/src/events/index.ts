import { onEvent, type CommandEnv, type EventHandlers } from '@xueji/service-kit';
import { studentScopeHandlers } from '@xueji/student-scope';
import { recordBirthDateCorrection, recordRegisteredStudent, recordStudentNumber } from '../application/registrations';
import { resultsHandlers } from './results';

/** Events assessment applies: registrations and transfers tell it which students exist and where. */
export const handlers = (env: CommandEnv): EventHandlers => ({
  ...studentScopeHandlers(env),
  // Part A: schools, approved registrations, status changes (replaces student-scope's status.changed handler).
  ...resultsHandlers(env),
  // Part B (AS-11): the registration also carries the birth date (replaces student-scope's student.registered handler).
  'xueji.enrolment.student.registered.v1': onEvent(env, recordRegisteredStudent, (event) => event),
  // Part B (AS-11, SC-21): a corrected date of birth.
  'xueji.enrolment.personal-data.corrected.v1': onEvent(env, recordBirthDateCorrection, (event) => event),
  // ENR-11: a new student number after a transfer.
  'xueji.enrolment.student-number.assigned.v1': onEvent(env, recordStudentNumber, (event) => event),
});

/** Status-change rules (POLICY.md SC-1 … SC-22): pure functions of the facts and the policy profile. */
export * from './types';
export * from './rules';
export {
  studyPosition,
  semestersCompleted,
  semesterEnd,
  isSemesterStart,
  semesterStartOn,
  type StudyPosition,
} from './calendar';
export { checkChange } from './check';
export { newStatusAfter, SENDING_SCHOOL_STATUS_AFTER_TRANSFER } from './status';
export { approvalSteps } from './transfer';
export { cumulativeSuspensionMonths } from './suspension';
export {
  imposedProcedureBreaches,
  imposedWithdrawalDue,
  imposedWithdrawalProcedure,
  type GuardianNotice,
  type ImposedCaseFacts,
  type ImposedWithdrawalFacts,
} from './withdrawal';
export { monthlyReportDue, recordTiming, type RequestTimingFacts } from './records';

/**
 * The commands of status-change: each write is one unit of work through the kit's `command()`
 * (role, transaction, outbox, one audit row). Resolvers, event handlers and the scheduled job call these.
 */
export { submitChangeRequest } from './submit-change-request';
export {
  approveChangeRequest,
  recordGuardianNotice,
  rejectChangeRequest,
  withdrawChangeRequest,
  type Decision,
} from './decide-change-request';
export { settleCorrection, takeEffectWhenDue } from './take-effect';
export { openImposedWithdrawal, type ImposedWithdrawalCase } from './imposed-withdrawal';
export {
  recordRegistrationApproval,
  recordRegistrationEnded,
  recordSchool,
  recordStudentRegistration,
  recordTermRegistrationLapse,
  recordTruancy,
  recordTuitionWaiver,
} from './consumed-events';

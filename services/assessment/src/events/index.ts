import type { EventHandlers } from '@xueji/service-kit';
import { recordStudentScope, recordTransferScope } from '@xueji/student-scope';

/** Events assessment applies: registrations tell it which students exist and where. */
export const handlers: EventHandlers = {
  'xueji.enrolment.student.registered.v1': recordStudentScope,
  'xueji.status-change.status.changed.v1': recordTransferScope,
};

import type { EventHandlers } from '@xueji/service-kit';
import { recordStudentScope } from '@xueji/student-scope';

/** Events subsidy applies to its read model. No synchronous call to any other service. */
export const handlers: EventHandlers = {
  'xueji.enrolment.student.registered.v1': async (event, manager) => {
    await recordStudentScope(event, manager);
    await manager.query(
      `INSERT INTO subsidy_student (student_id, registration_status, registered_at) VALUES ($1, 'SUBMITTED', $2)
       ON CONFLICT (student_id) DO NOTHING`,
      [event.data.studentId, event.data.registeredAt],
    );
  },
};

import type { EventHandlers } from '@xueji/service-kit';
import { recordStudentScope } from '@xueji/student-scope';
import { StatusChange, StudentStatus } from '../entities/status';

/** Events status-change applies: a registration opens the student's status history. */
export const handlers: EventHandlers = {
  'xueji.enrolment.student.registered.v1': async (event, manager) => {
    await recordStudentScope(event, manager);
    const existing = await manager.getRepository(StudentStatus).findOneBy({ studentId: event.data.studentId });
    if (existing) return;
    const since = new Date(event.data.registeredAt);
    await manager
      .getRepository(StudentStatus)
      .insert({ studentId: event.data.studentId, code: 'REGISTRATION_PENDING', since });
    await manager.getRepository(StatusChange).insert({
      studentId: event.data.studentId,
      kind: 'REGISTRATION',
      previousStatus: null,
      newStatus: 'REGISTRATION_PENDING',
      effectiveAt: since,
    });
  },
};

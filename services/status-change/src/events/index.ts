import type { EntityManager } from 'typeorm';
import type { EventHandlers } from '@xueji/service-kit';
import { recordStudentScope } from '@xueji/student-scope';
import { StatusChange, StudentStatus, type StatusCode } from '../entities/status';

/** Move a student to a new status and record the change, unless it is already there. */
async function moveTo(
  manager: EntityManager,
  studentId: string,
  kind: string,
  to: StatusCode,
  at: string,
): Promise<void> {
  const statuses = manager.getRepository(StudentStatus);
  const current = await statuses.findOneBy({ studentId });
  if (current?.code === to) return;
  const since = new Date(at);
  await statuses.upsert({ studentId, code: to, since }, ['studentId']);
  await manager.getRepository(StatusChange).insert({
    studentId,
    kind,
    previousStatus: current?.code ?? null,
    newStatus: to,
    effectiveAt: since,
  });
}

/** Events status-change applies: registration opens the status history; its outcome settles it (ENR-5). */
export const handlers: EventHandlers = {
  'xueji.enrolment.student.registered.v1': async (event, manager) => {
    await recordStudentScope(event, manager);
    await moveTo(manager, event.data.studentId, 'REGISTRATION', 'REGISTRATION_PENDING', event.data.registeredAt);
  },
  'xueji.enrolment.registration.approved.v1': (event, manager) =>
    moveTo(manager, event.data.studentId, 'REGISTRATION', 'ACTIVE', event.data.approvedAt),
  'xueji.enrolment.registration.rejected.v1': (event, manager) =>
    moveTo(manager, event.data.studentId, 'CANCELLATION', 'CANCELLED', event.data.rejectedAt),
  'xueji.enrolment.registration.cancelled.v1': (event, manager) =>
    moveTo(manager, event.data.studentId, 'CANCELLATION', 'CANCELLED', event.data.cancelledAt),
};

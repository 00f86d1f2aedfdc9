/**
 * What the school's registrar changes about one of its own registrations: cancelling it at the
 * entrance re-check (ENR-9), deferring an ill student's admission and re-admitting them (ENR-10).
 */
import type { Principal } from '@xueji/auth';
import { badUserInput } from '@xueji/errors';
import { createEvent } from '@xueji/events';
import { fields, limits, refusal, text } from '@xueji/rules';
import { command, type UnitOfWork } from '@xueji/service-kit';
import { deferral, readmissionViolations } from '../domain/decisions';
import { checkRecheckCancellation } from '../domain/lifecycle';
import type { Student } from '../entities/student';
import { lockStudent, persist, registeredEvent } from './student-records';

const OWN_SCHOOL = { zh: '只能办理本校学生的学籍事务', en: 'You may act only for students of your own school' };

/** One of the registrar's own students, locked for the change. */
async function ownStudent(uow: UnitOfWork<Principal>, id: string): Promise<Student> {
  const student = await lockStudent(uow.manager, id);
  uow.requireScope({ schoolId: student.schoolId, regionCode: student.school!.regionCode }, OWN_SCHOOL);
  return student;
}

/** ENR-9: cancel a registration found ineligible at the entrance re-check, within the profile's window. */
export const cancelRegistration = command<{ id: string; reason: string }, Student>({
  name: 'CANCEL_REGISTRATION',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ reason: text('reason') })),
  async run(uow, { id, reason }) {
    if (!reason.trim())
      throw badUserInput({ zh: '注销须说明理由', en: 'A cancellation needs a reason' }, { field: 'reason' });
    const student = await ownStudent(uow, id);
    const breaches = checkRecheckCancellation(uow.profile, {
      arrivedOn: student.arrivedOn ?? student.entryDate,
      today: uow.today(),
      registrationStatus: student.registrationStatus,
    });
    if (breaches.length > 0) throw refusal(breaches);
    const cancelledAt = uow.now();
    student.registrationStatus = 'CANCELLED';
    student.decidedAt = cancelledAt;
    student.decidedBy = uow.actor.subject;
    student.decisionComment = reason.trim();
    await persist(uow.manager, student);
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.enrolment.registration.cancelled.v1', student.id, {
        studentId: student.id,
        schoolId: student.schoolId,
        reason: reason.trim(),
        cancelledAt: cancelledAt.toISOString(),
      }),
    });
    return student;
  },
  audit: (student, { reason }) => ({ entity: 'student', entityId: student.id, reason }),
});

/** ENR-10: keep an ill student's admission without status, on a hospital certificate. */
export const deferAdmission = command<{ id: string; certificateRef: string }, Student>({
  name: 'DEFER_ADMISSION',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ certificateRef: text('reference') })),
  async run(uow, { id, certificateRef }) {
    const student = await ownStudent(uow, id);
    const decided = deferral(uow.profile, {
      certificateRef,
      registrationStatus: student.registrationStatus,
      today: uow.today(),
    });
    if ('breaches' in decided) throw refusal(decided.breaches);
    student.registrationStatus = 'DEFERRED';
    student.deferredUntil = decided.until;
    await persist(uow.manager, student);
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.enrolment.admission.deferred.v1', student.id, {
        studentId: student.id,
        schoolId: student.schoolId,
        deferredUntil: decided.until,
        deferredAt: uow.now().toISOString(),
      }),
    });
    return student;
  },
  audit: (student, { certificateRef }) => ({ entity: 'student', entityId: student.id, reason: certificateRef }),
});

/** ENR-10: re-admit a deferred student with a certificate of recovery; the registration is reviewed again. */
export const readmitDeferred = command<{ id: string; certificateRef: string }, Student>({
  name: 'READMIT_DEFERRED',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ certificateRef: text('reference') })),
  async run(uow, { id, certificateRef }) {
    const student = await ownStudent(uow, id);
    const breaches = readmissionViolations({
      registrationStatus: student.registrationStatus,
      deferredUntil: student.deferredUntil,
      certificateRef,
      today: uow.today(),
    });
    if (breaches.length > 0) throw refusal(breaches);
    student.registrationStatus = 'SUBMITTED';
    student.deferredUntil = null;
    student.registeredAt = uow.now();
    await persist(uow.manager, student);
    uow.publish({ topic: uow.topics.own, event: registeredEvent(student, student.school!) });
    return student;
  },
  audit: (student, { certificateRef }) => ({ entity: 'student', entityId: student.id, reason: certificateRef }),
});

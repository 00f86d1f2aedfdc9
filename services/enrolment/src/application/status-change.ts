/**
 * Status-change decides; enrolment keeps the student's placement and personal data, and applies
 * what status-change approved: transfers, major changes, leaving, and data corrections.
 */
import { createEvent, type EventData } from '@xueji/events';
import { command, type SystemActor, type UnitOfWork } from '@xueji/service-kit';
import type { StatusChangedEventKind } from '@xueji/vocabulary';
import { idNumberCorrectionBreaches } from '../domain/decisions';
import { refusal, violation, type RuleViolation } from '@xueji/rules';
import { keepsNumberOnArrival } from '../domain/student-number';
import { School } from '../entities/school';
import { Student } from '../entities/student';
import { activeSchoolOf, otherStatusOf } from '../reads/registration';
import { allocateStudentNumber } from './student-records';

const LEAVING = new Set<StatusChangedEventKind>([
  'WITHDRAWAL',
  'CANCELLATION',
  'DEATH',
  'EXPULSION',
  'GRADUATION',
  'COMPLETION',
]);

/**
 * An approved status change took effect: a transfer moves the student to the receiving school
 * (ENR-11 decides whether the number is kept: not from another province, nor from a general high
 * school); a major change changes the major; leaving frees the ENR-7 slot.
 */
export const applyStatusChange = command<EventData<'xueji.status-change.status.changed.v1'>, void, SystemActor>({
  name: 'APPLY_STATUS_CHANGE',
  roles: 'SYSTEM',
  async run(uow, d) {
    const students = uow.manager.getRepository(Student);
    const student = await students.findOne({ where: { id: d.studentId }, relations: { school: true } });
    if (!student) throw new Error(`status change for unknown student ${d.studentId}`);
    if (d.kind === 'TRANSFER' && d.toSchoolId) {
      const to = await uow.manager.getRepository(School).findOneBy({ id: d.toSchoolId });
      if (!to) throw new Error(`transfer to unknown school ${d.toSchoolId}`);
      const keep = keepsNumberOnArrival(uow.profile, {
        fromProvinceCode: student.school!.regionCode.slice(0, 2),
        toProvinceCode: to.regionCode.slice(0, 2),
        fromGeneralHighSchool: d.fromGeneralHighSchool ?? false,
      });
      const before = student.studentNumber;
      const moved = Object.assign(student, { schoolId: to.id, school: to }, keep ? {} : { studentNumber: null });
      const number = await allocateStudentNumber(uow.manager, uow.profile, moved);
      // ENR-11: the services that show the number learn the new one (assessment's results sheets,
      // subsidy's rosters, graduation's class audits).
      if (number !== before) {
        uow.publish({
          topic: uow.topics.own,
          event: createEvent('xueji.enrolment.student-number.assigned.v1', student.id, {
            studentId: student.id,
            schoolId: to.id,
            studentNumber: number,
            assignedAt: uow.now().toISOString(),
          }),
        });
      }
      await students.update(student.id, {
        schoolId: to.id,
        studentNumber: number,
        ...(d.toMajorCode ? { majorCode: d.toMajorCode, majorCategoryCode: d.toMajorCode.slice(0, 2) } : {}),
      });
    } else if (d.kind === 'MAJOR_CHANGE' && d.toMajorCode) {
      await students.update(student.id, { majorCode: d.toMajorCode, majorCategoryCode: d.toMajorCode.slice(0, 2) });
    } else if (LEAVING.has(d.kind)) {
      await students.update(student.id, { leftAt: d.effectiveDate });
    } else if (d.kind === 'REINSTATEMENT') {
      // AS-14: an appeal lifted the expulsion; the student is at school again.
      await students.update(student.id, { leftAt: null });
    }
  },
  audit: (_, d) => ({ entity: 'student', entityId: d.studentId, details: { kind: d.kind } }),
});

type CorrectionInput = Omit<EventData<'xueji.status-change.personal-data.correction-approved.v1'>, 'requestId'> & {
  /** Null for a correction published before enrolment answered them (the old event type). */
  requestId: string | null;
};

/**
 * SC-21 / ENR-7: a correction status-change approved. Enrolment owns personal data, so it decides:
 * it applies the correction and publishes the values the record now holds (the only source other
 * services learn them from), or refuses it by ENR-7 and says so, and status-change ends the request
 * refused. A correction without a request (the old event type) has no one to answer: a refusal is
 * thrown, and the event is dead-lettered as before.
 */
export const applyPersonalDataCorrection = command<CorrectionInput, { applied: boolean }, SystemActor>({
  name: 'APPLY_PERSONAL_DATA_CORRECTION',
  roles: 'SYSTEM',
  async run(uow, d) {
    const students = uow.manager.getRepository(Student);
    const student = await students.findOne({ where: { id: d.studentId }, lock: { mode: 'pessimistic_write' } });
    const breaches = await correctionBreaches(uow, d);
    if (!student) breaches.push(NO_SUCH_STUDENT);
    if (breaches.length > 0) {
      if (d.requestId === null) throw refusal(breaches);
      const [first] = breaches;
      uow.publish({
        topic: uow.topics.own,
        event: createEvent('xueji.enrolment.personal-data.correction-refused.v1', d.studentId, {
          studentId: d.studentId,
          requestId: d.requestId,
          rule: first!.rule,
          reason: first!.message,
          refusedAt: uow.now().toISOString(),
        }),
      });
      return { applied: false };
    }
    const corrected = Object.fromEntries(d.corrections.map((c) => [c.field, c.newValue]));
    await students.update(d.studentId, corrected);
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.enrolment.personal-data.corrected.v1', d.studentId, {
        studentId: d.studentId,
        requestId: d.requestId,
        effectiveDate: d.effectiveDate,
        corrections: d.corrections.map(({ field, newValue }) => ({ field, newValue })),
        correctedAt: uow.now().toISOString(),
        // GR-1 (jilin): the data-change record's timing, as status-change judged it, passed on.
        ...(d.approvedInTime === undefined
          ? {}
          : { submittedOn: d.submittedOn, approvedOn: d.approvedOn, approvedInTime: d.approvedInTime }),
      }),
    });
    return { applied: true };
  },
  // The fields, not their values: the audit log carries no ID numbers.
  audit: ({ applied }, d) => ({
    entity: 'student',
    entityId: d.studentId,
    details: { requestId: d.requestId, applied, fields: d.corrections.map((c) => c.field) },
  }),
});

const NO_SUCH_STUDENT = violation(
  'SC-21',
  '学籍库中没有该学生，无法更正',
  'No such student record to correct',
  'studentId',
);

/** ENR-7 on a corrected ID number: held by another active student, or by another kind of status. */
async function correctionBreaches(uow: UnitOfWork, d: CorrectionInput): Promise<RuleViolation[]> {
  const idNumber = d.corrections.find((c) => c.field === 'idNumber')?.newValue;
  if (idNumber === undefined) return [];
  const holder = await activeSchoolOf(uow.manager, idNumber, d.studentId);
  const otherStatus = holder ? null : await otherStatusOf(uow.manager, idNumber);
  return idNumberCorrectionBreaches(uow.profile, { heldByAnotherActiveStudent: holder !== null, otherStatus });
}

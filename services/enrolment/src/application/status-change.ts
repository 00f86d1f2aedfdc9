/**
 * Status-change decides; enrolment keeps the student's placement and personal data, and applies
 * what status-change approved: transfers, major changes, leaving, and data corrections.
 */
import type { EventData } from '@xueji/events';
import { command, type SystemActor } from '@xueji/service-kit';
import type { StatusChangedEventKind } from '@xueji/vocabulary';
import { keepsNumberOnArrival } from '../domain/student-number';
import { School } from '../entities/school';
import { Student } from '../entities/student';
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
      const moved = Object.assign(student, { schoolId: to.id, school: to }, keep ? {} : { studentNumber: null });
      const number = await allocateStudentNumber(uow.manager, uow.profile, moved);
      await students.update(student.id, {
        schoolId: to.id,
        studentNumber: number,
        ...(d.toMajorCode ? { majorCode: d.toMajorCode, majorCategoryCode: d.toMajorCode.slice(0, 2) } : {}),
      });
    } else if (d.kind === 'MAJOR_CHANGE' && d.toMajorCode) {
      await students.update(student.id, { majorCode: d.toMajorCode, majorCategoryCode: d.toMajorCode.slice(0, 2) });
    } else if (LEAVING.has(d.kind)) {
      await students.update(student.id, { leftAt: d.effectiveDate });
    }
  },
  audit: (_, d) => ({ entity: 'student', entityId: d.studentId, details: { kind: d.kind } }),
});

/** SC-21: an approved correction of personal data is applied to the record. */
export const applyPersonalDataCorrection = command<
  EventData<'xueji.status-change.personal-data.corrected.v1'>,
  void,
  SystemActor
>({
  name: 'APPLY_PERSONAL_DATA_CORRECTION',
  roles: 'SYSTEM',
  async run(uow, d) {
    for (const c of d.corrections) {
      await uow.manager.getRepository(Student).update(d.studentId, { [c.field]: c.newValue });
    }
  },
  audit: (_, d) => ({
    entity: 'student',
    entityId: d.studentId,
    details: { fields: d.corrections.map((c) => c.field) },
  }),
});

import type { PolicyProfile } from '@xueji/policy';
import type { EventHandlers } from '@xueji/service-kit';
import type { CorrectableField, StatusChangedEventKind } from '@xueji/vocabulary';
import { allocateStudentNumber } from '../resolvers/registration';
import { keepsNumberOnArrival } from '../domain/student-number';
import { School } from '../entities/school';
import { Student } from '../entities/student';

const LEAVING = new Set<StatusChangedEventKind>([
  'WITHDRAWAL',
  'CANCELLATION',
  'DEATH',
  'EXPULSION',
  'GRADUATION',
  'COMPLETION',
]);

const COLUMN: Record<CorrectableField, string> = {
  name: 'name',
  sex: 'sex',
  birthDate: 'birth_date',
  address: 'address',
  idNumber: 'id_number',
  household: 'household',
};

/**
 * Status-change decides; enrolment keeps the student's placement and personal data, and applies
 * what status-change approved: transfers, major changes, leaving, and data corrections.
 */
export const handlers = ({ profile }: { profile: PolicyProfile }): EventHandlers => ({
  'xueji.status-change.status.changed.v1': async (event, manager) => {
    const d = event.data;
    const students = manager.getRepository(Student);
    const student = await students.findOne({ where: { id: d.studentId }, relations: { school: true } });
    if (!student) throw new Error(`status change for unknown student ${d.studentId}`);
    if (d.kind === 'TRANSFER' && d.toSchoolId) {
      const to = await manager.getRepository(School).findOneBy({ id: d.toSchoolId });
      if (!to) throw new Error(`transfer to unknown school ${d.toSchoolId}`);
      // ENR-11: the number is kept, unless the format gives a newcomer from another province a new one.
      const keep = keepsNumberOnArrival(profile, {
        fromProvinceCode: student.school!.regionCode.slice(0, 2),
        toProvinceCode: to.regionCode.slice(0, 2),
        fromGeneralHighSchool: d.fromOtherProvince ?? false,
      });
      const moved = Object.assign(student, { schoolId: to.id, school: to }, keep ? {} : { studentNumber: null });
      const number = await allocateStudentNumber(manager, profile, moved);
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
  'xueji.status-change.personal-data.corrected.v1': async (event, manager) => {
    for (const c of event.data.corrections) {
      await manager.query(`UPDATE student SET ${COLUMN[c.field]} = $2 WHERE id = $1`, [
        event.data.studentId,
        c.newValue,
      ]);
    }
  },
});

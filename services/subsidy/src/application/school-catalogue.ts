import { selectOne } from '@xueji/db';
import type { TypedEvent } from '@xueji/events';
import { command, type SystemActor } from '@xueji/service-kit';
import { studentFacts, studentsOfSchool } from '../reads/students';
import { refreshSignals } from './signals';
import { lockStudent } from './student-lock';

/**
 * SB-4: the majors and teaching points a school is approved for (newest catalogue wins); every
 * student there is judged again. One audit row names the school; its actor is the event.
 */
export const recordSchoolCatalogue = command<
  TypedEvent<'xueji.enrolment.school.registered.v1'>,
  { applied: boolean; studentsJudged: number },
  SystemActor
>({
  name: 'RECORD_SCHOOL_CATALOGUE',
  roles: 'SYSTEM',
  async run(uow, event) {
    const d = event.data;
    const applied = await selectOne<{ school_id: string }>(
      uow.manager,
      `INSERT INTO school_catalogue (school_id, code, name, region_code, approved_major_codes, teaching_point_ids, as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (school_id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, region_code = EXCLUDED.region_code,
         approved_major_codes = EXCLUDED.approved_major_codes, teaching_point_ids = EXCLUDED.teaching_point_ids,
         as_of = EXCLUDED.as_of
       WHERE school_catalogue.as_of <= EXCLUDED.as_of
       RETURNING school_id`,
      [d.schoolId, d.code, d.name, d.regionCode, d.approvedMajorCodes ?? null, d.teachingPointIds ?? null, event.time],
    );
    // An older catalogue arriving late changes nothing.
    if (!applied) return { applied: false, studentsJudged: 0 };
    const students = await studentsOfSchool(uow.manager, d.schoolId);
    for (const studentId of students) {
      await lockStudent(uow.manager, studentId);
      const student = await studentFacts(uow.manager, studentId);
      if (!student) continue;
      const claimed = student.current.map((r) => ({
        period: r.period,
        startsOn: r.starts_on,
        grant: r.grant_eligible,
        waiver: r.waiver_eligible,
      }));
      await refreshSignals(uow, studentId, student, claimed, event.time);
    }
    return { applied: true, studentsJudged: students.length };
  },
  audit: (result, event) => ({ entity: 'school_catalogue', entityId: event.data.schoolId, details: result }),
});

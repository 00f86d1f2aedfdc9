import { selectRows, type Queryable } from '@xueji/db';
import type { RegistrationStatus, Sex, StudyForm } from '@xueji/vocabulary';

/** One line of the registration roster (ENR-19). */
export interface RegistrationRosterRow {
  studentNumber: string | null;
  name: string;
  sex: Sex;
  birthDate: string;
  idNumber: string;
  majorCode: string | null;
  majorName: string | null;
  className: string | null;
  entryDate: string;
  studyForm: StudyForm;
  registrationStatus: RegistrationStatus;
}

/** ENR-19: a school's approved and submitted students who entered in one year, unsorted. */
export const registrationRosterRows = (db: Queryable, schoolId: string, entryYear: number) =>
  selectRows<RegistrationRosterRow>(
    db,
    `SELECT s.student_number AS "studentNumber", s.name, s.sex, to_char(s.birth_date, 'YYYY-MM-DD') AS "birthDate",
            s.id_number AS "idNumber", COALESCE(s.major_code, s.major_category_code) AS "majorCode",
            COALESCE(m.name, c.name) AS "majorName", s.class_name AS "className",
            to_char(s.entry_date, 'YYYY-MM-DD') AS "entryDate", s.study_form AS "studyForm",
            s.registration_status AS "registrationStatus"
       FROM student s
       LEFT JOIN major m ON m.code = s.major_code
       LEFT JOIN major_category c ON c.code = s.major_category_code
      WHERE s.school_id = $1 AND s.registration_status IN ('APPROVED', 'SUBMITTED')
        AND s.entry_date >= make_date($2, 1, 1) AND s.entry_date < make_date($2 + 1, 1, 1)`,
    [schoolId, entryYear],
  );

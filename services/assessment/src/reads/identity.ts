import { selectRows, type Queryable } from '@xueji/db';

/**
 * A student as the results sheet names them: the student number (学号, ENR-11) and the name (姓名),
 * as enrolment last published them; either may be unknown (null). Whole, as stored: whoever hands a
 * number out passes it through `maskIdentity` for the caller (ADM-5).
 */
export interface IdentityRow {
  studentId: string;
  studentNumber: string | null;
  name: string | null;
}

/** The numbers and names of these students, by id (a student assessment has none of is left out). */
export async function identitiesOf(db: Queryable, studentIds: readonly string[]): Promise<Map<string, IdentityRow>> {
  const rows = await selectRows<IdentityRow>(
    db,
    `SELECT student_id AS "studentId", student_number AS "studentNumber", name
       FROM student_identity WHERE student_id = ANY ($1::uuid[])`,
    [studentIds],
  );
  return new Map(rows.map((r) => [r.studentId, r]));
}

/**
 * The students of a school with these numbers, by number: only the school's own (its study records),
 * so a sheet cannot find a student elsewhere. A number two of them share maps to both (refused).
 */
export async function studentsByNumber(
  db: Queryable,
  schoolId: string,
  numbers: readonly string[],
): Promise<Map<string, IdentityRow[]>> {
  const rows = await selectRows<IdentityRow>(
    db,
    `SELECT i.student_id AS "studentId", i.student_number AS "studentNumber", i.name
       FROM student_identity i JOIN study_record s ON s.student_id = i.student_id
      WHERE i.student_number = ANY ($2::text[]) AND s.school_id = $1`,
    [schoolId, numbers],
  );
  const found = new Map<string, IdentityRow[]>();
  for (const r of rows) found.set(r.studentNumber!, [...(found.get(r.studentNumber!) ?? []), r]);
  return found;
}

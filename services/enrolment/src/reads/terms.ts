import { selectRows, type Queryable } from '@xueji/db';

/** A formal student who has not registered for the term, and whose lapse is not yet published (ENR-17). */
export interface LapseCandidateRow {
  studentId: string;
  schoolId: string;
  regionCode: string;
}

/**
 * ENR-17: formal students who entered before the term began and have neither registered for it
 * (nor taken leave, which is recorded as a registration) nor been published as lapsed for it.
 */
export const lapseCandidates = (db: Queryable, term: string, termStartsOn: string) =>
  selectRows<LapseCandidateRow>(
    db,
    `SELECT s.id AS "studentId", s.school_id AS "schoolId", sc.region_code AS "regionCode"
       FROM student s JOIN school sc ON sc.id = s.school_id
      WHERE s.registration_status = 'APPROVED' AND s.left_at IS NULL AND s.entry_date < $2
        AND NOT EXISTS (SELECT 1 FROM term_registration t WHERE t.student_id = s.id AND t.term = $1)
        AND NOT EXISTS (SELECT 1 FROM term_registration_lapse l WHERE l.student_id = s.id AND l.term = $1)
      ORDER BY s.id`,
    [term, termStartsOn],
  );

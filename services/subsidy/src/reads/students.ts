import DataLoader from 'dataloader';
import { selectOne, selectRows, type Queryable } from '@xueji/db';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { Household, RegistrationStatus, StudyForm } from '../domain/eligibility';
import type { SameIdRecord } from '../domain/fraud';
import type { StatusChange } from '../domain/timeline';
import type { CurrentDecisionRow } from './decisions';

/**
 * Every status change of the student whose id is `studentId` (a column), as a JSON array of
 * `StatusChange`: the timeline reads the status on any day from it.
 */
const statusHistoryOf = (studentId: string) =>
  `COALESCE((SELECT json_agg(x) FROM (
     SELECT h.event_id AS "eventId", h.kind, to_char(h.effective_date, 'YYYY-MM-DD') AS "effectiveDate",
            h.new_status AS "newStatus", to_char(h.event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS time,
            h.to_school_id AS "toSchoolId"
       FROM student_status_change h WHERE h.student_id = ${studentId}) x), '[]')`;

/**
 * What the eligibility rule needs of one student, with the scope that authorises reading it
 * (`student_scope` joined with `subsidy_student`, the read model subsidy builds from events).
 */
export interface KnownStudentRow {
  student_id: string;
  school_id: string;
  region_code: string;
  /** Null when only the scope is known (a status change arrived before the registration). */
  registration_status: RegistrationStatus | null;
  entry_date: string | null;
  study_form: StudyForm | null;
  household: Household | null;
  major_waiver_excluded: boolean | null;
  history: StatusChange[];
}

/**
 * The students a request checks (`Student.subsidyEligibility`), with their scope and status
 * history, in one statement however many are asked for: the single-student check subsidy offices
 * call most is one round trip.
 */
export function knownStudents(ctx: ServiceContext): DataLoader<string, KnownStudentRow | null> {
  return perRequest(
    ctx,
    'subsidy-known-students',
    () =>
      new DataLoader<string, KnownStudentRow | null>(async (ids) => {
        const rows = await selectRows<KnownStudentRow>(
          ctx.dataSource,
          `SELECT sc.student_id, sc.school_id, sc.region_code, st.registration_status,
                  to_char(st.entry_date, 'YYYY-MM-DD') AS entry_date, st.study_form, st.household,
                  st.major_waiver_excluded, ${statusHistoryOf('sc.student_id')} AS history
             FROM student_scope sc LEFT JOIN subsidy_student st ON st.student_id = sc.student_id
            WHERE sc.student_id = ANY($1::uuid[])`,
          [ids],
        );
        const byId = new Map(rows.map((r) => [r.student_id, r]));
        return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
      }),
  );
}

/**
 * Everything subsidy weighs for one student, as the read model holds it: the facts the timeline is
 * decided on (SB-1 … SB-7), its current decisions, and what SB-4 judges.
 */
export interface StudentFactsRow {
  registration_status: RegistrationStatus;
  entry_date: string | null;
  study_form: StudyForm | null;
  household: Household | null;
  major_waiver_excluded: boolean | null;
  /** The latest day of any event of the student: periods are decided up to it. */
  horizon: string | null;
  history: StatusChange[];
  current: CurrentDecisionRow[];
  school_id: string | null;
  /** The school's county (the student's scope, kept on subsidy_student) and its name from the catalogue (issue 14). */
  region_code: string | null;
  school_name: string | null;
  student_number: string | null;
  /** Null until the registration itself arrives (its name comes with it). */
  registered_at: Date | null;
  approved_at: Date | null;
  major_code: string | null;
  teaching_point_id: string | null;
  /** SB-4: a SHA-256 digest of the ID number, never the number itself. */
  id_number_digest: string | null;
  approved_major_codes: string[] | null;
  teaching_point_ids: string[] | null;
  catalogue_known: boolean;
  /** ENR-7's slot as last judged: approved and not ended by a change. */
  holds_status: boolean;
  lapses: { term: string; termStartsOn: string }[];
  truancy: { semester: string; truantHours: number; day: string }[];
  /** SB-4 / SC-17: runs of absence without leave assessment reported (first and last day). */
  absences: { from: string; to: string; days: number }[];
}

/**
 * A student's facts, status history and current decisions, in one round trip: applying an event
 * recomputes the timeline from them and then judges SB-4 on them and the new decisions.
 */
export function studentFacts(db: Queryable, studentId: string): Promise<StudentFactsRow | null> {
  return selectOne<StudentFactsRow>(
    db,
    `SELECT st.registration_status, to_char(st.entry_date, 'YYYY-MM-DD') AS entry_date, st.study_form, st.household,
            st.major_waiver_excluded, to_char(st.horizon, 'YYYY-MM-DD') AS horizon,
            ${statusHistoryOf('st.student_id')} AS history,
            COALESCE((SELECT json_agg(x) FROM (
                SELECT id, period, to_char(period_starts_on, 'YYYY-MM-DD') AS starts_on, grant_eligible, waiver_eligible,
                       reasons, facts
                  FROM eligibility_decision WHERE student_id = st.student_id AND superseded_at IS NULL) x), '[]') AS current,
            sc.school_id, st.region_code, c.name AS school_name, st.student_number,
            -- Until the registration itself arrives (its name comes with it), registered_at is a stand-in.
            CASE WHEN st.name IS NULL THEN NULL ELSE st.registered_at END AS registered_at, st.approved_at, st.major_code,
            st.teaching_point_id, st.id_number_digest,
            c.approved_major_codes, c.teaching_point_ids, c.school_id IS NOT NULL AS catalogue_known, st.holds_status,
            COALESCE((SELECT json_agg(x) FROM (
                SELECT term, to_char(term_starts_on, 'YYYY-MM-DD') AS "termStartsOn"
                  FROM term_lapse WHERE student_id = st.student_id) x), '[]') AS lapses,
            COALESCE((SELECT json_agg(x) FROM (
                SELECT semester, truant_hours AS "truantHours",
                       to_char(recorded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day
                  FROM student_truancy WHERE student_id = st.student_id) x), '[]') AS truancy,
            COALESCE((SELECT json_agg(x) FROM (
                SELECT to_char(absent_from, 'YYYY-MM-DD') AS "from", to_char(absent_to, 'YYYY-MM-DD') AS "to",
                       absent_days AS days
                  FROM student_absence WHERE student_id = st.student_id) x), '[]') AS absences
       FROM subsidy_student st
       LEFT JOIN student_scope sc ON sc.student_id = st.student_id
       LEFT JOIN school_catalogue c ON c.school_id = sc.school_id
      WHERE st.student_id = $1`,
    [studentId],
  );
}

/** SB-4 double status: the other records holding a status under the same ID number (by its digest). */
export function sameIdNumberRecords(db: Queryable, digest: string, studentId: string): Promise<SameIdRecord[]> {
  return selectRows<SameIdRecord>(
    db,
    `SELECT st.student_id AS "studentId", sc.school_id AS "schoolId", st.student_number AS "studentNumber"
       FROM subsidy_student st LEFT JOIN student_scope sc ON sc.student_id = st.student_id
      WHERE st.id_number_digest = $1 AND st.holds_status AND st.student_id <> $2 ORDER BY st.student_id`,
    [digest, studentId],
  );
}

/** The students of a school, by id. */
export async function studentsOfSchool(db: Queryable, schoolId: string): Promise<string[]> {
  const rows = await selectRows<{ student_id: string }>(
    db,
    `SELECT student_id FROM student_scope WHERE school_id = $1 ORDER BY student_id`,
    [schoolId],
  );
  return rows.map((r) => r.student_id);
}

/**
 * Students still holding a status whose decisions stop before the period starting on `startsOn`,
 * after `after` in id order, `limit` at a time.
 */
export async function studentsDueForPeriod(
  db: Queryable,
  startsOn: string,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const rows = await selectRows<{ student_id: string }>(
    db,
    `SELECT student_id FROM subsidy_student
      WHERE holds_status AND entry_date IS NOT NULL AND (horizon IS NULL OR horizon < $1)
        AND ($2::uuid IS NULL OR student_id > $2::uuid)
      ORDER BY student_id LIMIT $3`,
    [startsOn, after, limit],
  );
  return rows.map((r) => r.student_id);
}

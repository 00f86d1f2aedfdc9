import DataLoader from 'dataloader';
import { selectRows, type Queryable } from '@xueji/db';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { ExamIrregularity, ResultAttempt, ResultGrade, StatusCode, StudyForm } from '@xueji/vocabulary';
import { creditTotals, type CourseStanding, type CreditTotals } from '../domain/results';
import { semesterOf } from '../domain/semester';
import type { Standing } from '../domain/standing';
import { decodeCursor, requirePageSize, toPage, type Page } from '@xueji/pagination';

/** One result of one sitting, with its course. */
export interface ResultRow {
  id: string;
  studentId: string;
  courseId: string;
  courseCode: string;
  courseName: string;
  credits: number;
  semester: string;
  attempt: ResultAttempt;
  sitting: number;
  score: number | null;
  grade: ResultGrade | null;
  passed: boolean;
  irregularity: ExamIrregularity | null;
  afterRepentance: boolean;
  /** AS-3: the day the sitting was held, where given. */
  examDate: string | null;
  schoolId: string;
  recordedAt: Date;
}

export type ResultPage = Page<ResultRow>;

/** What assessment knows of a student's study: school, major, cohort, form (from the approved registration). */
export interface StudyRow {
  studentId: string;
  schoolId: string;
  majorCode: string | null;
  cohortYear: number;
  studyForm: StudyForm;
  /** The status status-change published last, and the day it took effect (`domain/standing.ts`). */
  status: StatusCode;
  statusSince: string | null;
}

export async function studyRecords(db: Queryable, studentIds: readonly string[]): Promise<Map<string, StudyRow>> {
  const rows = await selectRows<StudyRow>(
    db,
    `SELECT student_id AS "studentId", school_id AS "schoolId", major_code AS "majorCode",
            cohort_year AS "cohortYear", study_form AS "studyForm", status,
            to_char(status_since, 'YYYY-MM-DD') AS "statusSince"
       FROM study_record WHERE student_id = ANY ($1::uuid[])`,
    [studentIds],
  );
  return new Map(rows.map((r) => [r.studentId, r]));
}

/** The student's standing (status and its date) on the study record; null before an approved registration. */
export async function standingOf(db: Queryable, studentId: string): Promise<Standing | null> {
  const study = (await studyRecords(db, [studentId])).get(studentId);
  return study ? { status: study.status, since: study.statusSince } : null;
}

/** An earlier sitting of the students' courses. */
export interface SittingRow {
  studentId: string;
  courseId: string;
  attempt: ResultAttempt;
  sitting: number;
  passed: boolean;
  irregularity: ExamIrregularity | null;
  score: number | null;
  grade: ResultGrade | null;
  afterRepentance: boolean;
  credits: number;
  examDate: string | null;
}

/** Every sitting of these students (all courses, or one). */
export function sittingsOf(db: Queryable, studentIds: readonly string[], courseId?: string): Promise<SittingRow[]> {
  return selectRows<SittingRow>(
    db,
    `SELECT r.student_id AS "studentId", r.course_id AS "courseId", r.attempt, r.sitting, r.passed, r.irregularity,
            r.score::float8 AS score, r.grade, r.after_repentance AS "afterRepentance", c.credits::float8 AS credits,
            to_char(r.exam_date, 'YYYY-MM-DD') AS "examDate"
       FROM course_result r JOIN course c ON c.id = r.course_id
      WHERE r.student_id = ANY ($1::uuid[]) AND ($2::uuid IS NULL OR r.course_id = $2::uuid)`,
    [studentIds, courseId ?? null],
  );
}

/** A student's totals, the plan's courses as they stand, and the student's school now. */
export type StudentTotals = CreditTotals & { standings: CourseStanding[]; schoolId: string };

/**
 * The totals of each student against the plan of their school, major and cohort, in three
 * statements however many students are asked for. A student assessment has no study record of is
 * absent.
 */
export async function totalsOf(db: Queryable, studentIds: readonly string[]): Promise<Map<string, StudentTotals>> {
  const plans = await selectRows<StudyRow & { planId: string | null; requiredCredits: number | null }>(
    db,
    `SELECT s.student_id AS "studentId", s.school_id AS "schoolId", p.id AS "planId",
            p.required_credits::float8 AS "requiredCredits"
       FROM study_record s
       LEFT JOIN teaching_plan p
         ON p.school_id = s.school_id AND p.major_code = s.major_code AND p.cohort_year = s.cohort_year
      WHERE s.student_id = ANY ($1::uuid[])`,
    [studentIds],
  );
  const planIds = [...new Set(plans.map((p) => p.planId).filter((id): id is string => id !== null))];
  const courses = await selectRows<{
    planId: string;
    id: string;
    studyYear: number;
    credits: number;
    physicalEducation: boolean;
  }>(
    db,
    `SELECT plan_id AS "planId", id, study_year AS "studyYear", credits::float8 AS credits,
            physical_education AS "physicalEducation"
       FROM course WHERE plan_id = ANY ($1::uuid[])`,
    [planIds],
  );
  const sittings = await sittingsOf(db, studentIds);
  // AS-4 / AS-6: exempted courses count as passed; recognised credits add to those earned.
  const recognised = await selectRows<{ studentId: string; courseId: string | null; credits: number }>(
    db,
    `SELECT r.student_id AS "studentId", NULL::uuid AS "courseId", r.credits::float8 AS credits
       FROM credit_recognition r WHERE r.student_id = ANY ($1::uuid[])
     UNION ALL
     SELECT e.student_id, e.course_id, 0 FROM course_exemption e WHERE e.student_id = ANY ($1::uuid[])`,
    [studentIds],
  );
  const group = <T extends { studentId: string }>(rows: T[]) => {
    const by = new Map<string, T[]>();
    for (const row of rows) by.set(row.studentId, [...(by.get(row.studentId) ?? []), row]);
    return by;
  };
  const sittingsBy = group(sittings);
  const recognisedBy = group(recognised);
  const coursesBy = new Map<string, typeof courses>();
  for (const c of courses) coursesBy.set(c.planId, [...(coursesBy.get(c.planId) ?? []), c]);
  const totals = new Map<string, StudentTotals>();
  for (const p of plans) {
    const own = sittingsBy.get(p.studentId) ?? [];
    const mine = recognisedBy.get(p.studentId) ?? [];
    const exempted = new Set(mine.map((r) => r.courseId).filter((id): id is string => id !== null));
    const standings: CourseStanding[] = (p.planId ? (coursesBy.get(p.planId) ?? []) : []).map((c) => ({
      courseId: c.id,
      studyYear: c.studyYear,
      credits: c.credits,
      physicalEducation: c.physicalEducation,
      sittings: own.filter((s) => s.courseId === c.id),
      exempted: exempted.has(c.id),
    }));
    const passedElsewhere = own.filter((s) => s.passed).map((s) => ({ courseId: s.courseId, credits: s.credits }));
    totals.set(p.studentId, {
      ...creditTotals(
        standings,
        passedElsewhere,
        p.requiredCredits,
        mine.reduce((sum, r) => sum + r.credits, 0),
      ),
      standings,
      schoolId: p.schoolId,
    });
  }
  return totals;
}

/** `Student.credits` of every student of a request, batched. */
export function creditSummaries(ctx: ServiceContext): DataLoader<string, CreditTotals | null> {
  return perRequest(
    ctx,
    'credit-summaries',
    () =>
      new DataLoader<string, CreditTotals | null>(async (ids) => {
        const totals = await totalsOf(ctx.dataSource, ids);
        return ids.map((id) => {
          const t = totals.get(id);
          if (!t) return null;
          const { standings: _standings, schoolId: _school, ...summary } = t;
          return summary;
        });
      }),
  );
}

const RESULT_COLUMNS = `r.id, r.student_id AS "studentId", r.course_id AS "courseId", c.code AS "courseCode",
  c.name AS "courseName", c.credits::float8 AS credits, r.semester, r.attempt, r.sitting, r.score::float8 AS score,
  r.grade, r.passed, r.irregularity, r.after_repentance AS "afterRepentance", to_char(r.exam_date, 'YYYY-MM-DD') AS "examDate",
  r.school_id AS "schoolId", r.recorded_at AS "recordedAt"`;

/**
 * `Student.results` of every student of a request: one statement per page size and cursor, by
 * semester and id (index course_result_page). AS-16 by term (fujian): the current semester's
 * results join the archive when it ends.
 */
export function resultsOf(
  ctx: ServiceContext,
  studentId: string,
  first: number,
  after?: string | null,
): Promise<ResultPage> {
  requirePageSize(first, 200);
  const cursor = after ? decodeCursor(after, ['text', 'uuid']) : null;
  const before = ctx.profile.rules['AS-16'].byTerm ? semesterOf(ctx.today()) : null;
  const loader = perRequest(
    ctx,
    `student-results:${first}:${after ?? ''}`,
    () =>
      new DataLoader<string, ResultRow[]>(async (ids) => {
        const rows = await selectRows<ResultRow>(
          ctx.dataSource,
          `SELECT ${RESULT_COLUMNS} FROM unnest($1::uuid[]) AS k(id)
             CROSS JOIN LATERAL (
               SELECT * FROM course_result r0 WHERE r0.student_id = k.id AND r0.course_id IS NOT NULL
                  AND ($2::text IS NULL OR (r0.semester, r0.id) > ($2::text, $3::uuid))
                  AND ($5::text IS NULL OR r0.semester < $5::text)
                ORDER BY r0.semester, r0.id LIMIT $4) r
             JOIN course c ON c.id = r.course_id
            ORDER BY r.semester, r.id`,
          [ids, cursor?.[0] ?? null, cursor?.[1] ?? null, first + 1, before],
        );
        return ids.map((id) => rows.filter((r) => r.studentId === id));
      }),
  );
  return loader.load(studentId).then((rows) => toPage(rows, first, after, (r) => [r.semester, r.id]));
}

/** Every result of one student with its course, by semester and course (a transcript). */
export function allResultsOf(db: Queryable, studentId: string): Promise<ResultRow[]> {
  return selectRows<ResultRow>(
    db,
    `SELECT ${RESULT_COLUMNS} FROM course_result r JOIN course c ON c.id = r.course_id
      WHERE r.student_id = $1
      ORDER BY r.semester, c.code, array_position(ARRAY['REGULAR', 'MAKE_UP', 'RETAKE'], r.attempt), r.sitting`,
    [studentId],
  );
}

/** The students whose plan this is (the plan's school, major and cohort), by id. */
export async function studentsOfPlan(
  db: Queryable,
  plan: { schoolId: string; majorCode: string; cohortYear: number },
): Promise<string[]> {
  const rows = await selectRows<{ studentId: string }>(
    db,
    `SELECT student_id AS "studentId" FROM study_record
      WHERE school_id = $1 AND major_code = $2 AND cohort_year = $3 ORDER BY student_id`,
    [plan.schoolId, plan.majorCode, plan.cohortYear],
  );
  return rows.map((r) => r.studentId);
}

/** One sitting's results of a plan's courses. */
export function sittingResultsOfPlan(db: Queryable, planId: string, attempt: string, sitting: number) {
  return selectRows<{
    studentId: string;
    courseId: string;
    score: number | null;
    grade: ResultRow['grade'];
    irregularity: ResultRow['irregularity'];
  }>(
    db,
    `SELECT r.student_id AS "studentId", r.course_id AS "courseId", r.score::float8 AS score, r.grade, r.irregularity
       FROM course_result r JOIN course c ON c.id = r.course_id
      WHERE c.plan_id = $1 AND r.attempt = $2 AND r.sitting = $3`,
    [planId, attempt, sitting],
  );
}

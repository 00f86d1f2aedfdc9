import DataLoader from 'dataloader';
import { assertCanReadSchool, requirePrincipal } from '@xueji/auth';
import { selectOne, selectRows, type Queryable } from '@xueji/db';
import { isUuid } from '@xueji/rules';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { AssessmentType, CourseCategory, CourseRequirement } from '@xueji/vocabulary';
import { decodeCursor, requirePageSize, toPage, type Page } from '@xueji/pagination';

/** A teaching plan of one school, major and cohort. */
export interface PlanRow {
  id: string;
  schoolId: string;
  regionCode: string;
  majorCode: string;
  cohortYear: number;
  name: string;
  requiredCredits: number | null;
  makeUpsPerCourse: number;
  createdAt: Date;
}

/** A course of a plan. */
export interface CourseRow {
  id: string;
  planId: string;
  code: string;
  name: string;
  studyYear: number;
  semester: number;
  credits: number;
  classHours: number;
  assessmentType: AssessmentType;
  requirement: CourseRequirement;
  category: CourseCategory;
  physicalEducation: boolean;
}

export type PlanPage = Page<PlanRow>;
export type CoursePage = Page<CourseRow>;

const PLAN_COLUMNS = `p.id, p.school_id AS "schoolId", p.region_code AS "regionCode", p.major_code AS "majorCode",
  p.cohort_year AS "cohortYear", p.name, p.required_credits::float8 AS "requiredCredits",
  p.make_ups_per_course AS "makeUpsPerCourse", p.created_at AS "createdAt"`;

export const COURSE_COLUMNS = `c.id, c.plan_id AS "planId", c.code, c.name, c.study_year AS "studyYear", c.semester,
  c.credits::float8 AS credits, c.class_hours AS "classHours", c.assessment_type AS "assessmentType",
  c.requirement, c.category, c.physical_education AS "physicalEducation"`;

/** The school's county code as enrolment announced it; null for a school assessment has not heard of. */
export async function schoolRegion(manager: Queryable, schoolId: string): Promise<string | null> {
  const row = await selectOne<{ regionCode: string }>(
    manager,
    `SELECT region_code AS "regionCode" FROM school_scope WHERE school_id = $1`,
    [schoolId],
  );
  return row?.regionCode ?? null;
}

export async function planById(db: Queryable, id: string): Promise<PlanRow | null> {
  return selectOne<PlanRow>(db, `SELECT ${PLAN_COLUMNS} FROM teaching_plan p WHERE p.id = $1`, [id]);
}

/** The plan of a school's major for a cohort, if the school made one. */
export async function planFor(
  db: Queryable,
  schoolId: string,
  majorCode: string,
  cohortYear: number,
): Promise<PlanRow | null> {
  return selectOne<PlanRow>(
    db,
    `SELECT ${PLAN_COLUMNS} FROM teaching_plan p WHERE p.school_id = $1 AND p.major_code = $2 AND p.cohort_year = $3`,
    [schoolId, majorCode, cohortYear],
  );
}

/** A course with its plan, for recording results. */
export async function courseWithPlan(
  db: Queryable,
  courseId: string,
): Promise<{ course: CourseRow; plan: PlanRow } | null> {
  const course = await selectOne<CourseRow>(db, `SELECT ${COURSE_COLUMNS} FROM course c WHERE c.id = $1`, [courseId]);
  if (!course) return null;
  return { course, plan: (await planById(db, course.planId))! };
}

/** A plan the caller may read; null when unknown; FORBIDDEN outside the caller's scope. */
export async function readablePlan(ctx: ServiceContext, id: string): Promise<PlanRow | null> {
  const principal = requirePrincipal(ctx.principal);
  if (!isUuid(id)) return null;
  const plan = await planById(ctx.dataSource.manager, id);
  if (plan) assertCanReadSchool(principal, plan);
  return plan;
}

/** A school's plans, oldest first, a page at a time (index teaching_plan_school_page). */
export async function listPlans(
  ctx: ServiceContext,
  schoolId: string,
  first: number,
  after?: string | null,
): Promise<PlanPage> {
  const principal = requirePrincipal(ctx.principal);
  requirePageSize(first, 200);
  const [at, id] = after ? decodeCursor(after, ['instant', 'uuid']) : [null, null];
  const empty = toPage<PlanRow>([], first, after, () => []);
  if (!isUuid(schoolId)) return empty;
  const regionCode = await schoolRegion(ctx.dataSource.manager, schoolId);
  if (!regionCode) return empty;
  assertCanReadSchool(principal, { schoolId, regionCode });
  const rows = await selectRows<PlanRow>(
    ctx.dataSource,
    `SELECT ${PLAN_COLUMNS} FROM teaching_plan p
      WHERE p.school_id = $1 AND ($2::timestamptz IS NULL OR (p.created_at, p.id) > ($2::timestamptz, $3::uuid))
      ORDER BY p.created_at, p.id LIMIT $4`,
    [schoolId, at, id, first + 1],
  );
  return toPage(rows, first, after, (r) => [r.createdAt.toISOString(), r.id]);
}

/** A plan's courses by study year, semester and code; the plans of one request in one statement per page size. */
export function coursesOfPlan(
  ctx: ServiceContext,
  planId: string,
  first: number,
  after?: string | null,
): Promise<CoursePage> {
  requirePageSize(first, 300);
  const cursor = after ? decodeCursor(after, ['int', 'int', 'text']) : null;
  const loader = perRequest(
    ctx,
    `plan-courses:${first}:${after ?? ''}`,
    () =>
      new DataLoader<string, CourseRow[]>(async (planIds) => {
        const rows = await selectRows<CourseRow>(
          ctx.dataSource,
          `SELECT ${COURSE_COLUMNS} FROM unnest($1::uuid[]) AS k(id)
             CROSS JOIN LATERAL (
               SELECT * FROM course c WHERE c.plan_id = k.id
                  AND ($2::int IS NULL OR (c.study_year, c.semester, c.code) > ($2::int, $3::int, $4::text))
                ORDER BY c.study_year, c.semester, c.code LIMIT $5) c`,
          [planIds, cursor?.[0] ?? null, cursor?.[1] ?? null, cursor?.[2] ?? null, first + 1],
        );
        return planIds.map((id) => rows.filter((r) => r.planId === id));
      }),
  );
  return loader.load(planId).then((rows) => toPage(rows, first, after, (r) => [r.studyYear, r.semester, r.code]));
}

/** Every course of a plan, by study year, semester and code. */
export function allCoursesOf(db: Queryable, planId: string): Promise<CourseRow[]> {
  return selectRows<CourseRow>(
    db,
    `SELECT ${COURSE_COLUMNS} FROM course c WHERE c.plan_id = $1 ORDER BY c.study_year, c.semester, c.code`,
    [planId],
  );
}

/** AS-3: a make-up period of a plan's semester. */
export interface MakeUpPeriodRow {
  planId: string;
  studyYear: number;
  semester: number;
  startsOn: string;
  endsOn: string;
}

const MAKE_UP_PERIOD_COLUMNS = `m.plan_id AS "planId", m.study_year AS "studyYear", m.semester,
  to_char(m.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(m.ends_on, 'YYYY-MM-DD') AS "endsOn"`;

/** AS-3: the make-up periods the school set for one semester's courses of a plan. */
export function makeUpPeriodsOf(
  db: Queryable,
  planId: string,
  studyYear: number,
  semester: number,
): Promise<MakeUpPeriodRow[]> {
  return selectRows<MakeUpPeriodRow>(
    db,
    `SELECT ${MAKE_UP_PERIOD_COLUMNS} FROM make_up_period m
      WHERE m.plan_id = $1 AND m.study_year = $2 AND m.semester = $3 ORDER BY m.starts_on`,
    [planId, studyYear, semester],
  );
}

/** `TeachingPlan.makeUpPeriods` of every plan of a request in one statement. */
export function makeUpPeriodsOfPlan(ctx: ServiceContext, planId: string): Promise<MakeUpPeriodRow[]> {
  const loader = perRequest(
    ctx,
    'plan-make-up-periods',
    () =>
      new DataLoader<string, MakeUpPeriodRow[]>(async (planIds) => {
        const rows = await selectRows<MakeUpPeriodRow>(
          ctx.dataSource,
          `SELECT ${MAKE_UP_PERIOD_COLUMNS} FROM make_up_period m
            WHERE m.plan_id = ANY ($1::uuid[]) ORDER BY m.study_year, m.semester, m.starts_on`,
          [planIds],
        );
        return planIds.map((id) => rows.filter((r) => r.planId === id));
      }),
  );
  return loader.load(planId);
}

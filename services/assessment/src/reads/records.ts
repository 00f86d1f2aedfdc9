/**
 * Reads of part B's archive records: rewards (AS-9), internships (AS-7) and graduation inputs (AS-17),
 * one row type each, and the `Student` fields batched per request.
 */
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { selectOne, selectRows } from '@xueji/db';
import { notFound } from '@xueji/errors';
import { isUuid } from '@xueji/rules';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { GraduationInputKind, InternshipState, RewardForm, RewardLevel, RewardScope } from '@xueji/vocabulary';
import { placementMonths } from '../domain/rewards';
import { dayCursor } from './discipline';
import { requirePageSize, toPage, type Page } from '@xueji/pagination';

const day = (column: string, as: string) => `to_char(${column}, 'YYYY-MM-DD') AS "${as}"`;

/** A reward as the schema shows it (AS-9). */
export interface RewardRow {
  id: string;
  studentId: string;
  schoolId: string;
  level: RewardLevel;
  scope: RewardScope;
  form: RewardForm;
  title: string;
  awardedBy: string;
  awardedOn: string;
  amountCny: number | null;
  postingRef: string | null;
  notifiedOn: string | null;
  recordedAt: Date;
}

export type RewardPage = Page<RewardRow>;

export const REWARD_COLUMNS = `r.id, r.student_id AS "studentId", r.school_id AS "schoolId", r.level, r.scope, r.form,
  r.title, r.awarded_by AS "awardedBy", ${day('r.awarded_on', 'awardedOn')}, r.amount_cny::float AS "amountCny",
  r.posting_ref AS "postingRef", ${day('r.notified_on', 'notifiedOn')}, r.recorded_at AS "recordedAt"`;

/** An internship as the schema shows it (AS-7). */
export interface InternshipRow {
  id: string;
  studentId: string;
  schoolId: string;
  regionCode: string;
  employer: string;
  post: string;
  startsOn: string;
  endsOn: string;
  agreementRef: string;
  appliedOn: string | null;
  planCompletedPercent: number | null;
  state: InternshipState;
  employerAssessmentRef: string | null;
  schoolAssessmentRef: string | null;
  assessedOn: string | null;
  recordedAt: Date;
}

export type InternshipPage = Page<InternshipRow>;

export const INTERNSHIP_COLUMNS = `i.id, i.student_id AS "studentId", i.school_id AS "schoolId", i.region_code AS "regionCode",
  i.employer, i.post, ${day('i.starts_on', 'startsOn')}, ${day('i.ends_on', 'endsOn')}, i.agreement_ref AS "agreementRef",
  ${day('i.applied_on', 'appliedOn')}, i.plan_completed_percent AS "planCompletedPercent", i.state,
  i.employer_assessment_ref AS "employerAssessmentRef", i.school_assessment_ref AS "schoolAssessmentRef",
  ${day('i.assessed_on', 'assessedOn')}, i.recorded_at AS "recordedAt"`;

export async function rewardById(manager: EntityManager, id: string): Promise<RewardRow> {
  return (await selectOne<RewardRow>(manager, `SELECT ${REWARD_COLUMNS} FROM reward r WHERE r.id = $1`, [id]))!;
}

export async function internshipById(manager: EntityManager, id: string): Promise<InternshipRow | null> {
  return selectOne<InternshipRow>(manager, `SELECT ${INTERNSHIP_COLUMNS} FROM internship i WHERE i.id = $1`, [id]);
}

/** An internship for a write, locked; NOT_FOUND when there is none. */
export async function lockInternship(manager: EntityManager, id: string): Promise<InternshipRow> {
  const row = isUuid(id)
    ? await selectOne<InternshipRow>(
        manager,
        `SELECT ${INTERNSHIP_COLUMNS} FROM internship i WHERE i.id = $1 FOR UPDATE`,
        [id],
      )
    : null;
  if (!row) throw notFound({ zh: `实习 ${id} 不存在`, en: `No internship ${id}` });
  return row;
}

/** AS-7: months of the student's other placements (not failed ones excluded: every placement is time off campus). */
export async function otherPlacementMonths(manager: EntityManager, studentId: string): Promise<number> {
  const rows = await selectRows<{ startsOn: string; endsOn: string }>(
    manager,
    `SELECT ${day('starts_on', 'startsOn')}, ${day('ends_on', 'endsOn')} FROM internship WHERE student_id = $1`,
    [studentId],
  );
  return rows.reduce((sum, r) => sum + placementMonths(r.startsOn, r.endsOn), 0);
}

/**
 * `Student.rewards` of every student of a request (ENR-18 archive, AS-9), oldest first: one statement per
 * page size and cursor (index reward_student_page).
 */
export function rewardsOf(
  ctx: ServiceContext,
  studentId: string,
  first: number,
  after?: string | null,
): Promise<RewardPage> {
  requirePageSize(first, 200);
  const cursor = dayCursor(after);
  const loader = perRequest(
    ctx,
    `student-rewards:${first}:${after ?? ''}`,
    () =>
      new DataLoader<string, RewardRow[]>(async (ids) => {
        const rows = await selectRows<RewardRow>(
          ctx.dataSource,
          `SELECT ${REWARD_COLUMNS} FROM unnest($1::uuid[]) AS k(id)
             CROSS JOIN LATERAL (
               SELECT * FROM reward r0 WHERE r0.student_id = k.id
                  AND ($2::date IS NULL OR (r0.awarded_on, r0.id) > ($2::date, $3::uuid))
                ORDER BY r0.awarded_on, r0.id LIMIT $4) r
            ORDER BY r.awarded_on, r.id`,
          [ids, cursor?.[0] ?? null, cursor?.[1] ?? null, first + 1],
        );
        return ids.map((id) => rows.filter((r) => r.studentId === id));
      }),
  );
  return loader.load(studentId).then((rows) => toPage(rows, first, after, (r) => [r.awardedOn, r.id]));
}

/** `Student.internships` of every student of a request (AS-7, in the archive), earliest first. */
export function internshipsOf(
  ctx: ServiceContext,
  studentId: string,
  first: number,
  after?: string | null,
): Promise<InternshipPage> {
  requirePageSize(first, 200);
  const cursor = dayCursor(after);
  const loader = perRequest(
    ctx,
    `student-internships:${first}:${after ?? ''}`,
    () =>
      new DataLoader<string, InternshipRow[]>(async (ids) => {
        const rows = await selectRows<InternshipRow>(
          ctx.dataSource,
          `SELECT ${INTERNSHIP_COLUMNS} FROM unnest($1::uuid[]) AS k(id)
             CROSS JOIN LATERAL (
               SELECT * FROM internship i0 WHERE i0.student_id = k.id
                  AND ($2::date IS NULL OR (i0.starts_on, i0.id) > ($2::date, $3::uuid))
                ORDER BY i0.starts_on, i0.id LIMIT $4) i
            ORDER BY i.starts_on, i.id`,
          [ids, cursor?.[0] ?? null, cursor?.[1] ?? null, first + 1],
        );
        return ids.map((id) => rows.filter((r) => r.studentId === id));
      }),
  );
  return loader.load(studentId).then((rows) => toPage(rows, first, after, (r) => [r.startsOn, r.id]));
}

/** A graduation input as the schema shows it (AS-17). */
export interface GraduationInputRow {
  studentId: string;
  kind: GraduationInputKind;
  passed: boolean;
  score: number | null;
  heldOn: string;
  ref: string;
}

/** `Student.graduationInputs` of every student of a request (AS-17; at most one per kind), in one statement. */
export function graduationInputsOf(ctx: ServiceContext): DataLoader<string, GraduationInputRow[]> {
  return perRequest(
    ctx,
    'student-graduation-inputs',
    () =>
      new DataLoader<string, GraduationInputRow[]>(async (ids) => {
        const rows = await selectRows<GraduationInputRow>(
          ctx.dataSource,
          `SELECT student_id AS "studentId", kind, passed, score::float AS score, ${day('held_on', 'heldOn')}, ref
             FROM graduation_input WHERE student_id = ANY($1::uuid[]) ORDER BY kind`,
          [ids],
        );
        return ids.map((id) => rows.filter((r) => r.studentId === id));
      }),
  );
}

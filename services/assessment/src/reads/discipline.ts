/**
 * Reads of part B: a student's scope and birth date for a command, sanctions and appeals (one row type
 * each), the reviewers' queues, the working-day calendar, and the `Student` fields batched per request.
 */
import DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import { regionPrefix } from '@xueji/auth';
import { selectOne, selectRows } from '@xueji/db';
import { badUserInput, forbidden, notFound } from '@xueji/errors';
import { isIsoDate, isUuid } from '@xueji/rules';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type {
  AppealOutcome,
  AppealStage,
  AppealState,
  DecidingBody,
  ExpulsionAuthorityStep,
  SanctionKind,
  SanctionState,
} from '@xueji/vocabulary';
import { workingDayCalendar, type CalendarYear, type WorkingDayCalendar } from '../domain/working-days';
import { decodeCursor, requirePageSize, toPage, type Page } from '@xueji/pagination';

/** Where a student belongs, locked for the rest of the unit of work (one student's writes in turn). */
export interface StudentPlace {
  studentId: string;
  schoolId: string;
  regionCode: string;
}

export async function lockStudentPlace(manager: EntityManager, studentId: string): Promise<StudentPlace> {
  const row = isUuid(studentId)
    ? await selectOne<StudentPlace>(
        manager,
        `SELECT student_id AS "studentId", school_id AS "schoolId", region_code AS "regionCode"
           FROM student_scope WHERE student_id = $1 FOR UPDATE`,
        [studentId],
      )
    : null;
  if (!row) throw notFound({ zh: `学生 ${studentId} 不存在`, en: `No student ${studentId}` });
  return row;
}

/** AS-11: the birth date enrolment published, or null. */
export async function birthDateOf(manager: EntityManager, studentId: string): Promise<string | null> {
  const row = await selectOne<{ birthDate: string }>(
    manager,
    `SELECT to_char(birth_date, 'YYYY-MM-DD') AS "birthDate" FROM student_birth_date WHERE student_id = $1`,
    [studentId],
  );
  return row?.birthDate ?? null;
}

/** Sum of truant hours recorded for a student in a semester (AS-8). */
export async function truantHoursIn(manager: EntityManager, studentId: string, semester: string): Promise<number> {
  const row = await selectOne<{ total: number }>(
    manager,
    `SELECT coalesce(sum(truant_hours), 0)::int AS total FROM attendance_record WHERE student_id = $1 AND semester = $2`,
    [studentId, semester],
  );
  return row?.total ?? 0;
}

/** The days recorded absent without leave within `days` of a day, either side (enough to see a run around it). */
export async function absenceDaysNear(
  manager: EntityManager,
  studentId: string,
  from: string,
  to: string,
  margin: number,
): Promise<Set<string>> {
  const rows = await selectRows<{ day: string }>(
    manager,
    `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM absence_day
      WHERE student_id = $1 AND day BETWEEN $2::date - $4::int AND $3::date + $4::int`,
    [studentId, from, to, margin],
  );
  return new Set(rows.map((r) => r.day));
}

/** A sanction as the schema shows it (AS-10 … AS-13). */
export interface SanctionRow {
  id: string;
  studentId: string;
  schoolId: string;
  regionCode: string;
  kind: SanctionKind;
  state: SanctionState;
  decidedOn: string;
  decidingBody: DecidingBody;
  reason: string;
  decisionRef: string;
  authorityStep: ExpulsionAuthorityStep | null;
  authorityDecidedOn: string | null;
  authorityComment: string | null;
  effectiveOn: string | null;
  notifiedOn: string | null;
  noticeRef: string | null;
  postingRef: string | null;
  revokedOn: string | null;
  revocationReason: string | null;
  annulledOn: string | null;
  recordedAt: Date;
}

export type SanctionPage = Page<SanctionRow>;

const day = (column: string, as: string) => `to_char(${column}, 'YYYY-MM-DD') AS "${as}"`;

/** A keyset cursor of a day and an id, as these reads write it; anything else is BAD_USER_INPUT naming `after`. */
export function dayCursor(after: string | null | undefined): [string, string] | null {
  if (!after) return null;
  const [on, id] = decodeCursor(after, ['text', 'uuid']) as [string, string];
  if (!isIsoDate(on)) throw badUserInput({ zh: '分页游标无效', en: 'Invalid cursor' }, { field: 'after' });
  return [on, id];
}

export const SANCTION_COLUMNS = `s.id, s.student_id AS "studentId", s.school_id AS "schoolId", s.region_code AS "regionCode",
  s.kind, s.state, ${day('s.decided_on', 'decidedOn')}, s.deciding_body AS "decidingBody", s.reason,
  s.decision_ref AS "decisionRef", s.authority_step AS "authorityStep",
  ${day('s.authority_decided_on', 'authorityDecidedOn')}, s.authority_comment AS "authorityComment",
  ${day('s.effective_on', 'effectiveOn')}, ${day('s.notified_on', 'notifiedOn')}, s.notice_ref AS "noticeRef",
  s.posting_ref AS "postingRef", ${day('s.revoked_on', 'revokedOn')}, s.revocation_reason AS "revocationReason",
  ${day('s.annulled_on', 'annulledOn')}, s.recorded_at AS "recordedAt"`;

/** A sanction for a write, locked; NOT_FOUND when there is none (or the id is no UUID). */
export async function lockSanction(manager: EntityManager, id: string): Promise<SanctionRow> {
  const row = isUuid(id)
    ? await selectOne<SanctionRow>(manager, `SELECT ${SANCTION_COLUMNS} FROM sanction s WHERE s.id = $1 FOR UPDATE`, [
        id,
      ])
    : null;
  if (!row) throw notFound({ zh: `处分 ${id} 不存在`, en: `No sanction ${id}` });
  return row;
}

/** AS-11: the expulsion, if it is in effect by this reviewer's own approval (a repeated approve). */
export async function repeatedExpulsionApproval(
  manager: EntityManager,
  id: string,
  subject: string,
): Promise<SanctionRow | null> {
  if (!isUuid(id)) return null;
  return selectOne<SanctionRow>(
    manager,
    `SELECT ${SANCTION_COLUMNS} FROM sanction s
      WHERE s.id = $1 AND s.kind = 'EXPULSION' AND s.state = 'EFFECTIVE' AND s.authority_step IS NOT NULL
        AND s.authority_decided_by = $2`,
    [id, subject],
  );
}

/** The student has an expulsion that stands (in effect or awaiting the authority). */
export async function hasStandingExpulsion(manager: EntityManager, studentId: string): Promise<boolean> {
  const row = await selectOne<{ found: boolean }>(
    manager,
    `SELECT EXISTS (SELECT 1 FROM sanction WHERE student_id = $1 AND kind = 'EXPULSION'
                      AND state IN ('EFFECTIVE', 'PENDING_AUTHORITY')) AS found`,
    [studentId],
  );
  return row?.found ?? false;
}

/** An appeal as the schema shows it (AS-14). */
export interface AppealRow {
  id: string;
  sanctionId: string;
  studentId: string;
  schoolId: string;
  regionCode: string;
  stage: AppealStage;
  state: AppealState;
  receivedOn: string;
  statementRef: string;
  answerDue: string | null;
  outcome: AppealOutcome | null;
  newKind: SanctionKind | null;
  decidedOn: string | null;
  decisionRef: string | null;
  decisionReason: string | null;
  decisionDeliveredOn: string | null;
  appealDeadline: string | null;
  recordedAt: Date;
}

export type AppealPage = Page<AppealRow>;

export const APPEAL_COLUMNS = `a.id, a.sanction_id AS "sanctionId", a.student_id AS "studentId", a.school_id AS "schoolId",
  a.region_code AS "regionCode", a.stage, a.state, ${day('a.received_on', 'receivedOn')},
  a.statement_ref AS "statementRef", ${day('a.answer_due', 'answerDue')}, a.outcome, a.new_kind AS "newKind",
  ${day('a.decided_on', 'decidedOn')}, a.decision_ref AS "decisionRef", a.decision_reason AS "decisionReason",
  ${day('a.decision_delivered_on', 'decisionDeliveredOn')}, ${day('a.appeal_deadline', 'appealDeadline')},
  a.recorded_at AS "recordedAt"`;

export async function lockAppeal(manager: EntityManager, id: string): Promise<AppealRow> {
  const row = isUuid(id)
    ? await selectOne<AppealRow>(manager, `SELECT ${APPEAL_COLUMNS} FROM appeal a WHERE a.id = $1 FOR UPDATE`, [id])
    : null;
  if (!row) throw notFound({ zh: `申诉 ${id} 不存在`, en: `No appeal ${id}` });
  return row;
}

export async function appealAt(
  manager: EntityManager,
  sanctionId: string,
  stage: AppealStage,
): Promise<AppealRow | null> {
  return selectOne<AppealRow>(
    manager,
    `SELECT ${APPEAL_COLUMNS} FROM appeal a WHERE a.sanction_id = $1 AND a.stage = $2`,
    [sanctionId, stage],
  );
}

/** AS-14: the working-day calendar, every year it holds. */
export async function loadCalendar(db: EntityManager | DataSource): Promise<WorkingDayCalendar> {
  const years = await selectRows<CalendarYear>(
    db,
    `SELECT year, ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(holidays) d) AS holidays,
            ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(workdays) d) AS workdays
       FROM working_day_calendar`,
  );
  return workingDayCalendar(years);
}

/** The calendar of a request, read once. */
export function requestCalendar(ctx: ServiceContext): Promise<WorkingDayCalendar> {
  return perRequest(ctx, 'working-day-calendar', () => loadCalendar(ctx.dataSource));
}

/** A year of the calendar as the schema shows it. */
export interface CalendarYearRow {
  year: number;
  holidays: string[];
  workdays: string[];
  source: string;
  recordedAt: Date;
}

export async function calendarYears(ctx: ServiceContext): Promise<CalendarYearRow[]> {
  return selectRows<CalendarYearRow>(
    ctx.dataSource,
    `SELECT year, ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(holidays) d ORDER BY d) AS holidays,
            ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(workdays) d ORDER BY d) AS workdays,
            source, recorded_at AS "recordedAt"
       FROM working_day_calendar ORDER BY year`,
  );
}

/** The caller must be a reviewer; their region's prefix. */
function reviewerRegion(ctx: ServiceContext): string {
  const p = ctx.principal;
  if (!p || p.role !== 'AUTHORITY_REVIEWER' || !p.regionCode) {
    throw forbidden({ zh: '仅限主管部门审核人员', en: 'Only authority reviewers may read this queue' });
  }
  return regionPrefix(p.regionCode);
}

/**
 * AS-11: the reviewer's queue of expulsions to approve or file, in the reviewer's region, oldest decision
 * first (index sanction_authority_queue).
 */
export async function expulsionQueue(ctx: ServiceContext, first: number, after?: string | null): Promise<SanctionPage> {
  requirePageSize(first, 200);
  const prefix = reviewerRegion(ctx);
  const cursor = dayCursor(after);
  const rows = await selectRows<SanctionRow>(
    ctx.dataSource,
    `SELECT ${SANCTION_COLUMNS} FROM sanction s
      WHERE s.state = 'PENDING_AUTHORITY' AND s.region_code LIKE $1
        AND ($2::date IS NULL OR (s.decided_on, s.id) > ($2::date, $3::uuid))
      ORDER BY s.decided_on, s.id LIMIT $4`,
    [`${prefix}%`, cursor?.[0] ?? null, cursor?.[1] ?? null, first + 1],
  );
  return toPage(rows, first, after, (r) => [r.decidedOn, r.id]);
}

/**
 * AS-14: the reviewer's queue of appeals to the authority awaiting an answer, in the reviewer's region,
 * the nearest answer deadline first (index appeal_authority_queue).
 */
export async function appealQueue(ctx: ServiceContext, first: number, after?: string | null): Promise<AppealPage> {
  requirePageSize(first, 200);
  const prefix = reviewerRegion(ctx);
  const cursor = dayCursor(after);
  const rows = await selectRows<AppealRow>(
    ctx.dataSource,
    `SELECT ${APPEAL_COLUMNS} FROM appeal a
      WHERE a.state = 'PENDING' AND a.stage = 'AUTHORITY' AND a.region_code LIKE $1
        AND ($2::date IS NULL OR (a.answer_due, a.id) > ($2::date, $3::uuid))
      ORDER BY a.answer_due, a.id LIMIT $4`,
    [`${prefix}%`, cursor?.[0] ?? null, cursor?.[1] ?? null, first + 1],
  );
  return toPage(rows, first, after, (r) => [r.answerDue!, r.id]);
}

/** A sanction the caller may read (its school's registrar, a reviewer or officer of its region), or null. */
export async function readableSanction(ctx: ServiceContext, id: string): Promise<SanctionRow | null> {
  if (!isUuid(id)) return null;
  return selectOne<SanctionRow>(ctx.dataSource, `SELECT ${SANCTION_COLUMNS} FROM sanction s WHERE s.id = $1`, [id]);
}

/** The appeals of a sanction (school first), batched per request. */
export function appealsOfSanction(ctx: ServiceContext): DataLoader<string, AppealRow[]> {
  return perRequest(
    ctx,
    'sanction-appeals',
    () =>
      new DataLoader<string, AppealRow[]>(async (ids) => {
        const rows = await selectRows<AppealRow>(
          ctx.dataSource,
          `SELECT ${APPEAL_COLUMNS} FROM appeal a WHERE a.sanction_id = ANY($1::uuid[]) ORDER BY a.stage DESC`,
          [ids],
        );
        return ids.map((id) => rows.filter((r) => r.sanctionId === id));
      }),
  );
}

/** The sanction of an appeal, batched per request. */
export function sanctionLoader(ctx: ServiceContext): DataLoader<string, SanctionRow | null> {
  return perRequest(
    ctx,
    'sanction-by-id',
    () =>
      new DataLoader<string, SanctionRow | null>(async (ids) => {
        const rows = await selectRows<SanctionRow>(
          ctx.dataSource,
          `SELECT ${SANCTION_COLUMNS} FROM sanction s WHERE s.id = ANY($1::uuid[])`,
          [ids],
        );
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
      }),
  );
}

/**
 * `Student.sanctions` of every student of a request (ENR-18 archive: sanctions in effect, so neither
 * revoked, AS-12, nor annulled, AS-14, nor an expulsion still awaiting the authority), oldest decision
 * first: one statement per page size and cursor (index sanction_student_page).
 */
export function sanctionsOf(
  ctx: ServiceContext,
  studentId: string,
  first: number,
  after?: string | null,
): Promise<SanctionPage> {
  requirePageSize(first, 200);
  const cursor = dayCursor(after);
  const loader = perRequest(
    ctx,
    `student-sanctions:${first}:${after ?? ''}`,
    () =>
      new DataLoader<string, SanctionRow[]>(async (ids) => {
        const rows = await selectRows<SanctionRow>(
          ctx.dataSource,
          `SELECT ${SANCTION_COLUMNS} FROM unnest($1::uuid[]) AS k(id)
             CROSS JOIN LATERAL (
               SELECT * FROM sanction s0 WHERE s0.student_id = k.id AND s0.state = 'EFFECTIVE'
                  AND ($2::date IS NULL OR (s0.decided_on, s0.id) > ($2::date, $3::uuid))
                ORDER BY s0.decided_on, s0.id LIMIT $4) s
            ORDER BY s.decided_on, s.id`,
          [ids, cursor?.[0] ?? null, cursor?.[1] ?? null, first + 1],
        );
        return ids.map((id) => rows.filter((r) => r.studentId === id));
      }),
  );
  return loader.load(studentId).then((rows) => toPage(rows, first, after, (r) => [r.decidedOn, r.id]));
}

/** What `Student.attendance` shows: the semester's truant hours and the days absent without leave in it. */
export interface AttendanceRow {
  studentId: string;
  semester: string;
  truantHours: number;
  absentDays: number;
}

/** `Student.attendance(semester)` of every student of a request, in one statement per semester. */
export function attendanceOf(ctx: ServiceContext, studentId: string, semester: string): Promise<AttendanceRow> {
  if (!isSemester(semester)) {
    throw badUserInput(
      { zh: '学期格式应为 YYYY-YYYY-N，如 2026-2027-1', en: 'A semester looks like 2026-2027-1' },
      { field: 'semester' },
    );
  }
  const loader = perRequest(
    ctx,
    `student-attendance:${semester}`,
    () =>
      new DataLoader<string, AttendanceRow>(async (ids) => {
        const rows = await selectRows<AttendanceRow>(
          ctx.dataSource,
          `SELECT k.id AS "studentId", $2::text AS semester,
                  (SELECT coalesce(sum(a.truant_hours), 0)::int FROM attendance_record a
                    WHERE a.student_id = k.id AND a.semester = $2) AS "truantHours",
                  (SELECT count(*)::int FROM absence_day d
                    WHERE d.student_id = k.id AND d.day BETWEEN $3::date AND $4::date) AS "absentDays"
             FROM unnest($1::uuid[]) AS k(id)`,
          [ids, semester, ...semesterDays(semester)],
        );
        return ids.map((id) => rows.find((r) => r.studentId === id)!);
      }),
  );
  return loader.load(studentId);
}

/** `YYYY-YYYY-N`: consecutive years, semester 1 or 2. */
export function isSemester(value: string): boolean {
  const m = /^(\d{4})-(\d{4})-([12])$/.exec(value);
  return m !== null && Number(m[2]) === Number(m[1]) + 1;
}

/** The first and last day of a semester `YYYY-YYYY-N` as `semesterOf` counts them (autumn Aug–Jan, spring Feb–Jul). */
export function semesterDays(semester: string): [string, string] {
  const [from, to, n] = semester.split('-');
  return n === '1' ? [`${from}-08-01`, `${to}-01-31`] : [`${to}-02-01`, `${to}-07-31`];
}

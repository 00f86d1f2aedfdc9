import DataLoader from 'dataloader';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import {
  assertCanReadSchool,
  isRegionCode,
  mayReadIdNumber,
  regionPrefix,
  requirePrincipal,
  requireRole,
  type Principal,
} from '@xueji/auth';
import { entityColumnsSql, nestRelation, selectOne, selectRows } from '@xueji/db';
import { badUserInput, forbidden } from '@xueji/errors';
import { decodeCursor, microsCursorSql, microsInstant, requirePageSize, toPage, type Page } from '@xueji/pagination';
import { fields, isUuid, limits, text } from '@xueji/rules';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import { normaliseId } from '../domain/id-number';
import { School } from '../entities/school';
import { Student } from '../entities/student';
import type { StudentFilter } from '../generated/resolvers-types';

/**
 * Students by id, each with its school, in plain SQL shaped as TypeORM's find with the school
 * relation gives them (issue 13: its query building and hydration were a fifth of enrolment's CPU
 * on the federated student read; `test/students.int.test.ts` compares the two).
 */
export async function studentsById(dataSource: DataSource, ids: readonly string[]): Promise<Student[]> {
  const rows = await selectRows<Record<string, unknown>>(
    dataSource,
    `SELECT ${entityColumnsSql(dataSource, Student, 's')}, ${entityColumnsSql(dataSource, School, 'sc', 'school.')}
       FROM student s JOIN school sc ON sc.id = s.school_id
      WHERE s.id = ANY($1::uuid[])`,
    [ids],
  );
  return rows.map((row) => nestRelation<Student>(row, 'school'));
}

/** The students of one request, each with its school, in one statement however many are asked for. */
export const studentLoader = (ctx: ServiceContext) =>
  perRequest(
    ctx,
    'students',
    () =>
      new DataLoader<string, Student | null>(async (ids) => {
        const byId = new Map((await studentsById(ctx.dataSource, ids)).map((s) => [s.id, s]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );

const scopeOf = (s: Student) => ({ schoolId: s.schoolId, regionCode: s.school!.regionCode });

/** A student the caller may read, or null when there is none; FORBIDDEN outside the caller's scope. */
export async function readableStudent(ctx: ServiceContext, id: string): Promise<Student | null> {
  const principal = requirePrincipal(ctx.principal);
  if (!isUuid(id)) return null;
  const student = await studentLoader(ctx).load(id);
  if (!student) return null;
  assertCanReadSchool(principal, scopeOf(student));
  return student;
}

/** Restrict a student query to what the caller may see (registrar: own school; reviewer, officer: region). */
function scoped(qb: SelectQueryBuilder<Student>, principal: Principal): SelectQueryBuilder<Student> {
  if (principal.role === 'SCHOOL_REGISTRAR') return qb.andWhere('s.school_id = :own', { own: principal.schoolId });
  if ((principal.role === 'AUTHORITY_REVIEWER' || principal.role === 'SUBSIDY_OFFICER') && principal.regionCode) {
    return qb.andWhere('school.region_code LIKE :scope', { scope: `${regionPrefix(principal.regionCode)}%` });
  }
  throw forbidden({ zh: '无权查询学生名单', en: 'You may not list students' });
}

/** A statement as a read runs it; the plan test (`test/list-plans.int.test.ts`) EXPLAINs the same. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** Parameters of a statement being built: each value added answers its placeholder. */
function parameters() {
  const values: unknown[] = [];
  return {
    values,
    add: (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

/**
 * A region as an equality on an indexed expression (a province is `left(region_code, 2)`, a city
 * `left(…, 4)`, a county the whole code), so the region's students come from one index range in
 * registration order: `student_{province,city,county}_order`. The queue's `student_queue` carries the
 * authority's region beside its order key: the clause is checked on the index, no row is read for it.
 */
function regionClause(column: 'region_code' | 'authority_region_code', prefix: string, add: (v: unknown) => string) {
  return prefix.length === 6 ? `s.${column} = ${add(prefix)}` : `left(s.${column}, ${prefix.length}) = ${add(prefix)}`;
}

/** The narrower of two region prefixes, or null when neither covers the other (no school is in both). */
const narrower = (a: string, b: string): string | null => (b.startsWith(a) ? b : a.startsWith(b) ? a : null);

/** Where a page starts: after the registration instant (to the microsecond) and id of the last one read. */
function keysetAfter(after: string, add: (v: unknown) => string): string {
  const [at, id] = decodeCursor(after, ['micros', 'uuid']) as [string, string];
  return `(s.registered_at, s.id) > (${add(microsInstant(at))}::timestamptz, ${add(id)}::uuid)`;
}

/** The most a total counts exactly; past it, the planner's estimate (docs/decisions.md, issue 13). */
export const EXACT_COUNT_LIMIT = 10_000;

/** One list's criteria, without the page: what the page reads from and what a total counts. */
interface ListWhere {
  clauses: string[];
  values: unknown[];
}

/** Students the caller may see matching the filter, as SQL conditions on `student s`. */
function studentListWhere(principal: Principal, filter: StudentFilter): ListWhere {
  if (filter.schoolId != null && !isUuid(filter.schoolId))
    throw badUserInput(
      { zh: 'schoolId 不是有效的学校编号', en: 'schoolId is not a valid school id' },
      { field: 'schoolId' },
    );
  if (filter.regionCode && !isRegionCode(filter.regionCode))
    throw badUserInput({ zh: '行政区划代码应为6位数字', en: 'A region code has 6 digits' });
  const { values, add } = parameters();
  const clauses: string[] = [];
  const asked = filter.regionCode ? regionPrefix(filter.regionCode) : null;
  // Scope: a registrar's own school; a reviewer's or officer's region, narrowed by the filter's.
  if (principal.role === 'SCHOOL_REGISTRAR') {
    clauses.push(`s.school_id = ${add(principal.schoolId)}::uuid`);
    if (asked) clauses.push(regionClause('region_code', asked, add));
  } else if (
    (principal.role === 'AUTHORITY_REVIEWER' || principal.role === 'SUBSIDY_OFFICER') &&
    principal.regionCode
  ) {
    const scope = regionPrefix(principal.regionCode);
    const region = asked ? narrower(scope, asked) : scope;
    clauses.push(region ? regionClause('region_code', region, add) : 'false');
  } else throw forbidden({ zh: '无权查询学生名单', en: 'You may not list students' });
  if (filter.schoolId) clauses.push(`s.school_id = ${add(filter.schoolId)}::uuid`);
  if (filter.registrationStatus) clauses.push(`s.registration_status = ${add(filter.registrationStatus)}`);
  if (filter.majorCode) clauses.push(`s.major_code = ${add(filter.majorCode)}`);
  if (filter.className) clauses.push(`s.class_name = ${add(filter.className)}`);
  if (filter.entryYear != null) {
    // A range on the day (sargable), not extract(year …); a year no day can have matches nothing.
    const y = filter.entryYear;
    clauses.push(
      y >= 1 && y <= 9998
        ? `s.entry_date >= ${add(`${String(y).padStart(4, '0')}-01-01`)}::date AND s.entry_date < ${add(`${String(y + 1).padStart(4, '0')}-01-01`)}::date`
        : 'false',
    );
  }
  const search = filter.search?.trim();
  if (search) {
    // The start of a name (a surname is its first character) or of a student number, each a btree
    // prefix range (`student_name_prefix`, `student_number_prefix`). Student numbers are ASCII letters
    // and digits (ENR-11) and names have no digit: a term with a digit is a number, one with another
    // character a name; only a term of ASCII letters alone may be either.
    const prefix = `${search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const ascii = /^[\x21-\x7e]+$/.test(search);
    const digits = /\d/.test(search);
    // ADM-5: where a student number is `G` + the ID number (ENR-6/11), a prefix search would let a
    // role that sees numbers masked read an ID number digit by digit; such a role matches whole
    // numbers only (as studentByNumber does).
    const number = () =>
      mayReadIdNumber(principal) ? `s.student_number LIKE ${add(prefix)}` : `s.student_number = ${add(search)}`;
    // A surname (one character) is read in registration order on `student_surname_order`: the same
    // students as `LIKE '王%'`, a page's rows whatever the surname's count (issue 13).
    const name = () => ([...search].length === 1 ? `left(s.name, 1) = ${add(search)}` : `s.name LIKE ${add(prefix)}`);
    clauses.push(!ascii ? name() : digits ? number() : `(s.name LIKE ${add(prefix)} OR ${number()})`);
  }
  return { clauses, values };
}

/** Registrations waiting for the reviewer: SUBMITTED, at schools whose competent authority the reviewer covers. */
function queueWhere(principal: Principal): ListWhere {
  const { values, add } = parameters();
  // The literal status lets the planner use the partial `student_queue` index.
  const clauses = [
    `s.registration_status = 'SUBMITTED'`,
    regionClause('authority_region_code', regionPrefix(principal.regionCode!), add),
  ];
  return { clauses, values };
}

/**
 * One page in registration order, oldest first, read on the index of its scope (`first + 1` rows:
 * the extra one says there is a next page). It reads ids and cursors; the students come by id.
 */
function pageStatement(where: ListWhere, first: number, after: string | null | undefined, max: number): Statement {
  requirePageSize(first, max);
  const values = [...where.values];
  const add = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const clauses = after ? [...where.clauses, keysetAfter(after, add)] : where.clauses;
  return {
    text: `SELECT s.id, ${microsCursorSql('s.registered_at')} AS at
  FROM student s
 WHERE ${clauses.join('\n   AND ')}
 ORDER BY s.registered_at, s.id
 LIMIT ${add(first + 1)}`,
    values,
  };
}

/**
 * How many rows a list holds, counted up to one past `EXACT_COUNT_LIMIT`: the first rows of the
 * list in its order, so on the index its pages are read on (a region's range, not the table).
 */
function countStatement(where: ListWhere): Statement {
  return {
    text: `SELECT count(*)::int AS n FROM (SELECT 1 FROM student s WHERE ${where.clauses.join(' AND ')}
            ORDER BY s.registered_at, s.id LIMIT ${EXACT_COUNT_LIMIT + 1}) bounded`,
    values: where.values,
  };
}

/** The page statement of `students` exactly as the read runs it (exported for the plan test). */
export const studentPageStatement = (
  principal: Principal,
  filter: StudentFilter,
  first: number,
  after?: string | null,
): Statement => pageStatement(studentListWhere(principal, filter), first, after, MAX_PAGE);

/** The page statement of `registrationQueue` exactly as the read runs it (exported for the plan test). */
export const registrationQueueStatement = (principal: Principal, first: number, after?: string | null): Statement =>
  pageStatement(queueWhere(principal), first, after, MAX_PAGE);

/** The total statement of `students` (`totalCount`), exported for the plan test. */
export const studentCountStatement = (principal: Principal, filter: StudentFilter): Statement =>
  countStatement(studentListWhere(principal, filter));

const MAX_PAGE = 500;

/** One page of students, as the schema's `StudentConnection` (Relay cursor connection). */
export interface StudentPage extends Page<Student> {
  /** The whole list's size, only when a client asks for it (`StudentConnection.totalCount`). */
  count(): Promise<number>;
}

/**
 * Exact up to `EXACT_COUNT_LIMIT`; past it, the planner's estimate of the same conditions (never
 * below the bound). A count of a province's million students would read them all on every page.
 */
async function total(ctx: ServiceContext, where: ListWhere): Promise<number> {
  const counted = await selectOne<{ n: number }>(ctx.dataSource, countStatement(where).text, where.values);
  const n = counted?.n ?? 0;
  if (n <= EXACT_COUNT_LIMIT) return n;
  const [plan] = await selectRows<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
    ctx.dataSource,
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM student s WHERE ${where.clauses.join(' AND ')}`,
    where.values,
  );
  return Math.max(n, Math.round(plan?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? 0));
}

async function readPage(
  ctx: ServiceContext,
  where: ListWhere,
  first: number,
  after: string | null | undefined,
): Promise<StudentPage> {
  const statement = pageStatement(where, first, after, MAX_PAGE);
  const keys = await selectRows<{ id: string; at: string }>(ctx.dataSource, statement.text, statement.values);
  const students = await studentLoader(ctx).loadMany(keys.map((k) => k.id));
  const at = new Map(keys.map((k) => [k.id, k.at]));
  const rows = students.filter((s): s is Student => s !== null && !(s instanceof Error));
  let counted: Promise<number> | null = null;
  return {
    ...toPage(rows, first, after, (s) => [at.get(s.id)!, s.id]),
    count: () => (counted ??= total(ctx, where)),
  };
}

/** Students the caller may see, filtered, a page at a time (keyset, oldest registration first). */
export async function listStudents(
  ctx: ServiceContext,
  filter: StudentFilter,
  first: number,
  after?: string | null,
): Promise<StudentPage> {
  const principal = requirePrincipal(ctx.principal);
  return readPage(ctx, studentListWhere(principal, filter), first, after);
}

/** Registrations waiting for the reviewer: SUBMITTED, at schools whose competent authority the reviewer covers. */
export async function registrationQueue(
  ctx: ServiceContext,
  first: number,
  after?: string | null,
): Promise<StudentPage> {
  const principal = requireRole(ctx.principal, 'AUTHORITY_REVIEWER');
  return readPage(ctx, queueWhere(principal), first, after);
}

const base = (ctx: ServiceContext) =>
  ctx.dataSource.getRepository(Student).createQueryBuilder('s').innerJoinAndSelect('s.school', 'school');

/**
 * The newest record matching, among those the caller may see. A record outside the caller's scope
 * answers null, exactly as an unknown one does: a lookup by a number the caller types must not tell
 * whether the person is enrolled elsewhere.
 */
async function findOneScoped(ctx: ServiceContext, where: string, value: string): Promise<Student | null> {
  const principal = requirePrincipal(ctx.principal);
  return scoped(base(ctx).where(where, { value }), principal).orderBy('s.registeredAt', 'DESC').getOne();
}

/** Issue 10: the lookups' arguments, within the limits the schema states (BAD_USER_INPUT naming them). */
const lookupLimits = limits<{ studentNumber?: string; idNumber?: string }>(
  fields({ studentNumber: text('studentNumber'), idNumber: text('idNumber') }),
);

/** The student with this number (ENR-11) if the caller may see it; null otherwise, as for an unknown number. */
export const studentByNumber = (ctx: ServiceContext, n: string) => {
  lookupLimits({ studentNumber: n }, ctx.today());
  return findOneScoped(ctx, 's.student_number = :value', n.trim());
};

/** The newest record of this ID number the caller may see; null when none, in scope or out. */
export const studentByIdNumber = (ctx: ServiceContext, idNumber: string) => {
  lookupLimits({ idNumber: idNumber.trim() }, ctx.today());
  return findOneScoped(ctx, 's.id_number = :value', normaliseId(idNumber));
};

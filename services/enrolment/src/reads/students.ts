import DataLoader from 'dataloader';
import { Brackets, In, type SelectQueryBuilder } from 'typeorm';
import {
  assertCanReadSchool,
  isRegionCode,
  regionPrefix,
  requirePrincipal,
  requireRole,
  type Principal,
} from '@xueji/auth';
import { badUserInput, forbidden } from '@xueji/errors';
import { isUuid } from '@xueji/rules';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import { normaliseId } from '../domain/id-number';
import { Student } from '../entities/student';
import type { StudentFilter } from '../generated/resolvers-types';

/** The students of one request, each with its school, in one statement however many are asked for. */
export const studentLoader = (ctx: ServiceContext) =>
  perRequest(
    ctx,
    'students',
    () =>
      new DataLoader<string, Student | null>(async (ids) => {
        const rows = await ctx.dataSource
          .getRepository(Student)
          .find({ where: { id: In([...ids]) }, relations: { school: true } });
        const byId = new Map(rows.map((r) => [r.id, r]));
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

const encodeCursor = (s: Student) => Buffer.from(`${s.registeredAt.toISOString()}|${s.id}`).toString('base64url');

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  // Exactly what encodeCursor writes: an ISO instant (a Date.parse-able string PostgreSQL may refuse is not one) and a UUID.
  const instant = at && /^[1-9]\d{3}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(at) ? Date.parse(at) : NaN;
  if (!at || !id || Number.isNaN(instant) || new Date(instant).toISOString() !== at || !isUuid(id))
    throw badUserInput({ zh: '分页游标无效', en: 'Invalid cursor' }, { field: 'after' });
  return { at, id };
}

/** One page of students, as the schema's `StudentConnection` (Relay cursor connection). */
export interface StudentPage {
  edges: { cursor: string; node: Student }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/**
 * Keyset pagination, newest registrations last, stable under concurrent inserts. Forward only, as
 * Relay reads it: there are earlier students exactly when an `after` cursor was given.
 */
async function page(
  qb: SelectQueryBuilder<Student>,
  first: number,
  after: string | null | undefined,
): Promise<StudentPage> {
  if (first < 1 || first > 500)
    throw badUserInput({ zh: '每页 1–500 条', en: 'Page size must be 1 to 500' }, { field: 'first' });
  const totalCount = await qb.clone().getCount();
  if (after) {
    const { at, id } = decodeCursor(after);
    qb.andWhere(
      new Brackets((w) =>
        w.where('s.registered_at > :at', { at }).orWhere('s.registered_at = :at AND s.id > :id', { at, id }),
      ),
    );
  }
  const rows = await qb
    .orderBy('s.registeredAt', 'ASC')
    .addOrderBy('s.id', 'ASC')
    .take(first + 1)
    .getMany();
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  };
}

const base = (ctx: ServiceContext) =>
  ctx.dataSource.getRepository(Student).createQueryBuilder('s').innerJoinAndSelect('s.school', 'school');

/** Students the caller may see, filtered, a page at a time. */
export async function listStudents(
  ctx: ServiceContext,
  filter: StudentFilter,
  first: number,
  after?: string | null,
): Promise<StudentPage> {
  const principal = requirePrincipal(ctx.principal);
  const qb = scoped(base(ctx), principal);
  if (filter.schoolId != null && !isUuid(filter.schoolId))
    throw badUserInput(
      { zh: 'schoolId 不是有效的学校编号', en: 'schoolId is not a valid school id' },
      { field: 'schoolId' },
    );
  if (filter.schoolId) qb.andWhere('s.school_id = :schoolId', { schoolId: filter.schoolId });
  if (filter.regionCode) {
    if (!isRegionCode(filter.regionCode))
      throw badUserInput({ zh: '行政区划代码应为6位数字', en: 'A region code has 6 digits' });
    qb.andWhere('school.region_code LIKE :region', { region: `${regionPrefix(filter.regionCode)}%` });
  }
  if (filter.registrationStatus) qb.andWhere('s.registration_status = :status', { status: filter.registrationStatus });
  if (filter.majorCode) qb.andWhere('s.major_code = :major', { major: filter.majorCode });
  if (filter.className) qb.andWhere('s.class_name = :className', { className: filter.className });
  if (filter.entryYear) qb.andWhere('extract(year from s.entry_date) = :year', { year: filter.entryYear });
  if (filter.search?.trim()) {
    const term = `${filter.search.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    qb.andWhere(
      new Brackets((w) => w.where('s.name LIKE :term', { term }).orWhere('s.student_number LIKE :term', { term })),
    );
  }
  return page(qb, first, after);
}

/** Registrations waiting for the reviewer: SUBMITTED, at schools whose competent authority the reviewer covers. */
export async function registrationQueue(
  ctx: ServiceContext,
  first: number,
  after?: string | null,
): Promise<StudentPage> {
  const principal = requireRole(ctx.principal, 'AUTHORITY_REVIEWER');
  const qb = base(ctx)
    .where(`s.registration_status = 'SUBMITTED'`)
    .andWhere('school.authority_region_code LIKE :scope', { scope: `${regionPrefix(principal.regionCode!)}%` });
  return page(qb, first, after);
}

/**
 * The newest record matching, among those the caller may see. A record outside the caller's scope
 * answers null, exactly as an unknown one does: a lookup by a number the caller types must not tell
 * whether the person is enrolled elsewhere.
 */
async function findOneScoped(ctx: ServiceContext, where: string, value: string): Promise<Student | null> {
  const principal = requirePrincipal(ctx.principal);
  return scoped(base(ctx).where(where, { value }), principal).orderBy('s.registeredAt', 'DESC').getOne();
}

/** The student with this number (ENR-11) if the caller may see it; null otherwise, as for an unknown number. */
export const studentByNumber = (ctx: ServiceContext, n: string) =>
  findOneScoped(ctx, 's.student_number = :value', n.trim());

/** The newest record of this ID number the caller may see; null when none, in scope or out. */
export const studentByIdNumber = (ctx: ServiceContext, idNumber: string) =>
  findOneScoped(ctx, 's.id_number = :value', normaliseId(idNumber));

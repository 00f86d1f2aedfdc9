import { isUuid } from '@xueji/rules';
import DataLoader from 'dataloader';
import { In, type EntityManager } from 'typeorm';
import {
  assertCanReadSchool,
  canReadSchool,
  regionCovers,
  requirePrincipal,
  requireRole,
  type Principal,
} from '@xueji/auth';
import { forbidden, notFound } from '@xueji/errors';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import { School } from '../entities/school';
import { Student } from '../entities/student';

export const schoolLoader = (ctx: ServiceContext) =>
  perRequest(
    ctx,
    'schools',
    () =>
      new DataLoader<string, School | null>(async (ids) => {
        const rows = await ctx.dataSource.getRepository(School).findBy({ id: In([...ids]) });
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
      }),
  );

export const studentLoader = (ctx: ServiceContext) =>
  perRequest(
    ctx,
    'students',
    () =>
      new DataLoader<string, Student | null>(async (ids) => {
        const rows = await ctx.dataSource
          .getRepository(Student)
          .find({ where: { id: In([...ids]) }, relations: { school: true } });
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
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

export function mayRead(principal: Principal, student: Student): boolean {
  return canReadSchool(principal, scopeOf(student));
}

/** The caller must be the registrar of this school. */
export function requireRegistrarOf(ctx: ServiceContext, schoolId: string): Principal {
  const principal = requireRole(ctx.principal, 'SCHOOL_REGISTRAR');
  if (principal.schoolId !== schoolId) {
    throw forbidden({ zh: '只能办理本校学生的学籍事务', en: 'You may act only for students of your own school' });
  }
  return principal;
}

/** ADM-1/ADM-2: the reviewer's region covers the school's competent authority (higher tiers oversee lower ones). */
export function reviewerCovers(principal: Principal, school: School): boolean {
  return (
    principal.role === 'AUTHORITY_REVIEWER' &&
    principal.regionCode !== undefined &&
    regionCovers(principal.regionCode, school.authorityRegionCode)
  );
}

/** Load a student for a write, locked for the rest of the transaction. */
export async function lockStudent(manager: EntityManager, id: string): Promise<Student> {
  const student = isUuid(id)
    ? await manager.getRepository(Student).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } })
    : null;
  if (!student) throw notFound({ zh: `学生 ${id} 不存在`, en: `No student ${id}` });
  student.school = (await manager.getRepository(School).findOneByOrFail({ id: student.schoolId })) as School;
  return student;
}

/** Save a student's own columns; the loaded relations (school, major) are read-only here. */
export async function persist(manager: EntityManager, student: Student): Promise<void> {
  const { school: _school, major: _major, ...row } = student;
  await manager.getRepository(Student).save(row);
}

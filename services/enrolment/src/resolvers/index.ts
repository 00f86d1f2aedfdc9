import DataLoader from 'dataloader';
import { In } from 'typeorm';
import {
  assertCanReadSchool,
  canReadSchool,
  mayReadIdNumber,
  maskIdNumber,
  requirePrincipal,
  requireRole,
} from '@xueji/auth';
import { badUserInput, forbidden, notFound } from '@xueji/errors';
import { createEvent } from '@xueji/events';
import { appendToOutbox } from '@xueji/outbox';
import { perRequest, type GraphQLResolverMap, type ServiceContext } from '@xueji/service-kit';
import { ID_NUMBER_PROBLEMS, readIdNumber } from '../domain/id-number';
import { School } from '../entities/school';
import { Student } from '../entities/student';

const schoolLoader = (ctx: ServiceContext) =>
  perRequest(
    ctx,
    'schools',
    () =>
      new DataLoader<string, School | null>(async (ids) => {
        const rows = await ctx.dataSource.getRepository(School).findBy({ id: In([...ids]) });
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
      }),
  );

const studentLoader = (ctx: ServiceContext) =>
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A student the caller may read, or null when there is none; FORBIDDEN outside the caller's scope. */
async function readableStudent(ctx: ServiceContext, id: string): Promise<Student | null> {
  const principal = requirePrincipal(ctx.principal);
  if (!UUID.test(id)) return null;
  const student = await studentLoader(ctx).load(id);
  if (!student) return null;
  assertCanReadSchool(principal, { schoolId: student.schoolId, regionCode: student.school!.regionCode });
  return student;
}

export const resolvers: GraphQLResolverMap<ServiceContext> = {
  Query: {
    student: (_: unknown, args: { id: string }, ctx: ServiceContext) => readableStudent(ctx, args.id),
    schools: async (_: unknown, __: unknown, ctx: ServiceContext) => {
      const principal = requirePrincipal(ctx.principal);
      const schools = await ctx.dataSource.getRepository(School).find({ order: { code: 'ASC' } });
      return schools.filter((s) => canReadSchool(principal, { schoolId: s.id, regionCode: s.regionCode }));
    },
  },
  Mutation: {
    registerStudent: async (
      _: unknown,
      { input }: { input: { schoolId: string; name: string; idNumber: string } },
      ctx: ServiceContext,
    ) => {
      const principal = requireRole(ctx.principal, 'SCHOOL_REGISTRAR');
      if (principal.schoolId !== input.schoolId) {
        throw forbidden({ zh: '只能为本校学生注册', en: 'You may register students of your own school only' });
      }
      const name = input.name.trim();
      if (name.length === 0 || name.length > 50) {
        throw badUserInput(
          { zh: '姓名不能为空且不超过50个字符', en: 'The name must be 1 to 50 characters' },
          { field: 'name' },
        );
      }
      const id = readIdNumber(input.idNumber);
      if (!id.ok) throw badUserInput(ID_NUMBER_PROBLEMS[id.problem], { field: 'idNumber', problem: id.problem });

      return ctx.dataSource.transaction(async (manager) => {
        const school = await manager.getRepository(School).findOneBy({ id: input.schoolId });
        if (!school) throw notFound({ zh: '学校不存在', en: 'No such school' });
        const student = await manager.getRepository(Student).save(
          manager.getRepository(Student).create({
            name,
            idNumber: input.idNumber.trim().toUpperCase(),
            schoolId: school.id,
            registrationStatus: 'SUBMITTED',
            registeredBy: principal.subject,
          }),
        );
        const event = createEvent('xueji.enrolment.student.registered.v1', student.id, {
          studentId: student.id,
          schoolId: school.id,
          regionCode: school.regionCode,
          name: student.name,
          registeredAt: student.registeredAt.toISOString(),
        });
        await appendToOutbox(manager, ctx.topics.own, event);
        return Object.assign(student, { school });
      });
    },
  },
  Student: {
    __resolveReference: (ref: { id: string }, ctx: ServiceContext) => readableStudent(ctx, ref.id),
    idNumber: (student: Student, _: unknown, ctx: ServiceContext) =>
      ctx.principal && mayReadIdNumber(ctx.principal) ? student.idNumber : maskIdNumber(student.idNumber),
    school: (student: Student, _: unknown, ctx: ServiceContext) =>
      student.school ?? schoolLoader(ctx).load(student.schoolId),
    registeredAt: (student: Student) => student.registeredAt.toISOString(),
  },
  School: {
    __resolveReference: async (ref: { id: string }, ctx: ServiceContext) => {
      const principal = requirePrincipal(ctx.principal);
      const school = UUID.test(ref.id) ? await schoolLoader(ctx).load(ref.id) : null;
      return school && canReadSchool(principal, { schoolId: school.id, regionCode: school.regionCode }) ? school : null;
    },
  },
};

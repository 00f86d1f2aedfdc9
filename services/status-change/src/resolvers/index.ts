import { authorizeStudentField } from '@xueji/student-scope';
import { type GraphQLResolverMap, type ServiceContext } from '@xueji/service-kit';
import { StatusChange, StudentStatus } from '../entities/status';

export const resolvers: GraphQLResolverMap<ServiceContext> = {
  Student: {
    status: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return null;
      const status = await ctx.dataSource.getRepository(StudentStatus).findOneBy({ studentId: student.id });
      return status && { code: status.code, since: status.since.toISOString() };
    },
    statusHistory: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      const changes = await ctx.dataSource
        .getRepository(StatusChange)
        .find({ where: { studentId: student.id }, order: { effectiveAt: 'ASC', seq: 'ASC' } });
      return changes.map((c) => ({ ...c, effectiveAt: c.effectiveAt.toISOString() }));
    },
  },
};

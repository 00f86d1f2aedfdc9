import { authorizeStudent, createScopeLoader } from '@xueji/student-scope';
import { perRequest, type GraphQLResolverMap, type ServiceContext } from '@xueji/service-kit';
import { GraduationCase } from '../entities/graduation-case';

const scopes = (ctx: ServiceContext) => perRequest(ctx, 'scopes', () => createScopeLoader(ctx.dataSource));

export const resolvers: GraphQLResolverMap<ServiceContext> = {
  Student: {
    graduation: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudent(ctx.principal, scopes(ctx), student.id))) return null;
      const found = await ctx.dataSource.getRepository(GraduationCase).findOneBy({ studentId: student.id });
      return found ?? { stage: 'NOT_STARTED', diplomaNumber: null };
    },
  },
};

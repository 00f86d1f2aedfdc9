import { authorizeStudentField } from '@xueji/student-scope';
import { type GraphQLResolverMap, type ServiceContext } from '@xueji/service-kit';
import { GraduationCase } from '../entities/graduation-case';

export const resolvers: GraphQLResolverMap<ServiceContext> = {
  Student: {
    graduation: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return null;
      const found = await ctx.dataSource.getRepository(GraduationCase).findOneBy({ studentId: student.id });
      return found ?? { stage: 'NOT_STARTED', diplomaNumber: null };
    },
  },
};

import { subgraphResolvers } from '@xueji/service-kit';
import { authorizeStudentField } from '@xueji/student-scope';
import type { Resolvers } from '../generated/resolvers-types';
import { graduationRecords } from '../reads';

const resolvers: Resolvers = {
  Student: {
    graduation: async (student, _, ctx) => {
      if (!(await authorizeStudentField(ctx, student.id))) return null;
      return graduationRecords(ctx).load(student.id);
    },
  },
};

export const graduationResolvers = subgraphResolvers(resolvers);

import { subgraphResolvers } from '@xueji/service-kit';
import { authorizeStudentField } from '@xueji/student-scope';
import type { Resolvers } from '../generated/resolvers-types';
import { assessmentSummaries } from '../reads';

const resolvers: Resolvers = {
  Student: {
    assessment: async (student, _, ctx) => {
      if (!(await authorizeStudentField(ctx, student.id))) return null;
      return assessmentSummaries(ctx).load(student.id);
    },
  },
};

export const assessmentResolvers = subgraphResolvers(resolvers);

import { subgraphResolvers } from '@xueji/service-kit';
import { authorizeStudentField } from '@xueji/student-scope';
import type { Resolvers } from '../generated/resolvers-types';
import { assessmentSummaries } from '../reads';
import { disciplineResolvers } from './discipline';
import { resultsResolvers } from './results';

const resolvers: Resolvers = {
  ...resultsResolvers,
  ...disciplineResolvers,
  Query: { ...resultsResolvers.Query, ...disciplineResolvers.Query },
  Mutation: { ...resultsResolvers.Mutation, ...disciplineResolvers.Mutation },
  Student: {
    ...resultsResolvers.Student,
    ...disciplineResolvers.Student,
    assessment: async (student, _, ctx) => {
      if (!(await authorizeStudentField(ctx, student.id))) return null;
      return assessmentSummaries(ctx).load(student.id);
    },
  },
};

export const assessmentResolvers = subgraphResolvers(resolvers);

import { authorizeStudentField } from '@xueji/student-scope';
import { createTeachingPlan, setMakeUpPeriod } from '../application/plans';
import { recordConduct } from '../application/conduct';
import { exemptFromPhysicalEducation, recognizeCredits, setCreditConversion } from '../application/recognition';
import { recordResults } from '../application/results';
import { exportClassResults, exportTranscript, importResults } from '../application/sheets';
import type { Resolvers } from '../generated/resolvers-types';
import { conductOf } from '../reads/conduct';
import { coursesOfPlan, listPlans, makeUpPeriodsOfPlan, readablePlan } from '../reads/plans';
import { conversionTable, recognitionsOf } from '../reads/recognition';
import { creditSummaries, resultsOf } from '../reads/results';

/** Part A: teaching plans, results, credits and conduct. Thin: arguments → command or read. */
export const resultsResolvers = {
  Query: {
    teachingPlans: (_, { schoolId, first, after }, ctx) => listPlans(ctx, schoolId, first, after),
    teachingPlan: (_, { id }, ctx) => readablePlan(ctx, id),
    creditConversions: (_, { schoolId, first, after }, ctx) => conversionTable(ctx, schoolId, first, after),
    classResultsSheet: (_, { planId, attempt, sitting }, ctx) =>
      exportClassResults.execute(ctx, { planId, attempt, sitting }),
    transcript: (_, { studentId }, ctx) => exportTranscript.execute(ctx, { studentId }),
  },
  Mutation: {
    createTeachingPlan: (_, { input }, ctx) => createTeachingPlan.execute(ctx, input),
    recordResults: (_, { input }, ctx) => recordResults.execute(ctx, input),
    recordConduct: (_, { input }, ctx) => recordConduct.execute(ctx, input),
    importResults: (_, { input }, ctx) => importResults.execute(ctx, input),
    setMakeUpPeriod: (_, { input }, ctx) => setMakeUpPeriod.execute(ctx, input),
    setCreditConversion: (_, { input }, ctx) => setCreditConversion.execute(ctx, input),
    recognizeCredits: (_, { input }, ctx) => recognizeCredits.execute(ctx, input),
    exemptFromPhysicalEducation: (_, { input }, ctx) => exemptFromPhysicalEducation.execute(ctx, input),
  },
  TeachingPlan: {
    courses: (plan, { first, after }, ctx) => coursesOfPlan(ctx, plan.id, first, after),
    makeUpPeriods: (plan, _, ctx) => makeUpPeriodsOfPlan(ctx, plan.id),
  },
  ConductEvaluation: {
    term: (row) => row.term || null,
  },
  Student: {
    results: async (student, { first, after }, ctx) =>
      (await authorizeStudentField(ctx, student.id)) ? resultsOf(ctx, student.id, first, after) : null,
    credits: async (student, _, ctx) =>
      (await authorizeStudentField(ctx, student.id)) ? creditSummaries(ctx).load(student.id) : null,
    conduct: async (student, _args, ctx) =>
      (await authorizeStudentField(ctx, student.id)) ? conductOf(ctx, student.id, _args.first, _args.after) : null,
    creditRecognitions: async (student, { first, after }, ctx) =>
      (await authorizeStudentField(ctx, student.id)) ? recognitionsOf(ctx, student.id, first, after) : null,
  },
} satisfies Resolvers;

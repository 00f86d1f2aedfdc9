import { authorizeStudentField } from '@xueji/student-scope';
import { type GraphQLResolverMap, type ServiceContext } from '@xueji/service-kit';
import { decideEligibility, studyYearOn, type Decision } from '../domain/eligibility';
import { SubsidyStudent } from '../entities/subsidy-student';

const toGraphQL = (d: Decision) => ({
  eligible: d.eligible,
  reasons: d.reasons.map((r) => ({ rule: r.rule, met: r.met, messageZh: r.zh, messageEn: r.en })),
});

export const resolvers: GraphQLResolverMap<ServiceContext> = {
  Student: {
    subsidyEligibility: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return null;
      const known = await ctx.dataSource.getRepository(SubsidyStudent).findOneBy({ studentId: student.id });
      if (!known) return null;
      const decided = decideEligibility(
        {
          registrationStatus: known.registrationStatus,
          studentStatus: known.studentStatus
            ? { code: known.studentStatus, since: known.studentStatusSince ?? '' }
            : null,
          studyYear: known.entryDate ? studyYearOn(known.entryDate, ctx.today()) : undefined,
          studyForm: known.studyForm ?? undefined,
          household: known.household ?? undefined,
          majorWaiverExcluded: known.majorWaiverExcluded ?? undefined,
        },
        ctx.profile,
      );
      return {
        grant: toGraphQL(decided.grant),
        tuitionWaiver: toGraphQL(decided.tuitionWaiver),
        decidedAt: new Date().toISOString(),
        profile: ctx.profile.id,
      };
    },
  },
};

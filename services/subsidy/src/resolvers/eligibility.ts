import { assertCanReadSchool, requirePrincipal } from '@xueji/auth';
import { badUserInput } from '@xueji/errors';
import { isIsoDate, isUuid } from '@xueji/rules';
import { authorizeStudentField } from '@xueji/student-scope';
import type { Decision } from '../domain/eligibility';
import { waiverLocksMajor } from '../domain/eligibility';
import { eligibilityOn, periodOf } from '../domain/timeline';
import type { EligibilityDecision, PeriodEligibility, Resolvers } from '../generated/resolvers-types';
import {
  decisionChanges,
  decisionsRecordedSince,
  timelines,
  waiverRecords,
  type DecisionRow,
} from '../reads/decisions';
import { knownStudents } from '../reads/students';

const toDecision = (d: Decision): EligibilityDecision => ({
  eligible: d.eligible,
  reasons: d.reasons.map((r) => ({ rule: r.rule, met: r.met, messageZh: r.zh, messageEn: r.en })),
});

const toPeriod = (r: DecisionRow): PeriodEligibility => ({
  studentId: r.student_id,
  period: r.period,
  startsOn: r.starts_on,
  grant: toDecision({ eligible: r.grant_eligible, reasons: r.reasons.grant }),
  tuitionWaiver: toDecision({ eligible: r.waiver_eligible, reasons: r.reasons.tuitionWaiver }),
  facts: r.facts,
  decidedAt: r.decided_at,
  recordedAt: r.recorded_at,
});

export const eligibilityResolvers: Pick<Resolvers, 'Query' | 'Student'> = {
  Query: {
    eligibilityChangedSince: async (_, { since, first }, ctx) =>
      (await decisionsRecordedSince(ctx, since, first)).map(toPeriod),
    eligibilityChanges: async (_, { since, first, after }, ctx) => {
      const page = await decisionChanges(ctx, since, first, after);
      return { ...page, edges: page.edges.map(({ cursor, node }) => ({ cursor, node: toPeriod(node) })) };
    },
  },
  Student: {
    /** On a day (today by default), by the rule the timeline uses (SB-1, SB-2, SB-3, SB-6, SB-7). */
    subsidyEligibility: async (student, { asOf }, ctx) => {
      if (asOf != null && !isIsoDate(asOf)) {
        throw badUserInput(
          { zh: 'asOf 须为 YYYY-MM-DD 日期', en: 'asOf must be a YYYY-MM-DD date' },
          { field: 'asOf' },
        );
      }
      const caller = requirePrincipal(ctx.principal);
      const known = isUuid(student.id) ? await knownStudents(ctx).load(student.id) : null;
      if (!known) return null;
      assertCanReadSchool(caller, { schoolId: known.school_id, regionCode: known.region_code });
      if (!known.registration_status) return null;
      const day = asOf ?? ctx.today();
      const decided = eligibilityOn(
        {
          registrationStatus: known.registration_status,
          entryDate: known.entry_date,
          studyForm: known.study_form,
          household: known.household,
          majorWaiverExcluded: known.major_waiver_excluded,
          statusHistory: known.history,
        },
        day,
        ctx.profile,
      );
      return {
        asOf: day,
        period: periodOf(day, ctx.profile).name,
        grant: toDecision(decided.grant),
        tuitionWaiver: toDecision(decided.tuitionWaiver),
        facts: decided.facts,
        decidedAt: ctx.now(),
        profile: ctx.profile.id,
      };
    },
    subsidyTimeline: async (student, { asOf }, ctx) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      return (await timelines(ctx, asOf ?? null).load(student.id)).map(toPeriod);
    },
    /** SB-5 / ENR-18: every period the waiver was ever granted for, from the decision history. */
    waiverHistory: async (student, _, ctx) => {
      if (!(await authorizeStudentField(ctx, student.id))) {
        return { periods: [], agricultureRelatedMajor: null, lockedAgainstMajorChange: false };
      }
      const record = await waiverRecords(ctx).load(student.id);
      return {
        periods: record.periods.map((p) => ({
          period: p.period,
          grantedAt: p.granted_at,
          stillGranted: p.still_granted,
        })),
        agricultureRelatedMajor: record.agricultureRelated,
        lockedAgainstMajorChange: waiverLocksMajor(record.agricultureRelated, record.periods.length),
      };
    },
  },
};

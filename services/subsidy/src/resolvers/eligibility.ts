import { isIsoDate } from '@xueji/rules';
import { badUserInput } from '@xueji/errors';
import type { ServiceContext } from '@xueji/service-kit';
import { authorizeStudentField } from '@xueji/student-scope';
import { decideEligibility, type Decision, type Reason } from '../domain/eligibility';
import { decideOn, periodOf, type StatusChange } from '../domain/timeline';
import { SubsidyStudent } from '../entities/subsidy-student';
import type { StoredReasons } from '../events/recompute';
import { listScope, pageSize, SqlParams, timestampArg } from './scope';

export const toGraphQLDecision = (d: Decision) => ({
  eligible: d.eligible,
  reasons: d.reasons.map((r) => ({ rule: r.rule, met: r.met, messageZh: r.zh, messageEn: r.en })),
});

interface DecisionRow {
  student_id: string;
  period: string;
  starts_on: string;
  grant_eligible: boolean;
  waiver_eligible: boolean;
  reasons: StoredReasons;
  facts: Record<string, unknown>;
  decided_at: Date;
  recorded_at: Date;
}

const DECISION_COLUMNS = `d.student_id, d.period, to_char(d.period_starts_on, 'YYYY-MM-DD') AS starts_on, d.grant_eligible,
  d.waiver_eligible, d.reasons, d.facts, d.decided_at, d.recorded_at`;

const toPeriod = (r: DecisionRow) => ({
  studentId: r.student_id,
  period: r.period,
  startsOn: r.starts_on,
  grant: toGraphQLDecision({ eligible: r.grant_eligible, reasons: r.reasons.grant as Reason[] }),
  tuitionWaiver: toGraphQLDecision({ eligible: r.waiver_eligible, reasons: r.reasons.tuitionWaiver as Reason[] }),
  facts: r.facts,
  decidedAt: r.decided_at.toISOString(),
  recordedAt: r.recorded_at.toISOString(),
});

/** The status history subsidy keeps, as the timeline reads it. */
async function statusHistory(ctx: ServiceContext, studentId: string): Promise<StatusChange[]> {
  return (await ctx.dataSource.query(
    `SELECT event_id AS "eventId", kind, to_char(effective_date, 'YYYY-MM-DD') AS "effectiveDate", new_status AS "newStatus",
            to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS time, to_school_id AS "toSchoolId"
       FROM student_status_change WHERE student_id = $1`,
    [studentId],
  )) as StatusChange[];
}

export const eligibilityResolvers = {
  Query: {
    /**
     * Reconciliation: current decisions recorded since a time, for the caller's region or school. It
     * polls on when a decision was written, not the event time it carries, so a late event is not missed.
     */
    eligibilityChangedSince: async (
      _: unknown,
      args: { since: string; first?: number | null },
      ctx: ServiceContext,
    ) => {
      const params = new SqlParams();
      const scope = await listScope(ctx, params);
      const since = params.add(timestampArg(args.since, 'since'));
      const rows = (await ctx.dataSource.query(
        `SELECT ${DECISION_COLUMNS}
           FROM eligibility_decision d JOIN student_scope s ON s.student_id = d.student_id
          WHERE d.superseded_at IS NULL AND d.recorded_at > ${since} AND ${scope}
          ORDER BY d.recorded_at, d.student_id, d.period_starts_on
          LIMIT ${pageSize(args.first)}`,
        params.values,
      )) as DecisionRow[];
      return rows.map(toPeriod);
    },
  },
  Student: {
    /** On a day (today by default), by the rule the timeline uses (SB-1, SB-2, SB-3, SB-6, SB-7). */
    subsidyEligibility: async (student: { id: string }, args: { asOf?: string | null }, ctx: ServiceContext) => {
      if (args.asOf != null && !isIsoDate(args.asOf)) {
        throw badUserInput(
          { zh: 'asOf 须为 YYYY-MM-DD 日期', en: 'asOf must be a YYYY-MM-DD date' },
          { field: 'asOf' },
        );
      }
      if (!(await authorizeStudentField(ctx, student.id))) return null;
      const known = await ctx.dataSource.getRepository(SubsidyStudent).findOneBy({ studentId: student.id });
      if (!known) return null;
      const day = args.asOf ?? ctx.today();
      const facts = {
        registrationStatus: known.registrationStatus,
        studyForm: known.studyForm,
        household: known.household,
        majorWaiverExcluded: known.majorWaiverExcluded,
        statusHistory: await statusHistory(ctx, student.id),
      };
      // Before approval there is no entry date: the status is not formal (SB-1), and nothing else is known.
      const decided = known.entryDate
        ? decideOn({ ...facts, entryDate: known.entryDate }, day, ctx.profile)
        : { ...decideEligibility({ registrationStatus: known.registrationStatus }, ctx.profile), facts: null };
      return {
        asOf: day,
        period: periodOf(day, ctx.profile).name,
        grant: toGraphQLDecision(decided.grant),
        tuitionWaiver: toGraphQLDecision(decided.tuitionWaiver),
        facts: decided.facts,
        decidedAt: new Date().toISOString(),
        profile: ctx.profile.id,
      };
    },
    subsidyTimeline: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      const rows = (await ctx.dataSource.query(
        `SELECT ${DECISION_COLUMNS} FROM eligibility_decision d
          WHERE d.student_id = $1 AND d.superseded_at IS NULL ORDER BY d.period_starts_on`,
        [student.id],
      )) as DecisionRow[];
      return rows.map(toPeriod);
    },
    /** SB-5 / ENR-18: every period the waiver was ever granted for, from the decision history. */
    waiverHistory: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      const empty = { periods: [], agricultureRelatedMajor: null, lockedAgainstMajorChange: false };
      if (!(await authorizeStudentField(ctx, student.id))) return empty;
      const periods = (await ctx.dataSource.query(
        `SELECT period, min(decided_at) FILTER (WHERE waiver_eligible) AS granted_at,
                bool_or(waiver_eligible AND superseded_at IS NULL) AS still_granted
           FROM eligibility_decision WHERE student_id = $1
          GROUP BY period, period_starts_on HAVING bool_or(waiver_eligible) ORDER BY period_starts_on`,
        [student.id],
      )) as { period: string; granted_at: Date; still_granted: boolean }[];
      const [known] = (await ctx.dataSource.query(
        `SELECT agriculture_related FROM subsidy_student WHERE student_id = $1`,
        [student.id],
      )) as { agriculture_related: boolean | null }[];
      const agricultureRelatedMajor = known?.agriculture_related ?? null;
      return {
        periods: periods.map((p) => ({
          period: p.period,
          grantedAt: p.granted_at.toISOString(),
          stillGranted: p.still_granted,
        })),
        agricultureRelatedMajor,
        // SB-5: the lock follows the history, so a waiver later taken back still counts.
        lockedAgainstMajorChange: agricultureRelatedMajor === true && periods.length > 0,
      };
    },
  },
};

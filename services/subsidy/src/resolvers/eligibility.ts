import { isIsoDate, isUuid } from '@xueji/rules';
import { assertCanReadSchool, requirePrincipal } from '@xueji/auth';
import { badUserInput } from '@xueji/errors';
import type { ServiceContext } from '@xueji/service-kit';
import { authorizeStudentField } from '@xueji/student-scope';
import {
  decideEligibility,
  type Decision,
  type Household,
  type Reason,
  type RegistrationStatus,
  type StudyForm,
} from '../domain/eligibility';
import { decideOn, periodOf, type StatusChange } from '../domain/timeline';
import { STATUS_CHANGE_COLUMNS } from '../events/history';
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

interface KnownStudent {
  school_id: string;
  region_code: string;
  registration_status: RegistrationStatus | null;
  entry_date: string | null;
  study_form: StudyForm | null;
  household: Household | null;
  major_waiver_excluded: boolean | null;
  history: StatusChange[];
}

/**
 * What the rule needs of one student, with the scope that authorises reading it, in one round
 * trip: this is the single-student check subsidy offices call most.
 */
async function knownStudent(ctx: ServiceContext, studentId: string): Promise<KnownStudent | null> {
  const [row] = (await ctx.dataSource.query(
    `SELECT sc.school_id, sc.region_code, st.registration_status, to_char(st.entry_date, 'YYYY-MM-DD') AS entry_date,
            st.study_form, st.household, st.major_waiver_excluded,
            COALESCE((SELECT json_agg(x) FROM (SELECT ${STATUS_CHANGE_COLUMNS} FROM student_status_change h
                                                WHERE h.student_id = sc.student_id) x), '[]') AS history
       FROM student_scope sc LEFT JOIN subsidy_student st ON st.student_id = sc.student_id
      WHERE sc.student_id = $1`,
    [studentId],
  )) as KnownStudent[];
  return row ?? null;
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
      const caller = requirePrincipal(ctx.principal);
      const known = isUuid(student.id) ? await knownStudent(ctx, student.id) : null;
      if (!known) return null;
      assertCanReadSchool(caller, { schoolId: known.school_id, regionCode: known.region_code });
      if (!known.registration_status) return null;
      const day = args.asOf ?? ctx.today();
      const facts = {
        registrationStatus: known.registration_status,
        studyForm: known.study_form,
        household: known.household,
        majorWaiverExcluded: known.major_waiver_excluded,
        statusHistory: known.history,
      };
      // Before approval there is no entry date: the status is not formal (SB-1), and nothing else is known.
      const decided = known.entry_date
        ? decideOn({ ...facts, entryDate: known.entry_date }, day, ctx.profile)
        : { ...decideEligibility({ registrationStatus: known.registration_status }, ctx.profile), facts: null };
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
    subsidyTimeline: async (student: { id: string }, args: { asOf?: string | null }, ctx: ServiceContext) => {
      const asOf = args.asOf == null ? null : timestampArg(args.asOf, 'asOf');
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      // A row is in force from its decision until another superseded it (both stamped with event times).
      const rows = (await ctx.dataSource.query(
        asOf === null
          ? `SELECT ${DECISION_COLUMNS} FROM eligibility_decision d
              WHERE d.student_id = $1 AND d.superseded_at IS NULL ORDER BY d.period_starts_on`
          : `SELECT ${DECISION_COLUMNS} FROM eligibility_decision d
              WHERE d.student_id = $1 AND d.decided_at <= $2 AND (d.superseded_at IS NULL OR d.superseded_at > $2)
              ORDER BY d.period_starts_on`,
        asOf === null ? [student.id] : [student.id, asOf],
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

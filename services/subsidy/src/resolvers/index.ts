import { isUuid } from '@xueji/rules';
import { canReadSchool, requirePrincipal, requireRole, regionPrefix } from '@xueji/auth';
import { badUserInput, forbidden, notFound } from '@xueji/errors';
import { authorizeStudentField } from '@xueji/student-scope';
import { type GraphQLResolverMap, type ServiceContext } from '@xueji/service-kit';
import { decideEligibility, studyYearOn, type Decision, type Reason } from '../domain/eligibility';
import { SubsidyStudent } from '../entities/subsidy-student';
import type { StoredReasons } from '../events/recompute';

const toGraphQL = (d: Decision) => ({
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
}

const DECISION_COLUMNS = `d.student_id, d.period, to_char(d.period_starts_on, 'YYYY-MM-DD') AS starts_on, d.grant_eligible,
  d.waiver_eligible, d.reasons, d.facts, d.decided_at`;

const toPeriod = (r: DecisionRow) => ({
  studentId: r.student_id,
  period: r.period,
  startsOn: r.starts_on,
  grant: toGraphQL({ eligible: r.grant_eligible, reasons: r.reasons.grant as Reason[] }),
  tuitionWaiver: toGraphQL({ eligible: r.waiver_eligible, reasons: r.reasons.tuitionWaiver as Reason[] }),
  facts: r.facts,
  decidedAt: r.decided_at.toISOString(),
});

interface EntitlementRow {
  id: string;
  student_id: string;
  period: string;
  kind: string;
  amount_cny: string;
  state: string;
  recovery_flagged: boolean;
  paid_at: Date | null;
  cancelled_at: Date | null;
}

const ENTITLEMENT_COLUMNS = `e.id, e.student_id, e.period, e.kind, e.amount_cny, e.state, e.recovery_flagged, e.paid_at, e.cancelled_at`;

const toEntitlement = (r: EntitlementRow) => ({
  id: r.id,
  studentId: r.student_id,
  period: r.period,
  kind: r.kind,
  amountCny: Number(r.amount_cny),
  state: r.state,
  recoveryFlagged: r.recovery_flagged,
  paidAt: r.paid_at?.toISOString() ?? null,
  cancelledAt: r.cancelled_at?.toISOString() ?? null,
});

export const resolvers: GraphQLResolverMap<ServiceContext> = {
  Query: {
    /** Reconciliation: current decisions made since a time, for the caller's region or school. */
    eligibilityChangedSince: async (
      _: unknown,
      args: { since: string; first?: number | null },
      ctx: ServiceContext,
    ) => {
      const caller = requirePrincipal(ctx.principal);
      const first = Math.min(Math.max(args.first ?? 100, 1), 1000);
      let scope: { clause: string; value: string };
      if ((caller.role === 'SUBSIDY_OFFICER' || caller.role === 'AUTHORITY_REVIEWER') && caller.regionCode) {
        scope = { clause: `s.region_code LIKE $2`, value: `${regionPrefix(caller.regionCode)}%` };
      } else if (caller.role === 'SCHOOL_REGISTRAR' && caller.schoolId) {
        scope = { clause: `s.school_id = $2::uuid`, value: caller.schoolId };
      } else {
        throw forbidden({ zh: '无权查看资助资格变化', en: 'You may not read eligibility changes' });
      }
      if (Number.isNaN(Date.parse(args.since))) {
        throw badUserInput({ zh: 'since 不是有效时间', en: 'since is not a valid timestamp' });
      }
      const rows = (await ctx.dataSource.query(
        `SELECT ${DECISION_COLUMNS}
           FROM eligibility_decision d JOIN student_scope s ON s.student_id = d.student_id
          WHERE d.superseded_at IS NULL AND d.decided_at > $1 AND ${scope.clause}
          ORDER BY d.decided_at, d.student_id, d.period_starts_on
          LIMIT ${first}`,
        [args.since, scope.value],
      )) as DecisionRow[];
      return rows.map(toPeriod);
    },
  },
  Mutation: {
    /** Subsidy officers mark pending entitlements paid, only for students of their region. */
    markEntitlementsPaid: async (_: unknown, args: { ids: string[] }, ctx: ServiceContext) => {
      const officer = requireRole(ctx.principal, 'SUBSIDY_OFFICER');
      const ids = [...new Set(args.ids)];
      const bad = ids.find((id) => !isUuid(id));
      if (bad) throw notFound({ zh: `没有补助记录 ${bad}`, en: `No entitlement ${bad}` });
      return ctx.dataSource.transaction(async (manager) => {
        const rows = (await manager.query(
          `SELECT ${ENTITLEMENT_COLUMNS}, s.school_id, s.region_code
             FROM entitlement e LEFT JOIN student_scope s ON s.student_id = e.student_id
            WHERE e.id = ANY($1::uuid[]) ORDER BY e.id FOR UPDATE OF e`,
          [ids],
        )) as (EntitlementRow & { school_id: string | null; region_code: string | null })[];
        const missing = ids.find((id) => !rows.some((r) => r.id === id));
        if (missing) throw notFound({ zh: `没有补助记录 ${missing}`, en: `No entitlement ${missing}` });
        for (const r of rows) {
          if (
            !r.school_id ||
            !r.region_code ||
            !canReadSchool(officer, { schoolId: r.school_id, regionCode: r.region_code })
          ) {
            throw forbidden({
              zh: '无权处理其他辖区学生的补助',
              en: 'You may not pay entitlements outside your region',
            });
          }
          if (r.state !== 'PENDING' && r.state !== 'PAID') {
            throw badUserInput(
              { zh: `补助 ${r.id} 已取消，不能发放`, en: `Entitlement ${r.id} is cancelled and cannot be paid` },
              { id: r.id, state: r.state },
            );
          }
        }
        const updated = (await manager.query(
          `UPDATE entitlement e SET state = 'PAID', paid_at = now(), paid_by = $2
            WHERE e.id = ANY($1::uuid[]) AND e.state = 'PENDING' RETURNING ${ENTITLEMENT_COLUMNS}`,
          [ids, officer.subject],
        )) as [EntitlementRow[], number] | EntitlementRow[];
        const changed = new Map(
          (Array.isArray(updated[0]) ? (updated[0] as EntitlementRow[]) : (updated as EntitlementRow[])).map((r) => [
            r.id,
            r,
          ]),
        );
        return rows.map((r) => toEntitlement(changed.get(r.id) ?? r));
      });
    },
  },
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
    subsidyTimeline: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      const rows = (await ctx.dataSource.query(
        `SELECT ${DECISION_COLUMNS} FROM eligibility_decision d
          WHERE d.student_id = $1 AND d.superseded_at IS NULL ORDER BY d.period_starts_on`,
        [student.id],
      )) as DecisionRow[];
      return rows.map(toPeriod);
    },
    entitlements: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      const rows = (await ctx.dataSource.query(
        `SELECT ${ENTITLEMENT_COLUMNS} FROM entitlement e WHERE e.student_id = $1 ORDER BY e.period_starts_on, e.kind`,
        [student.id],
      )) as EntitlementRow[];
      return rows.map(toEntitlement);
    },
  },
};

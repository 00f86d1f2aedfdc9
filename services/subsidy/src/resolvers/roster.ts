import { audit } from '@xueji/audit';
import { badUserInput } from '@xueji/errors';
import type { ServiceContext } from '@xueji/service-kit';
import { writeSheet, XLSX_CONTENT_TYPE } from '@xueji/spreadsheet';
import { listScope, pageSize, SqlParams, timestampArg } from './scope';
import { PAYMENT_HOLDING_SIGNAL } from './signals';

export interface RosterFilter {
  period: string;
  schoolId?: string | null;
  regionCode?: string | null;
  grantEligible?: boolean | null;
  waiverEligible?: boolean | null;
  changedSince?: string | null;
}

interface RosterRow {
  student_id: string;
  student_number: string | null;
  name: string | null;
  school_id: string;
  school_name: string | null;
  period: string;
  grant_eligible: boolean;
  waiver_eligible: boolean;
  unmet_rules: string[];
  amount_cny: string | null;
  entitlement_state: string | null;
  signals: number;
  decided_at: Date;
  sort_key: string;
}

/** The rule ids a decision did not meet (SB-7), grant first, each once: worked out by the database, not shipped as JSON. */
const UNMET_RULES = `ARRAY(
  SELECT u.rule FROM (
    SELECT r.value->>'rule' AS rule, min(r.ordinality) AS first_seen
      FROM jsonb_array_elements((d.reasons->'grant') || (d.reasons->'tuitionWaiver')) WITH ORDINALITY AS r
     WHERE NOT (r.value->>'met')::boolean GROUP BY 1) u
  ORDER BY u.first_seen)`;

/** The FROM and WHERE of a roster: current decisions of the period, in the caller's scope, filtered. */
async function rosterQuery(ctx: ServiceContext, filter: RosterFilter, params: SqlParams): Promise<string> {
  if (!/^\d{4}-(spring|autumn)$/.test(filter.period)) {
    throw badUserInput(
      { zh: 'period 须形如 2026-autumn 或 2027-spring', en: 'period must look like 2026-autumn or 2027-spring' },
      { field: 'period' },
    );
  }
  const conditions = [
    `d.superseded_at IS NULL`,
    `d.period = ${params.add(filter.period)}`,
    await listScope(ctx, params, filter),
  ];
  if (filter.grantEligible != null) conditions.push(`d.grant_eligible = ${params.add(filter.grantEligible)}`);
  if (filter.waiverEligible != null) conditions.push(`d.waiver_eligible = ${params.add(filter.waiverEligible)}`);
  if (filter.changedSince != null) {
    conditions.push(`d.recorded_at > ${params.add(timestampArg(filter.changedSince, 'changedSince'))}`);
  }
  return `FROM eligibility_decision d
    JOIN student_scope s ON s.student_id = d.student_id
    JOIN subsidy_student st ON st.student_id = d.student_id
    LEFT JOIN school_catalogue c ON c.school_id = s.school_id
    LEFT JOIN entitlement e ON e.student_id = d.student_id AND e.period = d.period AND e.kind = 'GRANT'
   WHERE ${conditions.join(' AND ')}`;
}

const SORT_KEY = `COALESCE(st.student_number, '')`;

async function rosterRows(ctx: ServiceContext, from: string, params: SqlParams, tail: string): Promise<RosterRow[]> {
  return (await ctx.dataSource.query(
    `SELECT d.student_id, st.student_number, st.name, s.school_id, c.name AS school_name, d.period, d.grant_eligible,
            d.waiver_eligible, ${UNMET_RULES} AS unmet_rules, e.amount_cny, e.state AS entitlement_state, d.decided_at, ${SORT_KEY} AS sort_key,
            (SELECT count(*) FROM fraud_signal f WHERE f.student_id = d.student_id AND ${PAYMENT_HOLDING_SIGNAL})::int AS signals
       ${from}
      ${tail}`,
    params.values,
  )) as RosterRow[];
}

const toEntry = (r: RosterRow) => ({
  student: { __typename: 'Student', id: r.student_id },
  studentId: r.student_id,
  studentNumber: r.student_number,
  name: r.name,
  schoolId: r.school_id,
  schoolName: r.school_name,
  period: r.period,
  grantEligible: r.grant_eligible,
  waiverEligible: r.waiver_eligible,
  unmetRules: r.unmet_rules,
  grantAmountCny: r.grant_eligible && r.amount_cny ? Number(r.amount_cny) : 0,
  entitlementState: r.entitlement_state,
  fraudSignals: r.signals,
  decidedAt: r.decided_at.toISOString(),
});

const encodeCursor = (r: RosterRow) => Buffer.from(JSON.stringify([r.sort_key, r.student_id])).toString('base64url');

function decodeCursor(after: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return value as [string, string];
    }
  } catch {
    // reported below
  }
  throw badUserInput({ zh: 'after 游标无效', en: 'The after cursor is not valid' }, { field: 'after' });
}

const YES_NO = (b: boolean) => (b ? '是' : '否');
const ENTITLEMENT_STATE: Record<string, string> = { PENDING: '待发放', PAID: '已发放', CANCELLED: '已取消' };

interface RosterTotals {
  total: number;
  grant: number;
  waiver: number;
  grant_total: string;
}

type RosterPage = { totals(): Promise<RosterTotals> };

export const rosterResolvers = {
  EligibilityRoster: {
    totalCount: async (r: RosterPage) => (await r.totals()).total,
    grantEligibleCount: async (r: RosterPage) => (await r.totals()).grant,
    waiverEligibleCount: async (r: RosterPage) => (await r.totals()).waiver,
    grantTotalCny: async (r: RosterPage) => Number((await r.totals()).grant_total),
  },
  Query: {
    /** A period's roster, sorted by student number, paged by a keyset cursor; totals cover the whole filter. */
    eligibilityRoster: async (
      _: unknown,
      args: { filter: RosterFilter; first?: number | null; after?: string | null },
      ctx: ServiceContext,
    ) => {
      const params = new SqlParams();
      const from = await rosterQuery(ctx, args.filter, params);
      const filterValues = [...params.values];
      const first = pageSize(args.first);
      let page = '';
      if (args.after != null) {
        const [sortKey, studentId] = decodeCursor(args.after);
        page = `AND (${SORT_KEY}, st.student_id) > (${params.add(sortKey)}, ${params.add(studentId)}::uuid)`;
      }
      const rows = await rosterRows(
        ctx,
        from,
        params,
        `${page} ORDER BY ${SORT_KEY}, st.student_id LIMIT ${first + 1}`,
      );
      const more = rows.length > first;
      const entries = rows.slice(0, first);
      // The totals cost a pass over the whole filter: only when asked for (a client paging skips them).
      let totals: Promise<RosterTotals> | null = null;
      const totalsOnce = () =>
        (totals ??= ctx.dataSource
          .query(
            `SELECT count(*)::int AS total, (count(*) FILTER (WHERE d.grant_eligible))::int AS grant,
                    (count(*) FILTER (WHERE d.waiver_eligible))::int AS waiver,
                    COALESCE(sum(e.amount_cny) FILTER (WHERE d.grant_eligible), 0) AS grant_total
               ${from}`,
            filterValues,
          )
          .then((rows: RosterTotals[]) => rows[0]!));
      return {
        period: args.filter.period,
        totals: totalsOnce,
        entries: entries.map(toEntry),
        nextCursor: more ? encodeCursor(entries[entries.length - 1]!) : null,
      };
    },
    /** The whole roster as .xlsx for the subsidy office's payment list. */
    eligibilityRosterFile: async (_: unknown, args: { filter: RosterFilter }, ctx: ServiceContext) => {
      const params = new SqlParams();
      const from = await rosterQuery(ctx, args.filter, params);
      const rows = (await rosterRows(ctx, from, params, `ORDER BY ${SORT_KEY}, st.student_id`)).map(toEntry);
      const content = await writeSheet({
        sheetName: '资助名单',
        title: `${args.filter.period} 国家助学金和免学费资格名单`,
        headers: [
          '序号',
          '学籍号',
          '姓名',
          '学校',
          '学期',
          '助学金',
          '免学费',
          '未满足的规则',
          '助学金金额（元）',
          '发放状态',
          '预警',
          '决定时间',
        ],
        widths: [8, 16, 10, 24, 14, 8, 8, 16, 14, 10, 6, 22],
        textColumns: [2],
        landscape: true,
        rows: rows.map((r, i) => [
          i + 1,
          r.studentNumber ?? '',
          r.name ?? '',
          r.schoolName ?? r.schoolId,
          r.period,
          YES_NO(r.grantEligible),
          YES_NO(r.waiverEligible),
          r.unmetRules.join(' '),
          r.grantAmountCny,
          r.entitlementState ? (ENTITLEMENT_STATE[r.entitlementState] ?? r.entitlementState) : '',
          r.fraudSignals,
          r.decidedAt,
        ]),
        footer: rows.length === 0 ? [['无符合条件的学生 / No students match']] : [],
      });
      // Named after what it covers: the school or region asked for, else the caller's own.
      const covers =
        args.filter.schoolId ?? args.filter.regionCode ?? ctx.principal?.regionCode ?? ctx.principal?.schoolId ?? 'all';
      const scope = `${covers}-${args.filter.period}`;
      // ADM-5: names and student numbers leave the system: who took them, and which.
      await audit(ctx.dataSource.manager, ctx.principal!, {
        action: 'EXPORT_ELIGIBILITY_ROSTER',
        entity: 'eligibility_roster',
        entityId: scope,
        details: { filter: args.filter, rows: rows.length },
      });
      return {
        fileName: `eligibility-roster-${scope}.xlsx`,
        contentType: XLSX_CONTENT_TYPE,
        contentBase64: content.toString('base64'),
        rows: rows.length,
      };
    },
  },
};

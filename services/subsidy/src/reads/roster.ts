import type { Principal } from '@xueji/auth';
import { selectOne, selectRows, type Queryable } from '@xueji/db';
import { badUserInput } from '@xueji/errors';
import { isUuid } from '@xueji/rules';
import type { EntitlementState } from '@xueji/vocabulary';
import { listScope, pageSize, SqlParams } from './scope';
import { PAYMENT_HOLDING_SIGNAL } from './signals';

/** Which students of a period a roster lists, inside the caller's region or school. */
export interface RosterFilter {
  period: string;
  schoolId?: string | null;
  regionCode?: string | null;
  grantEligible?: boolean | null;
  waiverEligible?: boolean | null;
  changedSince?: Date | null;
}

/** One student's current decision for a period, with what the subsidy office pays by. */
export interface RosterRow {
  student_id: string;
  student_number: string | null;
  name: string | null;
  school_id: string;
  school_name: string | null;
  period: string;
  grant_eligible: boolean;
  waiver_eligible: boolean;
  /** Rule ids the grant or waiver decision did not meet, grant first, each once (SB-7). */
  unmet_rules: string[];
  /** numeric(10, 2), as the driver gives it; null without an entitlement. */
  amount_cny: string | null;
  entitlement_state: EntitlementState | null;
  /** SB-4: signals holding the student's payments. */
  signals: number;
  decided_at: Date;
  sort_key: string;
}

/** Totals over the whole filter, every page. */
export interface RosterTotals {
  total: number;
  grant: number;
  waiver: number;
  /** numeric, as the driver gives it. */
  grant_total: string;
}

/** One page of a roster; the totals cost a pass over the whole filter, so only when asked for. */
export interface RosterPage {
  period: string;
  rows: RosterRow[];
  /** Whether a page follows this one. */
  hasMore: boolean;
  totals(): Promise<RosterTotals>;
}

/** The rule ids a decision did not meet (SB-7), grant first, each once: worked out by the database, not shipped as JSON. */
const UNMET_RULES = `ARRAY(
  SELECT u.rule FROM (
    SELECT r.value->>'rule' AS rule, min(r.ordinality) AS first_seen
      FROM jsonb_array_elements((d.reasons->'grant') || (d.reasons->'tuitionWaiver')) WITH ORDINALITY AS r
     WHERE NOT (r.value->>'met')::boolean GROUP BY 1) u
  ORDER BY u.first_seen)`;

const SORT_KEY = `COALESCE(st.student_number, '')`;

/** The FROM and WHERE of a roster: current decisions of the period, in the caller's scope, filtered. */
async function rosterFrom(
  db: Queryable,
  principal: Principal | null,
  filter: RosterFilter,
  params: SqlParams,
): Promise<string> {
  if (!/^\d{4}-(spring|autumn)$/.test(filter.period)) {
    throw badUserInput(
      { zh: 'period 须形如 2026-autumn 或 2027-spring', en: 'period must look like 2026-autumn or 2027-spring' },
      { field: 'period' },
    );
  }
  const conditions = [
    `d.superseded_at IS NULL`,
    `d.period = ${params.add(filter.period)}`,
    await listScope(db, principal, params, filter),
  ];
  if (filter.grantEligible != null) conditions.push(`d.grant_eligible = ${params.add(filter.grantEligible)}`);
  if (filter.waiverEligible != null) conditions.push(`d.waiver_eligible = ${params.add(filter.waiverEligible)}`);
  if (filter.changedSince != null) conditions.push(`d.recorded_at > ${params.add(filter.changedSince)}`);
  return `FROM eligibility_decision d
    JOIN student_scope s ON s.student_id = d.student_id
    JOIN subsidy_student st ON st.student_id = d.student_id
    LEFT JOIN school_catalogue c ON c.school_id = s.school_id
    LEFT JOIN entitlement e ON e.student_id = d.student_id AND e.period = d.period AND e.kind = 'GRANT'
   WHERE ${conditions.join(' AND ')}`;
}

function rosterRows(db: Queryable, from: string, params: SqlParams, tail: string): Promise<RosterRow[]> {
  return selectRows<RosterRow>(
    db,
    `SELECT d.student_id, st.student_number, st.name, s.school_id, c.name AS school_name, d.period, d.grant_eligible,
            d.waiver_eligible, ${UNMET_RULES} AS unmet_rules, e.amount_cny, e.state AS entitlement_state, d.decided_at, ${SORT_KEY} AS sort_key,
            (SELECT count(*) FROM fraud_signal f WHERE f.student_id = d.student_id AND ${PAYMENT_HOLDING_SIGNAL})::int AS signals
       ${from}
      ${tail}`,
    params.values,
  );
}

/**
 * The cursor after a row: the row's student id alone — its place in the roster's order (student
 * number, then id) is looked up again, so the cursor never carries a student number (ADM-5: under
 * ENR-6/ENR-11 it is the ID number).
 */
export const rosterCursor = (r: RosterRow) => Buffer.from(JSON.stringify([r.student_id])).toString('base64url');

function decodeCursor(after: string): string {
  try {
    const value = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string' && isUuid(value[0])) {
      return value[0];
    }
  } catch {
    // reported below
  }
  throw badUserInput({ zh: 'after 游标无效', en: 'The after cursor is not valid' }, { field: 'after' });
}

/** A period's roster, sorted by student number, paged by a keyset cursor; totals cover the whole filter. */
export async function rosterPage(
  db: Queryable,
  principal: Principal | null,
  filter: RosterFilter,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<RosterPage> {
  const params = new SqlParams();
  const from = await rosterFrom(db, principal, filter, params);
  const filterValues = [...params.values];
  const size = pageSize(first);
  let page = '';
  if (after != null) {
    const studentId = decodeCursor(after);
    page = `AND (${SORT_KEY}, st.student_id) > (SELECT COALESCE(cur.student_number, ''), cur.student_id
      FROM subsidy_student cur WHERE cur.student_id = ${params.add(studentId)}::uuid)`;
  }
  const rows = await rosterRows(db, from, params, `${page} ORDER BY ${SORT_KEY}, st.student_id LIMIT ${size + 1}`);
  let totals: Promise<RosterTotals> | null = null;
  return {
    period: filter.period,
    rows: rows.slice(0, size),
    hasMore: rows.length > size,
    totals: () =>
      (totals ??= selectOne<RosterTotals>(
        db,
        `SELECT count(*)::int AS total, (count(*) FILTER (WHERE d.grant_eligible))::int AS grant,
                (count(*) FILTER (WHERE d.waiver_eligible))::int AS waiver,
                COALESCE(sum(e.amount_cny) FILTER (WHERE d.grant_eligible), 0) AS grant_total
           ${from}`,
        filterValues,
      ).then((row) => row!)),
  };
}

/** Every entry of a period's roster, sorted by student number (the .xlsx export). */
export async function wholeRoster(
  db: Queryable,
  principal: Principal | null,
  filter: RosterFilter,
): Promise<RosterRow[]> {
  const params = new SqlParams();
  const from = await rosterFrom(db, principal, filter, params);
  return rosterRows(db, from, params, `ORDER BY ${SORT_KEY}, st.student_id`);
}

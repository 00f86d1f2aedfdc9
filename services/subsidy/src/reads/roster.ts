import type { Principal } from '@xueji/auth';
import { selectOne, selectRows, SqlParams, type Queryable } from '@xueji/db';
import { badUserInput } from '@xueji/errors';
import { isUuid } from '@xueji/rules';
import type { EntitlementState } from '@xueji/vocabulary';
import { listScope, pageSize } from './scope';
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
    // The scope on the student's copy of it (`subsidy_student_{school,province,city,county}_roster`):
    // a page is read in student-number order within the scope, not the province's order filtered.
    await listScope(db, principal, params, filter, 'st'),
  ];
  if (filter.grantEligible != null) conditions.push(`d.grant_eligible = ${params.add(filter.grantEligible)}`);
  if (filter.waiverEligible != null) conditions.push(`d.waiver_eligible = ${params.add(filter.waiverEligible)}`);
  if (filter.changedSince != null) conditions.push(`d.recorded_at > ${params.add(filter.changedSince)}`);
  return `FROM subsidy_student st
    JOIN eligibility_decision d ON d.student_id = st.student_id
    LEFT JOIN school_catalogue c ON c.school_id = st.school_id
    LEFT JOIN entitlement e ON e.student_id = d.student_id AND e.period = d.period AND e.kind = 'GRANT'
   WHERE ${conditions.join(' AND ')}`;
}

/** A statement as a read runs it; the plan test (`test/list-plans.int.test.ts`) EXPLAINs the same. */
export interface Statement {
  text: string;
  values: unknown[];
}

const rosterStatement = (from: string, params: SqlParams, tail: string): Statement => ({
  text: `SELECT d.student_id, st.student_number, st.name, st.school_id, c.name AS school_name, d.period, d.grant_eligible,
            d.waiver_eligible, ${UNMET_RULES} AS unmet_rules, e.amount_cny, e.state AS entitlement_state, d.decided_at, ${SORT_KEY} AS sort_key,
            (SELECT count(*) FROM fraud_signal f WHERE f.student_id = d.student_id AND ${PAYMENT_HOLDING_SIGNAL})::int AS signals
       ${from}
      ${tail}`,
  values: params.values,
});

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

/** A page's statement and its totals' statement, exactly as `rosterPage` runs them (exported for the plan test). */
export async function rosterStatements(
  db: Queryable,
  principal: Principal | null,
  filter: RosterFilter,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<{ page: Statement; totals: Statement }> {
  const params = new SqlParams();
  const from = await rosterFrom(db, principal, filter, params);
  const totals: Statement = {
    text: `SELECT count(*)::int AS total, (count(*) FILTER (WHERE d.grant_eligible))::int AS grant,
                (count(*) FILTER (WHERE d.waiver_eligible))::int AS waiver,
                COALESCE(sum(e.amount_cny) FILTER (WHERE d.grant_eligible), 0) AS grant_total
           ${from}`,
    values: [...params.values],
  };
  const size = pageSize(first);
  let page = '';
  if (after != null) {
    const studentId = decodeCursor(after);
    // A row of two values, each a parameter to the planner, so the index range starts at the cursor.
    const id = params.add(studentId);
    page = `AND (${SORT_KEY}, st.student_id) >
      ((SELECT COALESCE(cur.student_number, '') FROM subsidy_student cur WHERE cur.student_id = ${id}::uuid), ${id}::uuid)`;
  }
  return {
    page: rosterStatement(from, params, `${page} ORDER BY ${SORT_KEY}, st.student_id LIMIT ${size + 1}`),
    totals,
  };
}

/** A period's roster, sorted by student number, paged by a keyset cursor; totals cover the whole filter, when asked. */
export async function rosterPage(
  db: Queryable,
  principal: Principal | null,
  filter: RosterFilter,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<RosterPage> {
  const statements = await rosterStatements(db, principal, filter, first, after);
  const size = pageSize(first);
  const rows = await selectRows<RosterRow>(db, statements.page.text, statements.page.values);
  let totals: Promise<RosterTotals> | null = null;
  return {
    period: filter.period,
    rows: rows.slice(0, size),
    hasMore: rows.length > size,
    totals: () =>
      (totals ??= selectOne<RosterTotals>(db, statements.totals.text, statements.totals.values).then((row) => row!)),
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
  const statement = rosterStatement(from, params, `ORDER BY ${SORT_KEY}, st.student_id`);
  return selectRows<RosterRow>(db, statement.text, statement.values);
}

import DataLoader from 'dataloader';
import type { Principal } from '@xueji/auth';
import { selectRows, SqlParams, type Queryable } from '@xueji/db';
import { badUserInput } from '@xueji/errors';
import { decodeCursor, microsCursorSql, microsInstant, toPage, type Page } from '@xueji/pagination';
import { isIsoDate } from '@xueji/rules';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { Reason } from '../domain/eligibility';
import type { PeriodFacts } from '../domain/timeline';
import { listScope, pageSize } from './scope';

/** Reasons as stored in `eligibility_decision.reasons`. */
export interface StoredReasons {
  grant: Reason[];
  tuitionWaiver: Reason[];
}

/** A current decision as recomputation compares it with the new one. */
export interface CurrentDecisionRow {
  id: number;
  period: string;
  starts_on: string;
  grant_eligible: boolean;
  waiver_eligible: boolean;
  reasons: StoredReasons;
  facts: PeriodFacts;
}

/** One period's decision (`eligibility_decision`), as the timeline and reconciliation show it. */
export interface DecisionRow {
  student_id: string;
  period: string;
  starts_on: string;
  grant_eligible: boolean;
  waiver_eligible: boolean;
  reasons: StoredReasons;
  facts: PeriodFacts;
  /** The time of the event that led to it. */
  decided_at: Date;
  /** When subsidy wrote it. */
  recorded_at: Date;
}

const DECISION_COLUMNS = `d.student_id, d.period, to_char(d.period_starts_on, 'YYYY-MM-DD') AS starts_on, d.grant_eligible,
  d.waiver_eligible, d.reasons, d.facts, d.decided_at, d.recorded_at`;

/** Rows of many students, grouped by student in the order asked (PostgreSQL writes uuids in lower case). */
export function byStudent<R extends { student_id: string }>(ids: readonly string[], rows: R[]): R[][] {
  const grouped = new Map<string, R[]>(ids.map((id) => [id.toLowerCase(), []]));
  for (const row of rows) grouped.get(row.student_id)?.push(row);
  return ids.map((id) => grouped.get(id.toLowerCase())!);
}

/**
 * The timelines of every student a request asks for, oldest period first, in one statement: the
 * current decisions, or with `asOf` those in force then (a row is in force from its decision
 * until another superseded it, both stamped with event times).
 */
export function timelines(ctx: ServiceContext, asOf: Date | null): DataLoader<string, DecisionRow[]> {
  return perRequest(
    ctx,
    `subsidy-timelines:${asOf?.toISOString() ?? 'current'}`,
    () =>
      new DataLoader<string, DecisionRow[]>(async (ids) =>
        byStudent(
          ids,
          await selectRows<DecisionRow>(
            ctx.dataSource,
            asOf === null
              ? `SELECT ${DECISION_COLUMNS} FROM eligibility_decision d
                  WHERE d.student_id = ANY($1::uuid[]) AND d.superseded_at IS NULL
                  ORDER BY d.student_id, d.period_starts_on`
              : `SELECT ${DECISION_COLUMNS} FROM eligibility_decision d
                  WHERE d.student_id = ANY($1::uuid[]) AND d.decided_at <= $2
                    AND (d.superseded_at IS NULL OR d.superseded_at > $2)
                  ORDER BY d.student_id, d.period_starts_on`,
            asOf === null ? [ids] : [ids, asOf],
          ),
        ),
      ),
  );
}

/**
 * Reconciliation's statement, as `decisionsRecordedSince` and `decisionChanges` run it (exported for
 * the plan test): read in its whole order on `eligibility_decision_changes` (current decisions by
 * `recorded_at, student_id, period_starts_on`), so a batch recorded in one transaction is not sorted
 * per page; `after` (the last row of the previous page) continues in that order.
 */
export async function decisionsChangedStatement(
  db: Queryable,
  principal: Principal | null,
  since: Date,
  limit: number,
  after: DecisionCursor | null = null,
): Promise<{ text: string; values: unknown[] }> {
  const params = new SqlParams();
  const scope = await listScope(db, principal, params);
  const past = after
    ? ` AND (d.recorded_at, d.student_id, d.period_starts_on) >
          (${params.add(after.recordedAt)}::timestamptz, ${params.add(after.studentId)}::uuid, ${params.add(after.startsOn)}::date)`
    : '';
  return {
    text: `SELECT ${DECISION_COLUMNS}, ${microsCursorSql('d.recorded_at')} AS recorded_micros
       FROM eligibility_decision d JOIN student_scope s ON s.student_id = d.student_id
      WHERE d.superseded_at IS NULL AND d.recorded_at > ${params.add(since)}${past} AND ${scope}
      ORDER BY d.recorded_at, d.student_id, d.period_starts_on
      LIMIT ${limit}`,
    values: params.values,
  };
}

/** Where a page of changed decisions ends: its last row's order key (recorded to the microsecond). */
export interface DecisionCursor {
  recordedAt: string;
  studentId: string;
  startsOn: string;
}

type ChangedRow = DecisionRow & { recorded_micros: string };

/**
 * Reconciliation: current decisions recorded after `since`, in the caller's region or school,
 * oldest first. It polls on when a decision was written, not the event time it carries, so a late
 * event is not missed.
 */
export async function decisionsRecordedSince(
  ctx: ServiceContext,
  since: Date,
  first: number | null | undefined,
): Promise<DecisionRow[]> {
  const statement = await decisionsChangedStatement(ctx.dataSource, ctx.principal, since, pageSize(first));
  return selectRows<DecisionRow>(ctx.dataSource, statement.text, statement.values);
}

/** `decisionsRecordedSince` as a keyset connection (issue 13): a batch larger than a page pages on. */
export async function decisionChanges(
  ctx: ServiceContext,
  since: Date,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Page<DecisionRow>> {
  const size = pageSize(first);
  let cursor: DecisionCursor | null = null;
  if (after != null) {
    const [micros, studentId, startsOn] = decodeCursor(after, ['micros', 'uuid', 'text']) as string[];
    if (!isIsoDate(startsOn!)) throw badUserInput({ zh: '分页游标无效', en: 'Invalid cursor' }, { field: 'after' });
    cursor = { recordedAt: microsInstant(micros!)!, studentId: studentId!, startsOn: startsOn! };
  }
  const statement = await decisionsChangedStatement(ctx.dataSource, ctx.principal, since, size + 1, cursor);
  const rows = await selectRows<ChangedRow>(ctx.dataSource, statement.text, statement.values);
  return toPage<DecisionRow>(rows, size, after, (row) => {
    const r = row as ChangedRow;
    return [r.recorded_micros, r.student_id, r.starts_on];
  });
}

/** SB-5 / ENR-18: one period the waiver was ever granted for. */
export interface WaiverPeriodRow {
  period: string;
  granted_at: Date;
  still_granted: boolean;
}

/** A student's waiver record: the periods, and whether the major is agriculture-related. */
export interface WaiverRecord {
  periods: WaiverPeriodRow[];
  agricultureRelated: boolean | null;
}

/**
 * The waiver records of every student a request asks for, from the decision history (superseded
 * decisions included), in one statement.
 */
export function waiverRecords(ctx: ServiceContext): DataLoader<string, WaiverRecord> {
  return perRequest(
    ctx,
    'subsidy-waiver-records',
    () =>
      new DataLoader<string, WaiverRecord>(async (ids) => {
        const rows = await selectRows<
          { student_id: string; agriculture_related: boolean | null } & {
            [K in keyof WaiverPeriodRow]: WaiverPeriodRow[K] | null;
          }
        >(
          ctx.dataSource,
          `SELECT s.id AS student_id, st.agriculture_related, p.period, p.granted_at, p.still_granted
             FROM unnest($1::uuid[]) AS s(id)
             LEFT JOIN subsidy_student st ON st.student_id = s.id
             LEFT JOIN LATERAL (
               SELECT period, period_starts_on, min(decided_at) FILTER (WHERE waiver_eligible) AS granted_at,
                      bool_or(waiver_eligible AND superseded_at IS NULL) AS still_granted
                 FROM eligibility_decision WHERE student_id = s.id
                GROUP BY period, period_starts_on HAVING bool_or(waiver_eligible)) p ON true
            ORDER BY s.id, p.period_starts_on`,
          [ids],
        );
        return byStudent(ids, rows).map((own) => ({
          agricultureRelated: own[0]?.agriculture_related ?? null,
          periods: own.flatMap((r) =>
            r.period === null || r.granted_at === null || r.still_granted === null
              ? []
              : [{ period: r.period, granted_at: r.granted_at, still_granted: r.still_granted }],
          ),
        }));
      }),
  );
}

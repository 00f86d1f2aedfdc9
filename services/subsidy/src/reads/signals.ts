import DataLoader from 'dataloader';
import type { Principal } from '@xueji/auth';
import { selectOne, selectRows, SqlParams, type Queryable } from '@xueji/db';
import { badUserInput } from '@xueji/errors';
import { isUuid } from '@xueji/rules';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { FraudSignalKind, FraudSignalState } from '@xueji/vocabulary';
import { byStudent } from './decisions';
import { listScope, pageSize, type ListFilter } from './scope';

/** One SB-4 fraud signal (`fraud_signal`), with its evidence and review. */
export interface SignalRow {
  id: string;
  student_id: string;
  kind: FraudSignalKind;
  period: string | null;
  message_zh: string;
  message_en: string;
  evidence: Record<string, unknown>;
  raised_at: Date;
  still_holds: boolean;
  checked_at: Date;
  state: FraudSignalState;
  reviewed_by: string | null;
  review_reason: string | null;
  reviewed_at: Date | null;
}

/** A signal with the scope of its student (null when subsidy has no scope for the student). */
export type ScopedSignalRow = SignalRow & { school_id: string | null; region_code: string | null };

/** SB-4: the signals that hold a student's payments (`f` is `fraud_signal f`): confirmed, or open while the finding still holds. */
export const PAYMENT_HOLDING_SIGNAL = `(f.state = 'CONFIRMED' OR (f.state = 'OPEN' AND f.still_holds))`;

const SIGNAL_COLUMNS = `f.id, f.student_id, f.kind, f.period, f.message_zh, f.message_en, f.evidence, f.raised_at,
  f.still_holds, f.checked_at, f.state, f.reviewed_by, f.review_reason, f.reviewed_at`;

/** Which signals a list shows, inside the caller's region or school. */
export interface SignalFilter extends ListFilter {
  state?: FraudSignalState | null;
  kind?: FraudSignalKind | null;
}

/**
 * SB-4: the statement of a page of the caller's signals, newest first (ties by id, descending), as
 * `listFraudSignals` runs it (exported for the plan test). Keyset: `after` is the last signal of
 * the previous page; the page reads `fraud_signal_list` backwards from it.
 */
export async function fraudSignalsStatement(
  db: Queryable,
  principal: Principal | null,
  filter: SignalFilter,
  first: number | null | undefined,
  after?: string | null,
): Promise<{ text: string; values: unknown[] }> {
  const params = new SqlParams();
  const conditions = [await listScope(db, principal, params, filter)];
  if (filter.state) conditions.push(`f.state = ${params.add(filter.state)}`);
  if (filter.kind) conditions.push(`f.kind = ${params.add(filter.kind)}`);
  if (after != null) {
    if (!isUuid(after))
      throw badUserInput(
        { zh: 'after 应为上一页最后一条信号的编号', en: 'after must be the id of a signal' },
        { field: 'after' },
      );
    const id = params.add(after);
    conditions.push(
      `(f.raised_at, f.id) < ((SELECT c.raised_at FROM fraud_signal c WHERE c.id = ${id}::uuid), ${id}::uuid)`,
    );
  }
  return {
    text: `SELECT ${SIGNAL_COLUMNS} FROM fraud_signal f JOIN student_scope s ON s.student_id = f.student_id
      WHERE ${conditions.join(' AND ')} ORDER BY f.raised_at DESC, f.id DESC LIMIT ${pageSize(first)}`,
    values: params.values,
  };
}

/** SB-4: the signals of the caller's region or school, newest first, a page after `after`. */
export async function listFraudSignals(
  ctx: ServiceContext,
  filter: SignalFilter,
  first: number | null | undefined,
  after?: string | null,
): Promise<SignalRow[]> {
  const statement = await fraudSignalsStatement(ctx.dataSource, ctx.principal, filter, first, after);
  return selectRows<SignalRow>(ctx.dataSource, statement.text, statement.values);
}

/** The signals of every student a request asks for, newest first, in one statement. */
export function signalsOfStudents(ctx: ServiceContext): DataLoader<string, SignalRow[]> {
  return perRequest(
    ctx,
    'subsidy-student-signals',
    () =>
      new DataLoader<string, SignalRow[]>(async (ids) =>
        byStudent(
          ids,
          await selectRows<SignalRow>(
            ctx.dataSource,
            `SELECT ${SIGNAL_COLUMNS} FROM fraud_signal f WHERE f.student_id = ANY($1::uuid[])
              ORDER BY f.student_id, f.raised_at DESC, f.id`,
            [ids],
          ),
        ),
      ),
  );
}

/** A signal to review, locked until the review commits, with its student's scope. */
export function signalForReview(db: Queryable, id: string): Promise<ScopedSignalRow | null> {
  return selectOne<ScopedSignalRow>(
    db,
    `SELECT ${SIGNAL_COLUMNS}, s.school_id, s.region_code
       FROM fraud_signal f LEFT JOIN student_scope s ON s.student_id = f.student_id
      WHERE f.id = $1 FOR UPDATE OF f`,
    [id],
  );
}

/** SB-4: which of these students have a signal that holds their payments. */
export async function studentsWithPaymentHold(db: Queryable, studentIds: string[]): Promise<string[]> {
  const rows = await selectRows<{ student_id: string }>(
    db,
    `SELECT DISTINCT f.student_id FROM fraud_signal f
      WHERE f.student_id = ANY($1::uuid[]) AND ${PAYMENT_HOLDING_SIGNAL}
      ORDER BY f.student_id`,
    [studentIds],
  );
  return rows.map((r) => r.student_id);
}

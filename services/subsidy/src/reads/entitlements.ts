import DataLoader from 'dataloader';
import { selectRows, type Queryable } from '@xueji/db';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { EntitlementKind, EntitlementState } from '@xueji/vocabulary';
import { byStudent } from './decisions';

/** A grant payment owed for a period (`entitlement`, SB-3). */
export interface EntitlementRow {
  id: string;
  student_id: string;
  period: string;
  kind: EntitlementKind;
  /** numeric(10, 2), as the driver gives it. */
  amount_cny: string;
  state: EntitlementState;
  recovery_flagged: boolean;
  paid_at: Date | null;
  cancelled_at: Date | null;
}

/** An entitlement with the scope of its student (null when subsidy has no scope for the student). */
export type ScopedEntitlementRow = EntitlementRow & { school_id: string | null; region_code: string | null };

const ENTITLEMENT_COLUMNS = `e.id, e.student_id, e.period, e.kind, e.amount_cny, e.state, e.recovery_flagged, e.paid_at, e.cancelled_at`;

/** The entitlements of every student a request asks for, oldest period first, in one statement. */
export function entitlementsOfStudents(ctx: ServiceContext): DataLoader<string, EntitlementRow[]> {
  return perRequest(
    ctx,
    'subsidy-student-entitlements',
    () =>
      new DataLoader<string, EntitlementRow[]>(async (ids) =>
        byStudent(
          ids,
          await selectRows<EntitlementRow>(
            ctx.dataSource,
            `SELECT ${ENTITLEMENT_COLUMNS} FROM entitlement e WHERE e.student_id = ANY($1::uuid[])
              ORDER BY e.student_id, e.period_starts_on, e.kind`,
            [ids],
          ),
        ),
      ),
  );
}

/** Entitlements to pay, by id order, locked until the payment commits, with their students' scope. */
export function entitlementsForPayment(db: Queryable, ids: string[]): Promise<ScopedEntitlementRow[]> {
  return selectRows<ScopedEntitlementRow>(
    db,
    `SELECT ${ENTITLEMENT_COLUMNS}, s.school_id, s.region_code
       FROM entitlement e LEFT JOIN student_scope s ON s.student_id = e.student_id
      WHERE e.id = ANY($1::uuid[]) ORDER BY e.id FOR UPDATE OF e`,
    [ids],
  );
}

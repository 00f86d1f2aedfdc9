import { selectRows, type Queryable } from '@xueji/db';

/** The scheduled job's reads: what has come due today. */

/** Approved requests whose effective date has come (oldest date first). */
export async function dueRequestIds(db: Queryable, today: string): Promise<string[]> {
  const rows = await selectRows<{ id: string }>(
    db,
    `SELECT id FROM change_request WHERE state = 'APPROVED' AND effective_date <= $1 ORDER BY effective_date, submitted_at`,
    [today],
  );
  return rows.map((row) => row.id);
}

/** A suspended student's latest suspension that no resumption ended (SC-17: overdue once its end has passed). */
export interface UnresumedSuspensionRow {
  studentId: string;
  /** YYYY-MM-DD: the last day of the suspension. */
  toDate: string;
}

export function unresumedSuspensions(db: Queryable): Promise<UnresumedSuspensionRow[]> {
  return selectRows<UnresumedSuspensionRow>(
    db,
    `SELECT DISTINCT ON (p.student_id) p.student_id AS "studentId", p.to_date::text AS "toDate" FROM suspension_period p
       JOIN student_status s ON s.student_id = p.student_id AND s.code = 'SUSPENDED'
      WHERE p.resumed_on IS NULL ORDER BY p.student_id, p.to_date DESC`,
  );
}

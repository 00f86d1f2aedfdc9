import type { EntityManager } from 'typeorm';

/**
 * Serialise one student's writes: events of two topics may be applied at once (the consumer
 * applies three partitions concurrently), and a scheduled job may run beside them.
 */
export async function lockStudent(manager: EntityManager, studentId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('subsidy:' || $1))`, [studentId]);
}

/**
 * Never move the horizon back: it is the latest day any event of the student happened. Most
 * commands extend it in the statement that applies their event; this is for the others.
 */
export async function extendHorizon(manager: EntityManager, studentId: string, day: string): Promise<void> {
  await manager.query(
    `UPDATE subsidy_student SET horizon = GREATEST(COALESCE(horizon, $2::date), $2::date) WHERE student_id = $1`,
    [studentId, day],
  );
}

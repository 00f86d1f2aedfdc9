import type { MigrationInterface, QueryRunner } from 'typeorm';

// The closed list as it stood when this migration was written (@xueji/vocabulary STATUS_CODES).
const STATUS_CODES = [
  'REGISTRATION_PENDING',
  'ACTIVE',
  'SUSPENDED',
  'WITHDRAWN',
  'CANCELLED',
  'DECEASED',
  'TRANSFERRED_OUT',
  'EXPELLED',
  'GRADUATED',
  'COMPLETED',
] as const;

/** `'A', 'B'` for a CHECK … IN (…) of a vocabulary list. */
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * The student's status as status-change publishes it (`status.changed`'s `newStatus`), and the day it
 * took effect: a student who has left (withdrawal, cancellation, death, expulsion, graduation,
 * completion) gets no new results, conduct, attendance, rewards, sanctions or internships; a suspended
 * one no attendance (SC-14); a resumption brings the student back (SC-15). Rows approved before this
 * migration are ACTIVE with no date.
 */
export class StudyRecordStatus1763800014400 implements MigrationInterface {
  name = 'StudyRecordStatus1763800014400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE study_record
        ADD COLUMN status       text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN (${list(STATUS_CODES)})),
        ADD COLUMN status_since date`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE study_record DROP COLUMN status_since, DROP COLUMN status`);
  }
}

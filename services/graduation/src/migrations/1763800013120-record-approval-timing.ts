import type { MigrationInterface, QueryRunner } from 'typeorm';

// The closed list as it stood when this migration was written (@xueji/vocabulary APPROVED_RECORD_KINDS).
const APPROVED_RECORD_KINDS = ['REGISTRATION', 'TRANSFER', 'RESUMPTION', 'MAJOR_CHANGE', 'DATA_CORRECTION'] as const;

/**
 * GR-1 (jilin): each registration, transfer-in, resumption, major-change and data-change record of a
 * student, with when the school submitted it, when the authority finally approved it (China days) and
 * whether that was in time (ADM-3 / SC-22). One row per event; the timing is null for a record
 * published before its producer said (not known late).
 */
export class RecordApprovalTiming1763800013120 implements MigrationInterface {
  name = 'RecordApprovalTiming1763800013120';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE graduation_approved_record (
        event_id     uuid    PRIMARY KEY,
        student_id   uuid    NOT NULL,
        kind         text    NOT NULL CHECK (kind IN (${APPROVED_RECORD_KINDS.map((k) => `'${k}'`).join(', ')})),
        submitted_on date,
        approved_on  date,
        in_time      boolean
      )`);
    await runner.query(
      `CREATE INDEX graduation_approved_record_student ON graduation_approved_record (student_id, approved_on)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE graduation_approved_record`);
  }
}

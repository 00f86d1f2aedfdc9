import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The roster's order (student number, then id) as an index, so a page is read in order, not
 * sorted; and double-status signals by the other record, which every judgement of it updates.
 */
export class AddRosterIndexes1763800005500 implements MigrationInterface {
  name = 'AddRosterIndexes1763800005500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX subsidy_student_roster_order ON subsidy_student ((COALESCE(student_number, '')), student_id)`,
    );
    await runner.query(
      `CREATE INDEX fraud_signal_double_status ON fraud_signal (subject_key) WHERE kind = 'DOUBLE_STATUS'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX fraud_signal_double_status`);
    await runner.query(`DROP INDEX subsidy_student_roster_order`);
  }
}

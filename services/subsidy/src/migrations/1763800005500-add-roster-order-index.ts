import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The roster's order (student number, then id) as an index, so a page is read in order, not sorted. */
export class AddRosterOrderIndex1763800005500 implements MigrationInterface {
  name = 'AddRosterOrderIndex1763800005500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX subsidy_student_roster_order ON subsidy_student ((COALESCE(student_number, '')), student_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX subsidy_student_roster_order`);
  }
}

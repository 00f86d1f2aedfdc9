import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13: a search by a surname (one character) in registration order, read on one index. On
 * `student_name_prefix` a surname's every match in scope was read and sorted (20,000 of a million
 * students for a surname of 2%), so the page cost grew with the table; here a page reads its 51
 * rows in order, whatever the surname, the region filter answered from the index too.
 */
export class IndexStudentSurnameOrder1763800015000 implements MigrationInterface {
  name = 'IndexStudentSurnameOrder1763800015000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX student_surname_order ON student (left(name, 1), registered_at, id) INCLUDE (region_code, school_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX student_surname_order`);
  }
}

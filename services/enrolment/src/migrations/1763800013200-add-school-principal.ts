import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GR-11: the name of the school's principal (校长), which the public lookup of a certificate shows;
 * null until set. At most 30 characters, as the input rule checks.
 */
export class AddSchoolPrincipal1763800013200 implements MigrationInterface {
  name = 'AddSchoolPrincipal1763800013200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE school ADD COLUMN principal_name text CHECK (char_length(principal_name) BETWEEN 1 AND 30)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE school DROP COLUMN principal_name`);
  }
}

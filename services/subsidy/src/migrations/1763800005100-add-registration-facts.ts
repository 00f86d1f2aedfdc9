import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The facts of an approved registration that eligibility needs (SB-1, SB-6). */
export class AddRegistrationFacts1763800005100 implements MigrationInterface {
  name = 'AddRegistrationFacts1763800005100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE subsidy_student
        ADD COLUMN entry_date            date,
        ADD COLUMN study_form            text,
        ADD COLUMN household             text,
        ADD COLUMN major_waiver_excluded boolean,
        ADD COLUMN status_as_of          timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE subsidy_student
        DROP COLUMN entry_date, DROP COLUMN study_form, DROP COLUMN household,
        DROP COLUMN major_waiver_excluded, DROP COLUMN status_as_of`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The student's status as status-change publishes it (SB-2, SB-3, SC-14). */
export class AddStudentStatus1763800005200 implements MigrationInterface {
  name = 'AddStudentStatus1763800005200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE subsidy_student
        ADD COLUMN student_status         text,
        ADD COLUMN student_status_since   date,
        ADD COLUMN student_status_as_of   timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE subsidy_student DROP COLUMN student_status, DROP COLUMN student_status_since, DROP COLUMN student_status_as_of`,
    );
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSubsidyStudents1763800005000 implements MigrationInterface {
  name = 'CreateSubsidyStudents1763800005000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE subsidy_student (
        student_id          uuid        PRIMARY KEY,
        registration_status text        NOT NULL,
        registered_at       timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE subsidy_student`);
  }
}

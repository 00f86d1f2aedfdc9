import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateGraduationCases1763800004000 implements MigrationInterface {
  name = 'CreateGraduationCases1763800004000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE graduation_case (
        student_id     uuid PRIMARY KEY,
        stage          text NOT NULL,
        diploma_number text UNIQUE
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE graduation_case`);
  }
}

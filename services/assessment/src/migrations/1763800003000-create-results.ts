import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateResults1763800003000 implements MigrationInterface {
  name = 'CreateResults1763800003000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE course_result (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id uuid NOT NULL,
        semester   text NOT NULL,
        course     text NOT NULL,
        score      numeric(5, 1)
      )`);
    await runner.query(`CREATE INDEX course_result_student ON course_result (student_id)`);
    await runner.query(`
      CREATE TABLE attendance_record (
        id           uuid    PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id   uuid    NOT NULL,
        semester     text    NOT NULL,
        truant_hours integer NOT NULL CHECK (truant_hours >= 0)
      )`);
    await runner.query(`CREATE INDEX attendance_record_student ON attendance_record (student_id, semester)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE attendance_record`);
    await runner.query(`DROP TABLE course_result`);
  }
}

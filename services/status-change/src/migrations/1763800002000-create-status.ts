import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStatus1763800002000 implements MigrationInterface {
  name = 'CreateStatus1763800002000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE student_status (
        student_id uuid        PRIMARY KEY,
        code       text        NOT NULL,
        since      timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE status_change (
        seq             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        student_id      uuid        NOT NULL,
        kind            text        NOT NULL,
        previous_status text,
        new_status      text        NOT NULL,
        effective_at    timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX status_change_student ON status_change (student_id, effective_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE status_change`);
    await runner.query(`DROP TABLE student_status`);
  }
}

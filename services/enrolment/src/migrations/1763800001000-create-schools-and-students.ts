import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSchoolsAndStudents1763800001000 implements MigrationInterface {
  name = 'CreateSchoolsAndStudents1763800001000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE school (
        id          uuid    PRIMARY KEY DEFAULT gen_random_uuid(),
        code        text    NOT NULL UNIQUE,
        name        text    NOT NULL,
        region_code char(6) NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE student (
        id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        name                text        NOT NULL,
        id_number           char(18)    NOT NULL,
        school_id           uuid        NOT NULL REFERENCES school (id),
        registration_status text        NOT NULL
          CHECK (registration_status IN ('SUBMITTED', 'APPROVED', 'REJECTED', 'CANCELLED')),
        registered_at       timestamptz NOT NULL DEFAULT now(),
        registered_by       text        NOT NULL
      )`);
    await runner.query(`CREATE INDEX student_school ON student (school_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE student`);
    await runner.query(`DROP TABLE school`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SB-4 / ENR-8: runs of absence without leave assessment reports (SC-17's consecutive days), kept per
 * student and first day, so a period claimed while the student was away is flagged as a ghost student.
 */
export class AddStudentAbsence1763800010900 implements MigrationInterface {
  name = 'AddStudentAbsence1763800010900';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE student_absence (
        student_id  uuid        NOT NULL,
        absent_from date        NOT NULL,
        absent_to   date        NOT NULL,
        absent_days integer     NOT NULL CHECK (absent_days > 0),
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (student_id, absent_from)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE student_absence`);
  }
}

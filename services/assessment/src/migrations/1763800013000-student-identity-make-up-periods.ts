import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11 follow-up. `student_identity`: the student number (学号, ENR-11, from enrolment's
 * `registration.approved`) and the name (姓名, from `student.registered`, corrected by SC-21), so the
 * results sheet is keyed as schools key it; stored whole, masked as it is read (ADM-5).
 * `make_up_period`: the make-up windows a school sets per plan and semester (AS-3 timing), and the
 * exam date of a sitting on `course_result`. `credit_recognition_page`: `Student.creditRecognitions`.
 */
export class StudentIdentityMakeUpPeriods1763800013000 implements MigrationInterface {
  name = 'StudentIdentityMakeUpPeriods1763800013000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE student_identity (
        student_id     uuid        PRIMARY KEY,
        student_number text,
        number_as_of   timestamptz,
        name           text,
        name_as_of     timestamptz
      )`);
    await runner.query(`CREATE INDEX student_identity_number ON student_identity (student_number)`);
    await runner.query(`
      CREATE TABLE make_up_period (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id     uuid        NOT NULL REFERENCES teaching_plan (id),
        study_year  int         NOT NULL CHECK (study_year BETWEEN 1 AND 8),
        semester    int         NOT NULL CHECK (semester BETWEEN 1 AND 2),
        starts_on   date        NOT NULL,
        ends_on     date        NOT NULL,
        recorded_at timestamptz NOT NULL,
        CHECK (ends_on >= starts_on),
        UNIQUE (plan_id, study_year, semester, starts_on)
      )`);
    await runner.query(`ALTER TABLE course_result ADD COLUMN exam_date date`);
    await runner.query(`CREATE INDEX credit_recognition_page ON credit_recognition (student_id, recorded_at, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX credit_recognition_page`);
    await runner.query(`ALTER TABLE course_result DROP COLUMN exam_date`);
    await runner.query(`DROP TABLE make_up_period`);
    await runner.query(`DROP TABLE student_identity`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

// The closed lists as they stood when this migration was written (@xueji/vocabulary): a landed
// migration never changes, so a later change of a list comes with a migration of its own.
const CREDIT_RECOGNITION_KINDS = [
  'VOCATIONAL_QUALIFICATION',
  'SKILL_CERTIFICATE',
  'PRIOR_WORK',
  'MEDICAL_EXEMPTION',
] as const;

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * AS-4 / AS-6: a school's table converting certificates and prior work into credits or exempted
 * courses, and each student's recognitions (a PE exemption on a hospital certificate among them).
 */
export class CreateCreditRecognition1763800010100 implements MigrationInterface {
  name = 'CreateCreditRecognition1763800010100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE credit_conversion (
        id                  uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
        school_id           uuid          NOT NULL,
        kind                text          NOT NULL CHECK (kind IN (${list(CREDIT_RECOGNITION_KINDS)})),
        certificate_code    text          NOT NULL,
        credits             numeric(4, 1) NOT NULL CHECK (credits >= 0),
        exempt_course_codes text[]        NOT NULL,
        updated_at          timestamptz   NOT NULL,
        UNIQUE (school_id, kind, certificate_code)
      )`);
    await runner.query(`
      CREATE TABLE credit_recognition (
        id               uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id       uuid          NOT NULL,
        school_id        uuid          NOT NULL,
        kind             text          NOT NULL CHECK (kind IN (${list(CREDIT_RECOGNITION_KINDS)})),
        certificate_code text          NOT NULL,
        credits          numeric(4, 1) NOT NULL CHECK (credits >= 0),
        evidence_ref     text          NOT NULL,
        recorded_at      timestamptz   NOT NULL,
        UNIQUE (student_id, kind, certificate_code)
      )`);
    await runner.query(`
      CREATE TABLE course_exemption (
        student_id     uuid NOT NULL,
        course_id      uuid NOT NULL REFERENCES course (id),
        recognition_id uuid NOT NULL REFERENCES credit_recognition (id),
        PRIMARY KEY (student_id, course_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE course_exemption`);
    await runner.query(`DROP TABLE credit_recognition`);
    await runner.query(`DROP TABLE credit_conversion`);
  }
}

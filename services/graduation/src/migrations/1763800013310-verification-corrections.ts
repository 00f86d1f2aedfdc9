import type { MigrationInterface, QueryRunner } from 'typeorm';

// The closed lists as this migration writes them (@xueji/vocabulary); a landed migration never changes.
const SEXES = ['MALE', 'FEMALE'] as const;
const STUDY_FORMS = ['FULL_TIME', 'PART_TIME', 'FLEXIBLE'] as const;
const VERIFICATION_CORRECTION_STATES = ['SUBMITTED', 'APPROVED', 'REJECTED'] as const;

const inList = (column: string, values: readonly string[]) =>
  `CHECK (${column} IN (${values.map((v) => `'${v}'`).join(', ')}))`;

/**
 * GR-12 (fujian): wrong or missing verification data are corrected by the issuing school through the
 * authority. The data a certificate shows are its own once corrected (`holder_*`, null: as the student's
 * record says; major and study form are the certificate's columns already), and each correction is kept:
 * what the school asked, why, on what evidence, who decided when, and on approval what was shown before.
 * The reviewers' queue reads by state (`verification_correction_state`), a registrar's by school, a
 * certificate's history by certificate; one correction awaits at a time per certificate.
 */
export class VerificationCorrections1763800013310 implements MigrationInterface {
  name = 'VerificationCorrections1763800013310';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE certificate ADD COLUMN holder_name text,
                               ADD COLUMN holder_sex text ${inList('holder_sex', SEXES)},
                               ADD COLUMN holder_birth_date date`,
    );
    await runner.query(`
      CREATE TABLE verification_correction (
        id              uuid        PRIMARY KEY,
        certificate_id  uuid        NOT NULL REFERENCES certificate (id),
        school_id       uuid        NOT NULL,
        state           text        NOT NULL ${inList('state', VERIFICATION_CORRECTION_STATES)},
        name            text,
        sex             text        ${inList('sex', SEXES)},
        birth_date      date,
        major_code      text,
        study_form      text        ${inList('study_form', STUDY_FORMS)},
        reason          text        NOT NULL,
        evidence_ref    text        NOT NULL,
        requested_at    timestamptz NOT NULL,
        requested_by    text        NOT NULL,
        before          jsonb,
        decided_at      timestamptz,
        decided_by      text,
        decision_reason text
      )`);
    await runner.query(
      `CREATE INDEX verification_correction_state ON verification_correction (state, requested_at, id)`,
    );
    await runner.query(
      `CREATE INDEX verification_correction_school ON verification_correction (school_id, requested_at, id)`,
    );
    await runner.query(
      `CREATE INDEX verification_correction_certificate ON verification_correction (certificate_id, requested_at)`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX verification_correction_one_open ON verification_correction (certificate_id)
        WHERE state = 'SUBMITTED'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE verification_correction`);
    await runner.query(
      `ALTER TABLE certificate DROP COLUMN holder_name, DROP COLUMN holder_sex, DROP COLUMN holder_birth_date`,
    );
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SB-4 fraud signals and the facts they are judged on (ID-number digest, major, teaching point,
 * the school's approvals, term-registration lapses, truancy); the roster's columns (name, student
 * number) and its index by period; when each decision was recorded, for reconciliation.
 */
export class AddFraudSignals1763800005400 implements MigrationInterface {
  name = 'AddFraudSignals1763800005400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE subsidy_student
        ADD COLUMN name                text,
        ADD COLUMN student_number      text,
        ADD COLUMN id_number_digest    text,
        ADD COLUMN major_code          text,
        ADD COLUMN agriculture_related boolean,
        ADD COLUMN teaching_point_id   uuid,
        ADD COLUMN approved_at         timestamptz,
        ADD COLUMN holds_status        boolean NOT NULL DEFAULT false`);
    await runner.query(`
      UPDATE subsidy_student SET holds_status = registration_status = 'APPROVED' AND (student_status IS NULL OR
        student_status NOT IN ('WITHDRAWN', 'CANCELLED', 'DECEASED', 'TRANSFERRED_OUT', 'EXPELLED', 'GRADUATED', 'COMPLETED'))`);
    // When a decision was written, as opposed to the event time it is stamped with: what reconciliation polls on.
    await runner.query(`ALTER TABLE eligibility_decision ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now()`);
    await runner.query(`CREATE INDEX eligibility_decision_recorded ON eligibility_decision (recorded_at)`);
    await runner.query(
      `CREATE INDEX subsidy_student_id_number ON subsidy_student (id_number_digest) WHERE holds_status`,
    );
    await runner.query(`CREATE INDEX subsidy_student_number ON subsidy_student (student_number, student_id)`);
    await runner.query(`
      CREATE TABLE school_catalogue (
        school_id            uuid        PRIMARY KEY,
        code                 text        NOT NULL,
        name                 text        NOT NULL,
        region_code          char(6)     NOT NULL,
        approved_major_codes text[],
        teaching_point_ids   uuid[],
        as_of                timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE term_lapse (
        student_id     uuid        NOT NULL,
        term           text        NOT NULL,
        term_starts_on date        NOT NULL,
        detected_at    timestamptz NOT NULL,
        PRIMARY KEY (student_id, term)
      )`);
    await runner.query(`
      CREATE TABLE student_truancy (
        student_id   uuid        NOT NULL,
        semester     text        NOT NULL,
        truant_hours int         NOT NULL,
        recorded_at  timestamptz NOT NULL,
        PRIMARY KEY (student_id, semester)
      )`);
    await runner.query(`
      CREATE TABLE fraud_signal (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id    uuid        NOT NULL,
        kind          text        NOT NULL CHECK (kind IN
                        ('DOUBLE_STATUS', 'GHOST_STUDENT', 'LATE_REGISTRATION', 'UNAPPROVED_MAJOR', 'OFF_SITE_POINT')),
        subject_key   text        NOT NULL,
        period        text,
        message_zh    text        NOT NULL,
        message_en    text        NOT NULL,
        evidence      jsonb       NOT NULL,
        raised_at     timestamptz NOT NULL,
        still_holds   boolean     NOT NULL DEFAULT true,
        checked_at    timestamptz NOT NULL,
        state         text        NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'CONFIRMED', 'DISMISSED')),
        reviewed_by   text,
        review_reason text,
        reviewed_at   timestamptz,
        UNIQUE (student_id, kind, subject_key)
      )`);
    await runner.query(`CREATE INDEX fraud_signal_state ON fraud_signal (state, raised_at)`);
    await runner.query(
      `CREATE INDEX eligibility_decision_period ON eligibility_decision (period, student_id) WHERE superseded_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX eligibility_decision_period`);
    await runner.query(`ALTER TABLE eligibility_decision DROP COLUMN recorded_at`);
    await runner.query(`DROP TABLE fraud_signal`);
    await runner.query(`DROP TABLE student_truancy`);
    await runner.query(`DROP TABLE term_lapse`);
    await runner.query(`DROP TABLE school_catalogue`);
    await runner.query(`
      ALTER TABLE subsidy_student
        DROP COLUMN name, DROP COLUMN student_number, DROP COLUMN id_number_digest, DROP COLUMN major_code,
        DROP COLUMN agriculture_related, DROP COLUMN teaching_point_id, DROP COLUMN approved_at,
        DROP COLUMN holds_status`);
  }
}

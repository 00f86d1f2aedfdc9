import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status history (effective-dated, keyed by event id), the per-period decision timeline (SB-7)
 * and grant entitlements (SB-3).
 */
export class AddEligibilityTimeline1763800005300 implements MigrationInterface {
  name = 'AddEligibilityTimeline1763800005300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE subsidy_student ADD COLUMN horizon date`);
    await runner.query(`
      CREATE TABLE student_status_change (
        event_id       uuid        PRIMARY KEY,
        student_id     uuid        NOT NULL,
        kind           text        NOT NULL,
        effective_date date        NOT NULL,
        new_status     text        NOT NULL,
        to_school_id   uuid,
        event_time     timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX student_status_change_student ON student_status_change (student_id, effective_date)`,
    );
    await runner.query(`
      CREATE TABLE eligibility_decision (
        id              bigserial   PRIMARY KEY,
        student_id      uuid        NOT NULL,
        period          text        NOT NULL,
        period_starts_on date       NOT NULL,
        grant_eligible  boolean     NOT NULL,
        waiver_eligible boolean     NOT NULL,
        reasons         jsonb       NOT NULL,
        facts           jsonb       NOT NULL,
        decided_at      timestamptz NOT NULL,
        superseded_at   timestamptz
      )`);
    await runner.query(
      `CREATE UNIQUE INDEX eligibility_decision_current ON eligibility_decision (student_id, period) WHERE superseded_at IS NULL`,
    );
    await runner.query(`CREATE INDEX eligibility_decision_decided ON eligibility_decision (decided_at)`);
    await runner.query(`
      CREATE TABLE entitlement (
        id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        student_id       uuid        NOT NULL,
        period           text        NOT NULL,
        period_starts_on date        NOT NULL,
        kind             text        NOT NULL DEFAULT 'GRANT' CHECK (kind IN ('GRANT')),
        amount_cny       numeric(10, 2) NOT NULL,
        state            text        NOT NULL CHECK (state IN ('PENDING', 'PAID', 'CANCELLED')),
        recovery_flagged boolean     NOT NULL DEFAULT false,
        created_at       timestamptz NOT NULL,
        cancelled_at     timestamptz,
        paid_at          timestamptz,
        paid_by          text,
        UNIQUE (student_id, period, kind)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE entitlement`);
    await runner.query(`DROP TABLE eligibility_decision`);
    await runner.query(`DROP TABLE student_status_change`);
    await runner.query(`ALTER TABLE subsidy_student DROP COLUMN horizon`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** GR-9: a certificate recalled and declared void, with when and why. */
export class RecallCertificates1763800012500 implements MigrationInterface {
  name = 'RecallCertificates1763800012500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE certificate DROP CONSTRAINT certificate_state_check`);
    await runner.query(
      `ALTER TABLE certificate ADD CONSTRAINT certificate_state_check CHECK (state IN ('VALID', 'EXCHANGED', 'RECALLED'))`,
    );
    await runner.query(`ALTER TABLE certificate ADD COLUMN recalled_at timestamptz, ADD COLUMN recall_reason text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE certificate DROP COLUMN recalled_at, DROP COLUMN recall_reason`);
    await runner.query(`ALTER TABLE certificate DROP CONSTRAINT certificate_state_check`);
    await runner.query(
      `ALTER TABLE certificate ADD CONSTRAINT certificate_state_check CHECK (state IN ('VALID', 'EXCHANGED'))`,
    );
  }
}

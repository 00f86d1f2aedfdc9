import type { MigrationInterface, QueryRunner } from 'typeorm';

// The closed lists as this migration writes them (@xueji/vocabulary CERTIFICATE_KINDS, CERTIFICATE_STATES);
// a landed migration never changes.
const CERTIFICATE_KINDS = ['DIPLOMA', 'COMPLETION', 'STUDY_RECORD', 'PARTIAL_STUDY', 'CREDENTIAL_CERTIFICATE'] as const;
const CERTIFICATE_KINDS_BEFORE = ['DIPLOMA', 'COMPLETION', 'STUDY_RECORD', 'PARTIAL_STUDY'] as const;
const CERTIFICATE_STATES = ['VALID', 'EXCHANGED', 'RECALLED', 'REPLACED'] as const;
const CERTIFICATE_STATES_BEFORE = ['VALID', 'EXCHANGED', 'RECALLED'] as const;

const check = (column: string, values: readonly string[]) =>
  `ALTER TABLE certificate ADD CONSTRAINT certificate_${column}_check CHECK (${column} IN (${values.map((v) => `'${v}'`).join(', ')}))`;

/**
 * GR-8: a lost diploma or completion certificate is never reissued; an academic credential certificate
 * (学历证明书, kind CREDENTIAL_CERTIFICATE) of equal force stands for it (`lost_id`), and the lost one is
 * REPLACED. One replacement per lost certificate (a unique index, so two requests at once never both
 * succeed); a student may hold several credential certificates of one programme (a lost completion
 * certificate, then a lost diploma), so the one-per-programme index leaves them out. The proofs the
 * issuer checked are kept with it (never an ID number: the identity check is an attestation).
 */
export class CredentialCertificates1763800013300 implements MigrationInterface {
  name = 'CredentialCertificates1763800013300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE certificate DROP CONSTRAINT certificate_kind_check`);
    await runner.query(check('kind', CERTIFICATE_KINDS));
    await runner.query(`ALTER TABLE certificate DROP CONSTRAINT certificate_state_check`);
    await runner.query(check('state', CERTIFICATE_STATES));
    await runner.query(
      `ALTER TABLE certificate ADD COLUMN lost_id uuid REFERENCES certificate (id),
                               ADD COLUMN identity_checked boolean,
                               ADD COLUMN loss_notice_ref text,
                               ADD COLUMN loss_verification_sheet_ref text`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX certificate_one_replacement ON certificate (lost_id) WHERE lost_id IS NOT NULL`,
    );
    await runner.query(`DROP INDEX certificate_one_per_programme`);
    await runner.query(
      `CREATE UNIQUE INDEX certificate_one_per_programme ON certificate (student_id, programme, kind)
        WHERE kind <> 'CREDENTIAL_CERTIFICATE'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM certificate WHERE kind = 'CREDENTIAL_CERTIFICATE'`);
    await runner.query(`UPDATE certificate SET state = 'VALID' WHERE state = 'REPLACED'`);
    await runner.query(`DROP INDEX certificate_one_per_programme`);
    await runner.query(
      `CREATE UNIQUE INDEX certificate_one_per_programme ON certificate (student_id, programme, kind)`,
    );
    await runner.query(`DROP INDEX certificate_one_replacement`);
    await runner.query(
      `ALTER TABLE certificate DROP COLUMN lost_id, DROP COLUMN identity_checked, DROP COLUMN loss_notice_ref,
                               DROP COLUMN loss_verification_sheet_ref`,
    );
    await runner.query(`ALTER TABLE certificate DROP CONSTRAINT certificate_state_check`);
    await runner.query(check('state', CERTIFICATE_STATES_BEFORE));
    await runner.query(`ALTER TABLE certificate DROP CONSTRAINT certificate_kind_check`);
    await runner.query(check('kind', CERTIFICATE_KINDS_BEFORE));
  }
}

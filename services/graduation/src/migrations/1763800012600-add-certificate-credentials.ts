import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each certificate's signed digital credential (W3C VC 2.0 as a compact JWS), made when it is issued. */
export class AddCertificateCredentials1763800012600 implements MigrationInterface {
  name = 'AddCertificateCredentials1763800012600';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE certificate ADD COLUMN credential text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE certificate DROP COLUMN credential`);
  }
}

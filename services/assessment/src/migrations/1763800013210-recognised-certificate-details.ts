import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AS-4 / GR-1 (fujian) / GR-11: a recognition resting on a vocational qualification or skill
 * certificate records the certificate itself (its title, its own number, the day it was issued), so
 * assessment can publish it (`certificate.recorded`) for graduation's audit and public lookup. Null
 * for prior work, a PE exemption, and recognitions recorded before.
 */
export class RecognisedCertificateDetails1763800013210 implements MigrationInterface {
  name = 'RecognisedCertificateDetails1763800013210';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE credit_recognition
        ADD COLUMN certificate_title  text,
        ADD COLUMN certificate_number text,
        ADD COLUMN issued_on          date,
        ADD CONSTRAINT credit_recognition_certificate_whole
          CHECK ((certificate_number IS NULL) = (certificate_title IS NULL)
             AND (certificate_number IS NULL) = (issued_on IS NULL))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE credit_recognition
        DROP CONSTRAINT credit_recognition_certificate_whole,
        DROP COLUMN issued_on,
        DROP COLUMN certificate_number,
        DROP COLUMN certificate_title`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: a registration's idempotency key, as the registrar gave it, and the fingerprint of the
 * submission: a retry under the same key by the same subject is answered with this record, and the
 * same key with another submission is refused. At most 100 characters, as the input rule checks.
 */
export class AddRegistrationIdempotencyKey1763800014310 implements MigrationInterface {
  name = 'AddRegistrationIdempotencyKey1763800014310';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE student
         ADD COLUMN idempotency_key text CHECK (char_length(idempotency_key) BETWEEN 1 AND 100),
         ADD COLUMN idempotency_digest text,
         ADD CONSTRAINT student_idempotency_digest CHECK ((idempotency_key IS NULL) = (idempotency_digest IS NULL))`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX student_registrar_idempotency_key ON student (registered_by, idempotency_key)
         WHERE idempotency_key IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX student_registrar_idempotency_key`);
    await runner.query(
      `ALTER TABLE student DROP CONSTRAINT student_idempotency_digest,
         DROP COLUMN idempotency_key, DROP COLUMN idempotency_digest`,
    );
  }
}

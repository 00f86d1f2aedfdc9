import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: a request's idempotency key, as its submitter gave it, and the fingerprint of the
 * submission: a retry under the same key by the same subject is answered with this request, and
 * the same key with another submission is refused. At most 100 characters, as the input rule checks.
 */
export class AddSubmissionIdempotencyKey1763800014300 implements MigrationInterface {
  name = 'AddSubmissionIdempotencyKey1763800014300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE change_request
         ADD COLUMN idempotency_key text CHECK (char_length(idempotency_key) BETWEEN 1 AND 100),
         ADD COLUMN idempotency_digest text,
         ADD CONSTRAINT change_request_idempotency_digest CHECK ((idempotency_key IS NULL) = (idempotency_digest IS NULL))`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX change_request_submitter_idempotency_key ON change_request (submitted_by, idempotency_key)
         WHERE idempotency_key IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX change_request_submitter_idempotency_key`);
    await runner.query(
      `ALTER TABLE change_request DROP CONSTRAINT change_request_idempotency_digest,
         DROP COLUMN idempotency_key, DROP COLUMN idempotency_digest`,
    );
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox table every publishing service has. Included in each service's migration list. */
export class CreateOutbox1763800000000 implements MigrationInterface {
  name = 'CreateOutbox1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE outbox_message (
        seq          bigserial PRIMARY KEY,
        event_id     uuid        NOT NULL,
        topic        text        NOT NULL,
        message_key  text,
        event_type   text        NOT NULL,
        headers      jsonb       NOT NULL,
        payload      text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts     integer     NOT NULL DEFAULT 0,
        last_error   text,
        CONSTRAINT outbox_message_event_topic UNIQUE (event_id, topic)
      )`);
    await runner.query(`CREATE INDEX outbox_message_unpublished ON outbox_message (seq) WHERE published_at IS NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE outbox_message`);
  }
}

/**
 * Parking: an event the broker refuses for good (or that keeps failing while the broker answers)
 * is set aside with its error instead of being retried forever. Its student's later events wait
 * behind it until an operator releases (publish again) or discards (never publish) it.
 */
export class ParkOutboxMessages1763800009100 implements MigrationInterface {
  name = 'ParkOutboxMessages1763800009100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE outbox_message
        ADD COLUMN parked_at      timestamptz,
        ADD COLUMN parked_error   text,
        ADD COLUMN released_at    timestamptz,
        ADD COLUMN discarded_at   timestamptz,
        ADD COLUMN discard_reason text`);
    await runner.query(
      `CREATE INDEX outbox_message_parked ON outbox_message (message_key, seq) WHERE parked_at IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX outbox_message_parked`);
    await runner.query(`
      ALTER TABLE outbox_message
        DROP COLUMN parked_at, DROP COLUMN parked_error, DROP COLUMN released_at,
        DROP COLUMN discarded_at, DROP COLUMN discard_reason`);
  }
}

/**
 * The W3C trace context (`traceparent`, `tracestate`) of the request or event that wrote the row,
 * when it was traced; the relay publishes it as the CloudEvents distributed-tracing extension
 * (`ce_traceparent`, `ce_tracestate`), so the consumers' work joins the same trace.
 */
export class AddOutboxTraceContext1763800014100 implements MigrationInterface {
  name = 'AddOutboxTraceContext1763800014100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE outbox_message ADD COLUMN traceparent text, ADD COLUMN tracestate text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE outbox_message DROP COLUMN traceparent, DROP COLUMN tracestate`);
  }
}

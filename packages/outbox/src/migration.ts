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

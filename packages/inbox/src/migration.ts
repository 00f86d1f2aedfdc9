import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The inbox table every consuming service has. Included in each service's migration list. */
export class CreateInbox1763800000001 implements MigrationInterface {
  name = 'CreateInbox1763800000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE inbox_message (
        consumer    text        NOT NULL,
        event_id    text        NOT NULL,
        event_type  text        NOT NULL,
        source      text        NOT NULL,
        outcome     text        NOT NULL CHECK (outcome IN ('APPLIED', 'DEAD_LETTERED')),
        error       text,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id, source)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE inbox_message`);
  }
}

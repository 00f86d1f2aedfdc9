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

/** What the inbox did with a message (a local copy: migrations never import the vocabulary). */
const INBOX_OUTCOMES = ['APPLIED', 'DEAD_LETTERED', 'DISCARDED'] as const;

/**
 * Dead-lettered events an operator can resolve (`pnpm inbox`): the message itself (key, headers,
 * value, where it was read) is kept next to its `DEAD_LETTERED` inbox row, so it can be applied
 * again (`release`: the row becomes `APPLIED`) or resolved without applying it (`discard`: the new
 * outcome `DISCARDED`). The copy is deleted once resolved. `DEAD_LETTERED` still means "awaiting
 * an operator".
 */
export class KeepDeadLetteredEvents1763800014200 implements MigrationInterface {
  name = 'KeepDeadLetteredEvents1763800014200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE inbox_message
        DROP CONSTRAINT inbox_message_outcome_check,
        ADD CONSTRAINT inbox_message_outcome_check
          CHECK (outcome IN (${INBOX_OUTCOMES.map((o) => `'${o}'`).join(', ')}))`);
    await runner.query(`
      CREATE TABLE inbox_dead_letter (
        consumer         text        NOT NULL,
        event_id         text        NOT NULL,
        source           text        NOT NULL,
        topic            text        NOT NULL,
        "partition"      integer     NOT NULL,
        "offset"         bigint      NOT NULL,
        message_key      text,
        headers          jsonb       NOT NULL,
        value            bytea,
        reason           text        NOT NULL,
        dead_lettered_at timestamptz NOT NULL DEFAULT now(),
        releases         integer     NOT NULL DEFAULT 0,
        PRIMARY KEY (consumer, event_id, source),
        FOREIGN KEY (consumer, event_id, source) REFERENCES inbox_message ON DELETE CASCADE
      )`);
    // The operator's list and the dead-lettered count, in the order they were dead-lettered.
    await runner.query(
      `CREATE INDEX inbox_message_dead_lettered ON inbox_message (received_at, event_id) WHERE outcome = 'DEAD_LETTERED'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX inbox_message_dead_lettered`);
    await runner.query(`DROP TABLE inbox_dead_letter`);
    await runner.query(`UPDATE inbox_message SET outcome = 'DEAD_LETTERED' WHERE outcome = 'DISCARDED'`);
    await runner.query(`
      ALTER TABLE inbox_message
        DROP CONSTRAINT inbox_message_outcome_check,
        ADD CONSTRAINT inbox_message_outcome_check CHECK (outcome IN ('APPLIED', 'DEAD_LETTERED'))`);
  }
}

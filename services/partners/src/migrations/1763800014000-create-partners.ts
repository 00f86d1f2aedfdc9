import type { MigrationInterface, QueryRunner } from 'typeorm';

// The closed lists as this migration writes them (@xueji/vocabulary); a landed migration never changes.
const PARTNER_STATES = ['ACTIVE', 'PAUSED'] as const;
const PARTNER_DELIVERY_STATES = ['PENDING', 'DELIVERED', 'DEAD_LETTERED'] as const;

const inList = (column: string, values: readonly string[]) =>
  `CHECK (${column} IN (${values.map((v) => `'${v}'`).join(', ')}))`;

/**
 * Partners and their webhook deliveries (issue 14).
 * - `partner`: one registered partner is one subscription: its granted event types, the region it is
 *   granted (6-digit code; a province or city covers its counties), its endpoint and its Standard
 *   Webhooks secret. Listed in registration order (`partner_registered`).
 * - `partner_event`: every event of the partner topics, once, in the order this service took it
 *   (`seq`): the log "changes since" pages through and replays read from (`partner_event_time`).
 * - `partner_delivery`: one row per event and partner it matched. The delivery job takes the
 *   earliest pending row of each (partner, student) (`partner_delivery_pending`), sends it outside
 *   any transaction, and records the outcome in one update; `next_attempt_at` is both the backoff
 *   and the lease of a row being sent, so a second instance does not send it at the same time;
 *   `queued_at` is when it was (last) queued, the lag's start.
 */
export class CreatePartners1763800014000 implements MigrationInterface {
  name = 'CreatePartners1763800014000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE partner (
        id            uuid        PRIMARY KEY,
        name          text        NOT NULL,
        event_types   text[]      NOT NULL,
        region_code   text        NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        endpoint_url  text        NOT NULL,
        secret        text        NOT NULL,
        state         text        NOT NULL ${inList('state', PARTNER_STATES)},
        registered_at timestamptz NOT NULL,
        registered_by text        NOT NULL,
        updated_at    timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX partner_registered ON partner (registered_at, id)`);
    await runner.query(`
      CREATE TABLE partner_event (
        seq         bigserial   PRIMARY KEY,
        event_id    uuid        NOT NULL UNIQUE,
        type        text        NOT NULL,
        subject     text        NOT NULL,
        region_code text,
        time        timestamptz NOT NULL,
        event       jsonb       NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX partner_event_time ON partner_event (time, seq)`);
    await runner.query(`
      CREATE TABLE partner_delivery (
        id              bigserial   PRIMARY KEY,
        partner_id      uuid        NOT NULL REFERENCES partner (id),
        event_seq       bigint      NOT NULL REFERENCES partner_event (seq),
        subject         text        NOT NULL,
        state           text        NOT NULL ${inList('state', PARTNER_DELIVERY_STATES)},
        attempts        int         NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        queued_at       timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        last_error      text,
        last_error_at   timestamptz,
        delivered_at    timestamptz,
        UNIQUE (partner_id, event_seq)
      )`);
    await runner.query(
      `CREATE INDEX partner_delivery_pending ON partner_delivery (partner_id, subject, event_seq)
        WHERE state = 'PENDING'`,
    );
    await runner.query(
      `CREATE INDEX partner_delivery_due ON partner_delivery (next_attempt_at) WHERE state = 'PENDING'`,
    );
    await runner.query(
      `CREATE INDEX partner_delivery_last_error ON partner_delivery (partner_id, last_error_at DESC)
        WHERE last_error_at IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX partner_delivery_dead ON partner_delivery (partner_id, event_seq) WHERE state = 'DEAD_LETTERED'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE partner_delivery`);
    await runner.query(`DROP TABLE partner_event`);
    await runner.query(`DROP TABLE partner`);
  }
}

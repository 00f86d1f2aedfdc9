import type { EntityManager } from 'typeorm';
import { toBusMessage, type EventEnvelope } from '@xueji/events';

/** NOTIFY channel the relay listens on; notifications are delivered only when the transaction commits. */
export const OUTBOX_CHANNEL = 'xueji_outbox';

/**
 * Record an event in the outbox inside the caller's transaction: the change and its event commit
 * together or not at all. The relay publishes it after commit.
 */
export async function appendToOutbox(manager: EntityManager, topic: string, event: EventEnvelope): Promise<void> {
  await appendManyToOutbox(manager, topic, [event]);
}

/** Several events in one statement (bulk imports), in the order given; same guarantees as `appendToOutbox`. */
export async function appendManyToOutbox(
  manager: EntityManager,
  topic: string,
  events: EventEnvelope[],
): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('appendToOutbox must run inside a transaction (dataSource.transaction(...))');
  }
  if (events.length === 0) return;
  const messages = events.map(toBusMessage);
  // WITH ORDINALITY + ORDER BY: rows take their seq in the order given, and the relay publishes in seq order.
  await manager.query(
    `INSERT INTO outbox_message (event_id, topic, message_key, event_type, headers, payload)
     SELECT e.id, $1, e.key, e.type, e.headers::jsonb, e.payload
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[])
            WITH ORDINALITY AS e(id, key, type, headers, payload, n)
      ORDER BY e.n`,
    [
      topic,
      events.map((e) => e.id),
      messages.map((m) => m.key),
      events.map((e) => e.type),
      messages.map((m) => JSON.stringify(m.headers)),
      messages.map((m) => m.value?.toString('utf8') ?? null),
    ],
  );
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}

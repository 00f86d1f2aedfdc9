import type { EntityManager } from 'typeorm';
import { toBusMessage, type EventEnvelope } from '@xueji/events';

/** NOTIFY channel the relay listens on; notifications are delivered only when the transaction commits. */
export const OUTBOX_CHANNEL = 'xueji_outbox';

/**
 * Record an event in the outbox inside the caller's transaction: the change and its event commit
 * together or not at all. The relay publishes it after commit.
 */
export async function appendToOutbox(manager: EntityManager, topic: string, event: EventEnvelope): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('appendToOutbox must run inside a transaction (dataSource.transaction(...))');
  }
  const message = toBusMessage(event);
  await manager.query(
    `INSERT INTO outbox_message (event_id, topic, message_key, event_type, headers, payload)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      event.id,
      topic,
      message.key,
      event.type,
      JSON.stringify(message.headers),
      message.value?.toString('utf8') ?? null,
    ],
  );
  await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}

/**
 * Dead-lettered events as an operator resolves them (`pnpm inbox --service <name> …`): an event a
 * service could not apply is kept with its inbox row (`DEAD_LETTERED`, awaiting an operator) until
 * it is released (applied again with the service's handlers: the row becomes `APPLIED`) or
 * discarded (the row becomes `DISCARDED`). Both are audited with the operator's name.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { audit, type AuditActor } from '@xueji/audit';
import { selectOne, selectRows, type Queryable } from '@xueji/db';
import type { ReceivedMessage } from '@xueji/event-bus';
import { isUnavailable } from '@xueji/errors';
import { fromBusMessage, isKnownEventType, parseEvent, type EventEnvelope, type EventType } from '@xueji/events';
import type { EventHandler, EventHandlers } from './consumer';

/** A dead-lettered event as an operator sees it. Never its value: it may carry personal data. */
export interface DeadLetteredEvent {
  eventId: string;
  type: string;
  source: string;
  consumer: string;
  deadLetteredAt: Date;
  error: string | null;
  /** Where it was read; null when the message was not kept (dead-lettered before messages were kept). */
  topic: string | null;
  partition: number | null;
  offset: string | null;
  /** The message key: the student the event is about. */
  key: string | null;
  /** Releases tried that failed again. */
  releases: number;
}

/** An operator's request that cannot be carried out (unknown event, missing reason): said plainly. */
export class InboxOperatorError extends Error {
  override readonly name = 'InboxOperatorError';
}

export const DEAD_LETTERED_PAGE_MAX = 1000;

/** Keep the message of an event just recorded as `DEAD_LETTERED`, in the same transaction. */
export async function keepDeadLettered(
  manager: Queryable,
  consumer: string,
  envelope: Pick<EventEnvelope, 'id' | 'source'>,
  message: ReceivedMessage,
  reason: string,
): Promise<void> {
  await manager.query(
    `INSERT INTO inbox_dead_letter
       (consumer, event_id, source, topic, "partition", "offset", message_key, headers, value, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT DO NOTHING`,
    [
      consumer,
      envelope.id,
      envelope.source,
      message.topic,
      message.partition,
      message.offset,
      message.key,
      JSON.stringify(message.headers),
      message.value,
      reason,
    ],
  );
}

interface ListedRow {
  event_id: string;
  event_type: string;
  source: string;
  consumer: string;
  received_at: Date;
  error: string | null;
  topic: string | null;
  partition: number | null;
  offset: string | null;
  message_key: string | null;
  releases: number | null;
}

/**
 * The events awaiting an operator, in the order they were dead-lettered, a page at a time (keyset
 * on `inbox_message_dead_lettered`): `after` is the last event id of the previous page.
 */
export async function listDeadLettered(
  db: Queryable,
  { after = null, limit = 50 }: { after?: string | null; limit?: number } = {},
): Promise<{ events: DeadLetteredEvent[]; hasMore: boolean }> {
  if (!Number.isInteger(limit) || limit < 1 || limit > DEAD_LETTERED_PAGE_MAX) {
    throw new InboxOperatorError(`--limit must be 1 to ${DEAD_LETTERED_PAGE_MAX}`);
  }
  if (after !== null) {
    const known = await selectOne(db, `SELECT 1 FROM inbox_message WHERE event_id = $1 LIMIT 1`, [after]);
    if (!known) throw new InboxOperatorError(`--after: no event ${after} in this service's inbox`);
  }
  // The cursor's time is read in SQL: a JavaScript Date would lose its microseconds.
  const rows = await selectRows<ListedRow>(
    db,
    `SELECT m.event_id, m.event_type, m.source, m.consumer, m.received_at, m.error,
            d.topic, d."partition", d."offset"::text AS "offset", d.message_key, d.releases
       FROM inbox_message m
       LEFT JOIN inbox_dead_letter d USING (consumer, event_id, source)
      WHERE m.outcome = 'DEAD_LETTERED'
        AND ($1::text IS NULL
             OR (m.received_at, m.event_id) >
                (SELECT a.received_at, a.event_id FROM inbox_message a WHERE a.event_id = $1 LIMIT 1))
      ORDER BY m.received_at, m.event_id
      LIMIT $2`,
    [after, limit + 1],
  );
  return {
    events: rows.slice(0, limit).map((r) => ({
      eventId: r.event_id,
      type: r.event_type,
      source: r.source,
      consumer: r.consumer,
      deadLetteredAt: r.received_at,
      error: r.error,
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      key: r.message_key,
      releases: r.releases ?? 0,
    })),
    hasMore: rows.length > limit,
  };
}

interface HeldRow {
  consumer: string;
  source: string;
  event_type: string;
  error: string | null;
  topic: string | null;
  partition: number | null;
  offset: string | null;
  message_key: string | null;
  headers: Record<string, string> | null;
  value: Buffer | null;
}

/** The one dead-lettered row of `eventId`, locked for this transaction. */
async function holdDeadLettered(manager: EntityManager, eventId: string): Promise<HeldRow> {
  const rows = await selectRows<HeldRow>(
    manager,
    `SELECT m.consumer, m.source, m.event_type, m.error,
            d.topic, d."partition", d."offset"::text AS "offset", d.message_key, d.headers, d.value
       FROM inbox_message m
       LEFT JOIN inbox_dead_letter d USING (consumer, event_id, source)
      WHERE m.event_id = $1 AND m.outcome = 'DEAD_LETTERED'
      FOR UPDATE OF m`,
    [eventId],
  );
  if (rows.length === 0) throw new InboxOperatorError(`no dead-lettered event ${eventId}`);
  if (rows.length > 1) {
    throw new InboxOperatorError(
      `${rows.length} dead-lettered events have the id ${eventId} (sources ${rows.map((r) => r.source).join(', ')}): resolve them with SQL`,
    );
  }
  return rows[0]!;
}

const whereItWas = (row: HeldRow) => ({
  type: row.event_type,
  source: row.source,
  consumer: row.consumer,
  topic: row.topic,
  partition: row.partition,
  offset: row.offset,
  key: row.message_key,
});

export type ReleaseResult = { applied: true } | { applied: false; error: string };

/**
 * Apply a dead-lettered event again with the service's handlers, in one transaction with its inbox
 * row: applied, the row becomes `APPLIED` and the kept message is deleted; failing again, nothing
 * the handler wrote is kept and the row stays `DEAD_LETTERED` with the new error. Audited either way.
 */
export async function releaseDeadLettered(
  dataSource: DataSource,
  eventId: string,
  handlers: EventHandlers,
  operator: AuditActor,
): Promise<ReleaseResult> {
  return dataSource.transaction(async (manager) => {
    const row = await holdDeadLettered(manager, eventId);
    if (row.topic === null || row.headers === null) {
      throw new InboxOperatorError(
        `the message of ${eventId} was not kept (dead-lettered before messages were kept): find it on the dead-letter topic, or discard it`,
      );
    }
    const message: ReceivedMessage = {
      topic: row.topic,
      partition: row.partition!,
      offset: row.offset!,
      key: row.message_key,
      headers: row.headers,
      value: row.value,
    };
    const key = [row.consumer, eventId, row.source];
    await manager.query('SAVEPOINT release_dead_lettered');
    try {
      const envelope = fromBusMessage(message);
      const type = envelope.type;
      const handler = isKnownEventType(type) ? (handlers[type] as EventHandler<EventType> | undefined) : undefined;
      if (!handler) throw new Error(`this service has no handler for ${type}`);
      await handler(parseEvent(envelope, type as EventType), manager);
      await manager.query(
        `UPDATE inbox_message SET outcome = 'APPLIED', error = NULL
          WHERE consumer = $1 AND event_id = $2 AND source = $3`,
        key,
      );
      await manager.query(`DELETE FROM inbox_dead_letter WHERE consumer = $1 AND event_id = $2 AND source = $3`, key);
      await audit(manager, operator, {
        action: 'RELEASE_DEAD_LETTERED_EVENT',
        entity: 'inbox_message',
        entityId: eventId,
        details: { ...whereItWas(row), applied: true, previousError: row.error },
      });
      return { applied: true };
    } catch (error) {
      if (isUnavailable(error)) throw error; // the database is away: nothing changed; try again later
      await manager.query('ROLLBACK TO SAVEPOINT release_dead_lettered');
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
      await manager.query(`UPDATE inbox_message SET error = $4 WHERE consumer = $1 AND event_id = $2 AND source = $3`, [
        ...key,
        reason,
      ]);
      await manager.query(
        `UPDATE inbox_dead_letter SET reason = $4, releases = releases + 1
          WHERE consumer = $1 AND event_id = $2 AND source = $3`,
        [...key, reason],
      );
      await audit(manager, operator, {
        action: 'RELEASE_DEAD_LETTERED_EVENT',
        entity: 'inbox_message',
        entityId: eventId,
        details: { ...whereItWas(row), applied: false, error: reason, previousError: row.error },
      });
      return { applied: false, error: reason };
    }
  });
}

/**
 * Resolve a dead-lettered event without applying it: the row becomes `DISCARDED` (a redelivery is
 * still skipped) and the kept message is deleted. Audited with the operator's reason.
 */
export async function discardDeadLettered(
  dataSource: DataSource,
  eventId: string,
  reason: string,
  operator: AuditActor,
): Promise<void> {
  if (!reason.trim()) throw new InboxOperatorError('discard needs --reason "…": it is kept in the audit trail');
  await dataSource.transaction(async (manager) => {
    const row = await holdDeadLettered(manager, eventId);
    const key = [row.consumer, eventId, row.source];
    await manager.query(
      `UPDATE inbox_message SET outcome = 'DISCARDED' WHERE consumer = $1 AND event_id = $2 AND source = $3`,
      key,
    );
    await manager.query(`DELETE FROM inbox_dead_letter WHERE consumer = $1 AND event_id = $2 AND source = $3`, key);
    await audit(manager, operator, {
      action: 'DISCARD_DEAD_LETTERED_EVENT',
      entity: 'inbox_message',
      entityId: eventId,
      reason: reason.trim(),
      details: { ...whereItWas(row), error: row.error },
    });
  });
}

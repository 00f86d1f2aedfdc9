import { setImmediate as turn } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { DEFAULT_OUTBOX_MAX_EVENT_BYTES } from '@xueji/config';
import { badUserInput, CodedError } from '@xueji/errors';
import type { BusMessage } from '@xueji/event-bus';
import { toBusMessage, type EventEnvelope } from '@xueji/events';
import { currentTraceContext } from '@xueji/tracing';

/** NOTIFY channel the relay listens on; notifications are delivered only when the transaction commits. */
export const OUTBOX_CHANNEL = 'xueji_outbox';

/** One event and the topic it goes to. */
export interface OutboxEntry {
  topic: string;
  event: EventEnvelope;
}

let maxEventBytes = DEFAULT_OUTBOX_MAX_EVENT_BYTES;

/**
 * The largest event the outbox accepts (OUTBOX_MAX_EVENT_BYTES; the kit sets it from the service's
 * configuration at start). The broker refuses a larger message for good, so it is refused here,
 * while the command that would cause it can still be answered.
 */
export function configureOutbox(settings: { maxEventBytes: number }): void {
  maxEventBytes = settings.maxEventBytes;
}

/** An event's size as the broker counts it, near enough: key, value, header names and values. */
function serialisedSize(message: BusMessage): number {
  let bytes = (message.key === null ? 0 : Buffer.byteLength(message.key)) + (message.value?.length ?? 0);
  for (const [name, value] of Object.entries(message.headers))
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
}

/**
 * Record an event in the outbox inside the caller's transaction: the change and its event commit
 * together or not at all. The relay publishes it after commit.
 */
export async function appendToOutbox(manager: EntityManager, topic: string, event: EventEnvelope): Promise<void> {
  await appendEntriesToOutbox(manager, [{ topic, event }]);
}

/** Several events to one topic in one statement (bulk imports), in the order given; same guarantees as `appendToOutbox`. */
export async function appendManyToOutbox(
  manager: EntityManager,
  topic: string,
  events: EventEnvelope[],
): Promise<void> {
  await appendEntriesToOutbox(
    manager,
    events.map((event) => ({ topic, event })),
  );
}

/**
 * Events written per statement. One statement for a bulk import's 20,000 events held all of them
 * serialised at once, twice over (the messages and the driver's parameters): ~150 MB (issue 10).
 */
export const OUTBOX_INSERT_CHUNK = 1000;

/**
 * Events to any topics, in the order given, with the relay's wake-up in the same round trip; same
 * guarantees as `appendToOutbox`. One statement up to OUTBOX_INSERT_CHUNK events; more go a chunk
 * at a time (each serialised only when its turn comes, other callers of the process let in between
 * chunks), under a savepoint, so that an oversized event among them still leaves nothing inserted.
 */
export async function appendEntriesToOutbox(manager: EntityManager, entries: OutboxEntry[]): Promise<void> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('appendToOutbox must run inside a transaction (dataSource.transaction(...))');
  }
  if (entries.length === 0) return;
  if (entries.length <= OUTBOX_INSERT_CHUNK) return insertEntries(manager, entries);
  await manager.query('SAVEPOINT xueji_outbox_append');
  try {
    for (let i = 0; i < entries.length; i += OUTBOX_INSERT_CHUNK) {
      if (i > 0) await turn();
      await insertEntries(manager, entries.slice(i, i + OUTBOX_INSERT_CHUNK));
    }
  } catch (error) {
    // An oversized event: the chunks before it go too. (A database error aborts the transaction as it did.)
    if (error instanceof CodedError) await manager.query('ROLLBACK TO SAVEPOINT xueji_outbox_append');
    throw error;
  }
  await manager.query('RELEASE SAVEPOINT xueji_outbox_append');
}

/** One statement: the events' sizes checked, then inserted in the order given, and the relay woken on commit. */
async function insertEntries(manager: EntityManager, entries: OutboxEntry[]): Promise<void> {
  const messages = entries.map((e) => toBusMessage(e.event));
  messages.forEach((message, i) => {
    const bytes = serialisedSize(message);
    if (bytes > maxEventBytes) {
      // Thrown before anything is inserted: the caller's transaction rolls back, nothing is written.
      throw badUserInput(
        { zh: '此项变更内容过大，无法发布，请缩减后重试', en: 'The change is too large to publish; make it smaller' },
        { eventType: entries[i]!.event.type, bytes, maxBytes: maxEventBytes },
      );
    }
  });
  // The trace of the request (or event) that writes them, when it is traced: the relay sends it on
  // as `ce_traceparent`. Without one the row is written as before.
  const trace = currentTraceContext();
  // WITH ORDINALITY + ORDER BY: rows take their seq in the order given, and the relay publishes in
  // seq order. The insert runs although nothing reads it; the notification is delivered on commit.
  await manager.query(
    `WITH inserted AS (
       INSERT INTO outbox_message (event_id, topic, message_key, event_type, headers, payload${trace ? ', traceparent, tracestate' : ''})
       SELECT e.id, e.topic, e.key, e.type, e.headers::jsonb, e.payload${trace ? ', $8::text, $9::text' : ''}
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
              WITH ORDINALITY AS e(id, topic, key, type, headers, payload, n)
        ORDER BY e.n)
     SELECT pg_notify($7, '')`,
    [
      entries.map((e) => e.event.id),
      entries.map((e) => e.topic),
      messages.map((m) => m.key),
      entries.map((e) => e.event.type),
      messages.map((m) => JSON.stringify(m.headers)),
      messages.map((m) => m.value?.toString('utf8') ?? null),
      OUTBOX_CHANNEL,
      ...(trace ? [trace.traceparent, trace.tracestate ?? null] : []),
    ],
  );
}

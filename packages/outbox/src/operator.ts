import type { DataSource } from 'typeorm';
import { audit, type AuditActor } from '@xueji/audit';
import { selectRows, type Queryable } from '@xueji/db';
import { OUTBOX_CHANNEL } from './writer';

/** A parked event as an operator sees it (`pnpm outbox --service <name> list-parked`). */
export interface ParkedEvent {
  eventId: string;
  type: string;
  topic: string;
  /** The message key: the student whose later events wait behind this one. */
  key: string | null;
  parkedAt: Date;
  error: string | null;
  attempts: number;
  /** The same key's later events held back until this one is released or discarded. */
  waiting: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An operator's request that cannot be carried out (unknown event, missing reason): said plainly. */
export class OperatorError extends Error {
  override readonly name = 'OperatorError';
}

/** Every parked event, oldest first, with the number of the same key's events waiting behind it. */
export async function listParked(db: Queryable): Promise<ParkedEvent[]> {
  const rows = await selectRows<{
    event_id: string;
    event_type: string;
    topic: string;
    message_key: string | null;
    parked_at: Date;
    parked_error: string | null;
    attempts: number;
    waiting: number;
  }>(
    db,
    `SELECT p.event_id, p.event_type, p.topic, p.message_key, p.parked_at, p.parked_error, p.attempts,
            (SELECT count(*)::int FROM outbox_message w
              WHERE w.message_key = p.message_key AND w.seq > p.seq
                AND w.published_at IS NULL AND w.discarded_at IS NULL AND w.parked_at IS NULL) AS waiting
       FROM outbox_message p
      WHERE p.parked_at IS NOT NULL
      ORDER BY p.seq`,
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    type: r.event_type,
    topic: r.topic,
    key: r.message_key,
    parkedAt: r.parked_at,
    error: r.parked_error,
    attempts: r.attempts,
    waiting: r.waiting,
  }));
}

interface ResolvedRow {
  topic: string;
  event_type: string;
  message_key: string | null;
  parked_error: string | null;
  attempts: number;
}

async function resolveParked(
  dataSource: DataSource,
  eventId: string,
  operator: AuditActor,
  action: 'RELEASE_PARKED_EVENT' | 'DISCARD_PARKED_EVENT',
  reason: string | null,
): Promise<number> {
  if (!UUID.test(eventId)) throw new OperatorError(`"${eventId}" is not an event id (a UUID)`);
  return dataSource.transaction(async (manager) => {
    const rows = await selectRows<ResolvedRow>(
      manager,
      action === 'RELEASE_PARKED_EVENT'
        ? `UPDATE outbox_message SET parked_at = NULL, released_at = now()
            WHERE event_id = $1 AND parked_at IS NOT NULL
           RETURNING topic, event_type, message_key, parked_error, attempts`
        : `UPDATE outbox_message SET parked_at = NULL, discarded_at = now(), discard_reason = $2
            WHERE event_id = $1 AND parked_at IS NOT NULL
           RETURNING topic, event_type, message_key, parked_error, attempts`,
      action === 'RELEASE_PARKED_EVENT' ? [eventId] : [eventId, reason],
    );
    if (rows.length === 0) throw new OperatorError(`no parked event ${eventId}`);
    await audit(manager, operator, {
      action,
      entity: 'outbox_message',
      entityId: eventId,
      reason,
      details: {
        topics: rows.map((r) => r.topic),
        type: rows[0]!.event_type,
        key: rows[0]!.message_key,
        parkedError: rows[0]!.parked_error,
        attempts: rows[0]!.attempts,
      },
    });
    // Wake the relay on commit: the released event, or the events that waited behind it, go now.
    await manager.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
    return rows.length;
  });
}

/**
 * Publish a parked event again (after the cause was fixed, e.g. the topic's size limit raised).
 * If it fails for good again it is parked again. Audited. Answers the number of rows released.
 */
export async function releaseParked(dataSource: DataSource, eventId: string, operator: AuditActor): Promise<number> {
  return resolveParked(dataSource, eventId, operator, 'RELEASE_PARKED_EVENT', null);
}

/**
 * Resolve a parked event without publishing it; the same key's later events go on. Audited with
 * the operator's reason. Answers the number of rows discarded.
 */
export async function discardParked(
  dataSource: DataSource,
  eventId: string,
  reason: string,
  operator: AuditActor,
): Promise<number> {
  if (!reason.trim()) throw new OperatorError('discard needs --reason "…": it is kept in the audit trail');
  return resolveParked(dataSource, eventId, operator, 'DISCARD_PARKED_EVENT', reason.trim());
}

/** A service's outbox backlog as an operator sees it (`pnpm outbox backlog`). */
export interface OutboxBacklog {
  /** Rows not yet published (parked ones and those waiting behind them included), not discarded. */
  unpublished: number;
  /** Age in seconds of the oldest unpublished row, by the database's clock; null when none. */
  oldestUnpublishedSeconds: number | null;
  /** Parked rows awaiting an operator (`list-parked`). */
  parked: number;
  /** Consumed events dead-lettered and awaiting an operator (`pnpm inbox … list-dead-lettered`). */
  deadLettered: number;
}

/** The backlog of the service whose database `db` is: each count on a partial index. */
export async function outboxBacklog(db: Queryable): Promise<OutboxBacklog> {
  const [row] = await selectRows<{
    unpublished: number;
    oldest_seconds: number | null;
    parked: number;
    dead_lettered: number;
  }>(
    db,
    `SELECT u.unpublished, u.oldest_seconds,
            (SELECT count(*)::int FROM outbox_message WHERE parked_at IS NOT NULL) AS parked,
            (SELECT count(*)::int FROM inbox_message WHERE outcome = 'DEAD_LETTERED') AS dead_lettered
       FROM (SELECT count(*)::int AS unpublished,
                    floor(extract(epoch FROM now() - min(created_at)))::int AS oldest_seconds
               FROM outbox_message WHERE published_at IS NULL AND discarded_at IS NULL) u`,
  );
  return {
    unpublished: row!.unpublished,
    oldestUnpublishedSeconds: row!.oldest_seconds,
    parked: row!.parked,
    deadLettered: row!.dead_lettered,
  };
}

/** A number of seconds as an operator reads an age: `42s`, `3m12s`, `5h03m`, `2d04h`. */
export function formatAge(seconds: number | null): string {
  if (seconds === null) return '-';
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d${pad(Math.floor((s % 86_400) / 3600))}h`;
}

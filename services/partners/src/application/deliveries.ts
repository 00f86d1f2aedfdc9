import type { DataSource } from 'typeorm';
import { Webhook } from 'standardwebhooks';
import { selectRows, type Queryable } from '@xueji/db';
import type { EventEnvelope } from '@xueji/events';
import { accepted, afterFailure, retryDelayMs } from '../domain';
import type { DeliverySettings } from '../settings';

/** A delivery taken by this instance: its event, and where and how to send it. */
export interface ClaimedDelivery {
  id: string;
  partnerId: string;
  endpointUrl: string;
  secret: string;
  event: EventEnvelope;
  /** Attempts made before this one. */
  attempts: number;
}

/**
 * Take due deliveries to send: for each active partner not in `busy`, the earliest pending delivery
 * of each of its students (a student's later events wait behind an undelivered one; a dead-lettered
 * one no longer holds them), at most `batch` per partner. Rows another instance holds are skipped
 * (`FOR UPDATE SKIP LOCKED`), and each taken row's `next_attempt_at` moves past the POST's time limit
 * (a lease): no other instance takes it while it is being sent, and if this one dies it is sent again
 * once the lease runs out (at least once). One short transaction; the POSTs happen after it.
 */
export function claimDeliveries(db: Queryable, busy: string[], settings: DeliverySettings): Promise<ClaimedDelivery[]> {
  return selectRows<ClaimedDelivery>(
    db,
    `WITH heads AS (
       SELECT d.id, row_number() OVER (PARTITION BY d.partner_id ORDER BY d.event_seq) AS n
         FROM partner_delivery d JOIN partner p ON p.id = d.partner_id AND p.state = 'ACTIVE'
        WHERE d.state = 'PENDING' AND d.next_attempt_at <= now() AND NOT (d.partner_id = ANY ($1::uuid[]))
          AND NOT EXISTS (SELECT 1 FROM partner_delivery e
                           WHERE e.partner_id = d.partner_id AND e.subject = d.subject
                             AND e.state = 'PENDING' AND e.event_seq < d.event_seq)
     ), taken AS (
       SELECT d.id FROM partner_delivery d
        WHERE d.id IN (SELECT id FROM heads WHERE n <= $2) AND d.state = 'PENDING' AND d.next_attempt_at <= now()
          FOR UPDATE SKIP LOCKED
     )
     UPDATE partner_delivery d
        SET next_attempt_at = now() + make_interval(secs => $3::float8 / 1000), last_attempt_at = now()
       FROM taken, partner_event ev, partner p
      WHERE d.id = taken.id AND ev.seq = d.event_seq AND p.id = d.partner_id
     RETURNING d.id::text AS id, d.partner_id AS "partnerId", p.endpoint_url AS "endpointUrl", p.secret,
               ev.event, d.attempts`,
    [busy, settings.batch, settings.timeoutMs + 5_000],
  );
}

/** What one POST came to. */
export type SendOutcome = { ok: true } | { ok: false; error: string };

/**
 * POST one partner event as a CloudEvent in structured JSON mode (`application/cloudevents+json`),
 * signed the Standard Webhooks way: `webhook-id` is the event's id (the same on every retry and
 * replay, so the partner can drop a duplicate), `webhook-timestamp` the wall-clock second of this
 * attempt, `webhook-signature` `v1,` and the HMAC-SHA256 of `id.timestamp.body`. A 2xx answer is
 * accepted; another status, a time-out or a connection error is a failure.
 */
export async function sendDelivery(delivery: ClaimedDelivery, timeoutMs: number): Promise<SendOutcome> {
  const body = JSON.stringify(delivery.event);
  const timestamp = new Date();
  try {
    const signature = new Webhook(delivery.secret).sign(delivery.event.id, timestamp, body);
    const response = await fetch(delivery.endpointUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'webhook-id': delivery.event.id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (accepted(response.status)) {
      await response.body?.cancel();
      return { ok: true };
    }
    const text = (await response.text().catch(() => '')).slice(0, 200);
    return { ok: false, error: `HTTP ${response.status}${text ? `: ${text}` : ''}` };
  } catch (error) {
    const cause =
      error instanceof Error
        ? error.name === 'TimeoutError'
          ? `timed out after ${timeoutMs} ms`
          : error.message
        : String(error);
    return { ok: false, error: cause.slice(0, 200) };
  }
}

/**
 * Record what one attempt came to, in one row update: delivered; or failed, then due again after the
 * backoff (`retryDelayMs`), or dead-lettered once `maxAttempts` were made (`afterFailure`). Nothing
 * changes when the row was queued anew meanwhile (a replay or retry reset its attempts).
 */
export async function recordOutcome(
  db: DataSource,
  delivery: ClaimedDelivery,
  outcome: SendOutcome,
  settings: DeliverySettings,
): Promise<'DELIVERED' | 'PENDING' | 'DEAD_LETTERED'> {
  const attempts = delivery.attempts + 1;
  if (outcome.ok) {
    await db.query(
      `UPDATE partner_delivery SET state = 'DELIVERED', attempts = $2, delivered_at = now(), next_attempt_at = now()
        WHERE id = $1 AND state = 'PENDING' AND attempts = $3`,
      [delivery.id, attempts, delivery.attempts],
    );
    return 'DELIVERED';
  }
  const state = afterFailure(attempts, settings.maxAttempts);
  await db.query(
    `UPDATE partner_delivery
        SET state = $2, attempts = $3, last_error = $4, last_error_at = now(),
            next_attempt_at = now() + make_interval(secs => $5::float8 / 1000)
      WHERE id = $1 AND state = 'PENDING' AND attempts = $6`,
    [
      delivery.id,
      state,
      attempts,
      outcome.error,
      retryDelayMs(attempts, settings.backoffBaseMs, settings.backoffCapMs),
      delivery.attempts,
    ],
  );
  return state;
}

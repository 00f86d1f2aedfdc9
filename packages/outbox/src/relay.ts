import { Client } from 'pg';
import { PermanentPublishError, type BusMessage, type EventBus } from '@xueji/event-bus';
import { OUTBOX_CHANNEL } from './writer';

export interface RelayLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OutboxRelayOptions {
  /** The service's database. The relay keeps one connection of its own (lock + LISTEN). */
  databaseUrl: string;
  bus: EventBus;
  logger: RelayLogger;
  /** Where a parked event is copied, with its error (`topics.deadLetter`). */
  deadLetterTopic: string;
  /**
   * Failed publishes of one event, while the broker answers, before it is parked (default 10).
   * A refusal the broker gives for good (message too large, invalid record) parks it at once.
   */
  maxAttempts?: number;
  batchSize?: number;
  /** Fallback poll when no notification arrives. */
  pollIntervalMs?: number;
  maxBackoffMs?: number;
}

interface OutboxRow {
  seq: string;
  event_id: string;
  event_type: string;
  topic: string;
  message_key: string | null;
  headers: Record<string, string>;
  payload: string | null;
  traceparent: string | null;
  tracestate: string | null;
}

/**
 * What the relay may publish now: not yet published, not parked, not discarded, and not behind a
 * parked event of the same key (the same student's later events wait, so their order holds).
 */
const PUBLISHABLE = `
  SELECT seq, event_id, event_type, topic, message_key, headers, payload, traceparent, tracestate FROM outbox_message m
   WHERE published_at IS NULL AND parked_at IS NULL AND discarded_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM outbox_message p
                      WHERE p.parked_at IS NOT NULL AND p.message_key = m.message_key AND p.seq < m.seq)
   ORDER BY seq LIMIT $1`;

/**
 * The row as a message. The trace context of the request that wrote it, if it was traced, goes as
 * the CloudEvents distributed-tracing extension (`ce_traceparent`, `ce_tracestate`, binary mode).
 */
const toMessage = (row: OutboxRow): BusMessage => ({
  key: row.message_key,
  value: row.payload === null ? null : Buffer.from(row.payload, 'utf8'),
  headers:
    row.traceparent === null
      ? row.headers
      : {
          ...row.headers,
          ce_traceparent: row.traceparent,
          ...(row.tracestate === null ? {} : { ce_tracestate: row.tracestate }),
        },
});

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Advisory lock key: one relay per database publishes, so one student's events keep their order. */
const LEADER_LOCK_KEY = 7_431_001;

/**
 * Publishes committed outbox rows to the bus in commit order, then marks them published.
 * A crash after publishing and before marking re-sends on restart (at-least-once; consumers
 * deduplicate by event id). A failed publish is retried with backoff. An event the broker refuses
 * for good, or that fails `maxAttempts` times while the broker answers, is parked: copied to the
 * dead-letter topic, logged at error level, and set aside; other keys' events go on, the same key's
 * later events wait behind it until an operator releases or discards it (`pnpm outbox`).
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxAttempts: number;
  /** Consecutive failures of a row while the broker answered, by seq (reset when the relay restarts). */
  private readonly failures = new Map<string, number>();
  private parked = 0;
  private client: Client | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private leader = false;
  /** A notification arrived while the relay was busy: look again before sleeping. */
  private notified = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 10;
  }

  /** Events this relay has parked since it started. */
  get parkedTotal(): number {
    return this.parked;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Rows committed but not yet published (parked ones included, discarded ones not). */
  static async pendingCount(client: { query: Client['query'] }): Promise<number> {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM outbox_message WHERE published_at IS NULL AND discarded_at IS NULL',
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Rows parked and waiting for an operator. */
  static async parkedCount(client: { query: Client['query'] }): Promise<number> {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM outbox_message WHERE parked_at IS NOT NULL',
    );
    return Number(rows[0]?.n ?? 0);
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      try {
        const client = await this.connection();
        if (!this.leader) {
          const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
            LEADER_LOCK_KEY,
          ]);
          this.leader = rows[0]?.ok === true;
          if (this.leader) this.options.logger.info({}, 'outbox relay is the publishing leader');
        }
        if (this.leader) {
          while (this.running && (await this.publishBatch(client)) === this.batchSize);
        }
        backoff = 0;
        await this.sleep(this.pollIntervalMs);
      } catch (error) {
        backoff = Math.min(this.maxBackoffMs, backoff === 0 ? 250 : backoff * 2);
        this.options.logger.warn({ err: error, retryInMs: backoff }, 'outbox relay failed; retrying');
        await this.resetConnection();
        await this.sleep(backoff);
      }
    }
    await this.resetConnection();
  }

  private async publishBatch(client: Client): Promise<number> {
    const { rows } = await client.query<OutboxRow>(PUBLISHABLE, [this.batchSize]);
    if (rows.length === 0) return 0;
    /** Keys parked during this batch: their later rows in it wait too. */
    const parkedKeys = new Set<string>();
    const waiting = (row: OutboxRow): boolean => row.message_key !== null && parkedKeys.has(row.message_key);
    // Consecutive rows for the same topic go in one request; order across requests follows seq.
    let start = 0;
    while (start < rows.length) {
      let end = start + 1;
      while (end < rows.length && rows[end]!.topic === rows[start]!.topic) end++;
      const group = rows.slice(start, end).filter((row) => !waiting(row));
      start = end;
      if (group.length === 0) continue;
      try {
        await this.options.bus.publish(group[0]!.topic, group.map(toMessage));
        await this.markPublished(client, group);
      } catch (error) {
        if (group.length === 1) {
          await this.failed(client, group[0]!, error, parkedKeys);
          continue;
        }
        // Find the row that fails: one at a time, in order (rows already written may be sent twice).
        for (const row of group) {
          if (waiting(row)) continue;
          try {
            await this.options.bus.publish(row.topic, [toMessage(row)]);
            await this.markPublished(client, [row]);
          } catch (rowError) {
            await this.failed(client, row, rowError, parkedKeys);
          }
        }
      }
    }
    return rows.length;
  }

  private async markPublished(client: Client, rows: OutboxRow[]): Promise<void> {
    await client.query('UPDATE outbox_message SET published_at = now() WHERE seq = ANY($1::bigint[])', [
      rows.map((r) => r.seq),
    ]);
    for (const row of rows) this.failures.delete(row.seq);
  }

  /**
   * One row failed. A refusal for good parks it; so does the `maxAttempts`-th failure while the
   * broker answers. Otherwise (the broker unreachable, or attempts left) the error goes up and the
   * relay retries from this row after a backoff.
   */
  private async failed(client: Client, row: OutboxRow, error: unknown, parkedKeys: Set<string>): Promise<void> {
    const reason = errorText(error);
    const { rows } = await client.query<{ attempts: number }>(
      'UPDATE outbox_message SET attempts = attempts + 1, last_error = $2 WHERE seq = $1 RETURNING attempts',
      [row.seq, reason],
    );
    const attempts = rows[0]?.attempts ?? 0;
    if (!(error instanceof PermanentPublishError)) {
      if (!(await this.brokerAnswers())) throw error; // an outage, not this event: nothing is parked
      const failures = (this.failures.get(row.seq) ?? 0) + 1;
      this.failures.set(row.seq, failures);
      if (failures < this.maxAttempts) throw error;
    }
    await this.park(client, row, reason, attempts);
    if (row.message_key !== null) parkedKeys.add(row.message_key);
  }

  /** Does the broker answer (within 5 s)? While it does not, failures are an outage and park nothing. */
  private async brokerAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5000)));
    try {
      return await Promise.race([this.options.bus.isHealthy().catch(() => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Copy the row to the dead-letter topic, then set it aside. */
  private async park(client: Client, row: OutboxRow, reason: string, attempts: number): Promise<void> {
    const headers: Record<string, string> = {
      ...toMessage(row).headers,
      'x-dead-letter-reason': reason.slice(0, 2000),
      'x-dead-letter-stage': 'outbox-relay',
      'x-original-topic': row.topic,
      'x-outbox-seq': row.seq,
      'x-dead-lettered-at': new Date().toISOString(),
    };
    // Copied first: if marking fails afterwards the row is copied again, never silently dropped.
    try {
      await this.options.bus.publish(this.options.deadLetterTopic, [{ ...toMessage(row), headers }]);
    } catch (error) {
      if (!(error instanceof PermanentPublishError)) throw error;
      // The copy is refused too (too large): the headers say what it was; the row keeps the payload.
      await this.options.bus.publish(this.options.deadLetterTopic, [
        {
          key: row.message_key,
          value: null,
          headers: { ...headers, 'x-dead-letter-payload-omitted': String(Buffer.byteLength(row.payload ?? '')) },
        },
      ]);
    }
    await client.query('UPDATE outbox_message SET parked_at = now(), parked_error = $2 WHERE seq = $1', [
      row.seq,
      reason,
    ]);
    this.failures.delete(row.seq);
    this.parked++;
    this.options.logger.error(
      {
        eventId: row.event_id,
        type: row.event_type,
        topic: row.topic,
        key: row.message_key,
        seq: row.seq,
        attempts,
        reason,
        parkedTotal: this.parked,
      },
      'outbox event parked and dead-lettered; its key’s later events wait until an operator releases or discards it (pnpm outbox)',
    );
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'outbox-relay' });
    client.on('error', (error) => this.options.logger.warn({ err: error }, 'outbox relay connection error'));
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    await client.connect();
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.client = client;
    return client;
  }

  private async resetConnection(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.leader = false; // the session lock goes with the connection
    if (client) await client.end().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    if (this.notified || !this.running) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = (): void => {
        clearTimeout(timer);
        this.notified = false;
        resolve();
      };
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}

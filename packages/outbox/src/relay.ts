import { Client } from 'pg';
import type { BusMessage, EventBus } from '@xueji/event-bus';
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
  batchSize?: number;
  /** Fallback poll when no notification arrives. */
  pollIntervalMs?: number;
  maxBackoffMs?: number;
}

interface OutboxRow {
  seq: string;
  topic: string;
  message_key: string | null;
  headers: Record<string, string>;
  payload: string | null;
}

/** Advisory lock key: one relay per database publishes, so one student's events keep their order. */
const LEADER_LOCK_KEY = 7_431_001;

/**
 * Publishes committed outbox rows to the bus in commit order, then marks them published.
 * A crash after publishing and before marking re-sends on restart (at-least-once; consumers
 * deduplicate by event id). A failed publish is retried with backoff; nothing is skipped.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;
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

  /** Rows committed but not yet published. */
  static async pendingCount(client: { query: Client['query'] }): Promise<number> {
    const { rows } = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM outbox_message WHERE published_at IS NULL',
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
    const { rows } = await client.query<OutboxRow>(
      `SELECT seq, topic, message_key, headers, payload FROM outbox_message
        WHERE published_at IS NULL ORDER BY seq LIMIT $1`,
      [this.batchSize],
    );
    if (rows.length === 0) return 0;
    // Consecutive rows for the same topic go in one request; order across requests follows seq.
    let start = 0;
    while (start < rows.length) {
      let end = start + 1;
      while (end < rows.length && rows[end]!.topic === rows[start]!.topic) end++;
      const group = rows.slice(start, end);
      const messages: BusMessage[] = group.map((r) => ({
        key: r.message_key,
        value: r.payload === null ? null : Buffer.from(r.payload, 'utf8'),
        headers: r.headers,
      }));
      try {
        await this.options.bus.publish(group[0]!.topic, messages);
      } catch (error) {
        await client.query(
          'UPDATE outbox_message SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])',
          [group.map((r) => r.seq), String((error as Error).message ?? error)],
        );
        throw error;
      }
      await client.query('UPDATE outbox_message SET published_at = now() WHERE seq = ANY($1::bigint[])', [
        group.map((r) => r.seq),
      ]);
      start = end;
    }
    return rows.length;
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

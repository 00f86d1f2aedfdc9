import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, selectRows } from '@xueji/db';
import { createKafkaEventBus, type EventBus } from '@xueji/event-bus';
import { fromBusMessage, newEnvelope } from '@xueji/events';
import {
  AddOutboxTraceContext1763800014100,
  appendEntriesToOutbox,
  appendToOutbox,
  CreateOutbox1763800000000,
  OUTBOX_INSERT_CHUNK,
  OutboxRelay,
  ParkOutboxMessages1763800009100,
} from '@xueji/outbox';
import {
  createTestDatabase,
  dropTestDatabase,
  kafkaBrokers,
  readTopic,
  testTopicPrefix,
  waitFor,
} from '@xueji/testkit';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('transactional outbox (real PostgreSQL and Kafka)', () => {
  let url: string;
  let dataSource: DataSource;
  let bus: EventBus;
  let topic: string;
  let deadLetterTopic: string;

  beforeAll(async () => {
    url = await createTestDatabase('outbox');
    dataSource = await openDataSource(
      createDataSource({
        url,
        entities: [],
        migrations: [CreateOutbox1763800000000, ParkOutboxMessages1763800009100, AddOutboxTraceContext1763800014100],
      }),
    );
    bus = createKafkaEventBus({ brokers: kafkaBrokers(), clientId: 'outbox-test' });
    topic = `${testTopicPrefix()}outbox`;
    deadLetterTopic = `${testTopicPrefix()}outbox-dead-letter`;
    await bus.ensureTopics([
      { name: topic, partitions: 3 },
      { name: deadLetterTopic, partitions: 1 },
    ]);
  });

  afterAll(async () => {
    await bus.close();
    await dataSource.destroy();
    await dropTestDatabase(url);
  });

  const event = (subject: string, n: number) =>
    newEnvelope({ type: 'test.counted.v1', source: '/test', subject, data: { n } });

  it('writes nothing when the business transaction rolls back', async () => {
    const id = randomUUID();
    await expect(
      dataSource.transaction(async (manager) => {
        await appendToOutbox(manager, topic, { ...event('s-rollback', 1), id });
        throw new Error('business rule refused');
      }),
    ).rejects.toThrow('business rule refused');
    const rows = await selectRows(dataSource, 'SELECT 1 FROM outbox_message WHERE event_id = $1', [id]);
    expect(rows).toHaveLength(0);
  });

  it('writes a bulk import’s events a chunk at a time, in order; an oversized one among them leaves none (issue 10)', async () => {
    const subject = randomUUID();
    const many = Array.from({ length: OUTBOX_INSERT_CHUNK * 2 + 1 }, (_, i) => event(subject, i + 1));
    await dataSource.transaction((manager) =>
      appendEntriesToOutbox(
        manager,
        many.map((e) => ({ topic, event: e })),
      ),
    );
    const written = await selectRows<{ n: number }>(
      dataSource,
      `SELECT (payload::jsonb ->> 'n')::int AS n FROM outbox_message WHERE message_key = $1 ORDER BY seq`,
      [subject],
    );
    expect(written.map((r) => r.n)).toEqual(many.map((_, i) => i + 1));

    // The last chunk's event is over the broker's limit: the earlier chunks are taken back, the transaction goes on.
    const other = randomUUID();
    const tooLarge = newEnvelope({
      type: 'test.counted.v1',
      source: '/test',
      subject: other,
      data: { n: 'x'.repeat(1_100_000) },
    });
    const entries = [...Array.from({ length: OUTBOX_INSERT_CHUNK + 1 }, (_, i) => event(other, i)), tooLarge];
    await dataSource.transaction(async (manager) => {
      await expect(
        appendEntriesToOutbox(
          manager,
          entries.map((e) => ({ topic, event: e })),
        ),
      ).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
      });
      await appendToOutbox(manager, topic, event(other, -1));
    });
    const kept = await selectRows<{ n: number }>(
      dataSource,
      `SELECT (payload::jsonb ->> 'n')::int AS n FROM outbox_message WHERE message_key = $1`,
      [other],
    );
    expect(kept).toEqual([{ n: -1 }]);
    // Not left for the relay test below, which counts what is pending.
    await dataSource.query('DELETE FROM outbox_message WHERE message_key IN ($1, $2)', [subject, other]);
  });

  it('refuses to write outside a transaction', async () => {
    await expect(appendToOutbox(dataSource.manager, topic, event('s', 1))).rejects.toThrow(/inside a transaction/);
  });

  it('publishes rows committed while no relay ran, in commit order per student, once the relay starts', async () => {
    // Committed while no relay was running: as after a crash between commit and publish.
    const subject = randomUUID();
    for (let n = 1; n <= 20; n++) {
      await dataSource.transaction((manager) => appendToOutbox(manager, topic, event(subject, n)));
    }
    const client = new Client({ connectionString: url });
    await client.connect();
    expect(await OutboxRelay.pendingCount(client)).toBe(20);

    const relay = new OutboxRelay({ databaseUrl: url, bus, logger: silent, deadLetterTopic, pollIntervalMs: 200 });
    relay.start();
    try {
      const messages = await readTopic(kafkaBrokers(), topic, (m) => m.filter((x) => x.key === subject).length >= 20);
      const ns = messages
        .filter((m) => m.key === subject)
        .map(
          (m) =>
            fromBusMessage({ key: m.key, value: Buffer.from(m.value ?? ''), headers: m.headers }).data as { n: number },
        )
        .map((d) => d.n);
      expect(ns).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      await waitFor(async () => (await OutboxRelay.pendingCount(client)) === 0, { what: 'rows marked published' });

      // A row committed while the relay runs is published promptly (LISTEN/NOTIFY).
      const late = event(subject, 21);
      await dataSource.transaction((manager) => appendToOutbox(manager, topic, late));
      await readTopic(kafkaBrokers(), topic, (m) => m.some((x) => x.headers.ce_id === late.id));
    } finally {
      await relay.stop();
      await client.end();
    }
  });

  it('lets only one relay per database publish, and the other takes over when it stops', async () => {
    const first = new OutboxRelay({ databaseUrl: url, bus, logger: silent, deadLetterTopic, pollIntervalMs: 100 });
    const second = new OutboxRelay({ databaseUrl: url, bus, logger: silent, deadLetterTopic, pollIntervalMs: 100 });
    first.start();
    await waitFor(async () => first.isLeader, { what: 'first relay to lead' });
    second.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(second.isLeader).toBe(false);
    await first.stop();
    await waitFor(async () => second.isLeader, { what: 'second relay to take over' });
    await second.stop();
  });
});

import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { EnsureAuditEntry1763800009000 } from '@xueji/audit';
import { topicNames, fixedOrRealClock } from '@xueji/config';
import { createDataSource, openDataSource, selectOne, selectRows } from '@xueji/db';
import { createKafkaEventBus, type EventBus } from '@xueji/event-bus';
import { newEnvelope, type EventEnvelope } from '@xueji/events';
import {
  AddOutboxTraceContext1763800014100,
  appendToOutbox,
  CreateOutbox1763800000000,
  discardParked,
  listParked,
  OutboxRelay,
  ParkOutboxMessages1763800009100,
  releaseParked,
  type OutboxRelayOptions,
} from '@xueji/outbox';
import { loadPolicyProfile } from '@xueji/policy';
import { command, createLogger, systemActor } from '@xueji/service-kit';
import {
  alterTopicConfig,
  auditRows,
  createTestDatabase,
  dropTestDatabase,
  kafkaBrokers,
  readTopic,
  runScript,
  testTopicPrefix,
  waitFor,
  type ReadMessage,
} from '@xueji/testkit';

/** The topic refuses messages above this size, as a broker refuses one above `message.max.bytes`. */
const TOPIC_MAX_MESSAGE_BYTES = 4096;
const operator = { subject: 'ops-on-call', role: 'OPERATOR' };

interface OutboxState {
  published_at: Date | null;
  parked_at: Date | null;
  parked_error: string | null;
  discarded_at: Date | null;
  attempts: number;
}

describe('one event must not stop the others (real PostgreSQL and Kafka)', () => {
  const prefix = testTopicPrefix();
  const deadLetterTopic = `${prefix}dead-letter`;
  /** Each scenario's own topic, which refuses messages above TOPIC_MAX_MESSAGE_BYTES. */
  let topic = '';
  let bus: EventBus;
  const databases: string[] = [];
  const dataSources: DataSource[] = [];

  beforeAll(async () => {
    bus = createKafkaEventBus({ brokers: kafkaBrokers(), clientId: 'outbox-poison-test' });
    await bus.ensureTopics([{ name: deadLetterTopic, partitions: 1 }]);
  });

  afterAll(async () => {
    await bus.close();
    for (const dataSource of dataSources) await dataSource.destroy();
    for (const url of databases) await dropTestDatabase(url);
  });

  /** A service's database with the outbox (parking included) and the audit table; a topic of its own. */
  async function outboxDatabase(label: string): Promise<{ url: string; dataSource: DataSource }> {
    topic = `${prefix}${label}`;
    await bus.ensureTopics([
      { name: topic, partitions: 3, config: { 'max.message.bytes': String(TOPIC_MAX_MESSAGE_BYTES) } },
    ]);
    const url = await createTestDatabase(label);
    databases.push(url);
    const dataSource = await openDataSource(
      createDataSource({
        url,
        entities: [],
        migrations: [
          CreateOutbox1763800000000,
          EnsureAuditEntry1763800009000,
          ParkOutboxMessages1763800009100,
          AddOutboxTraceContext1763800014100,
        ],
      }),
    );
    dataSources.push(dataSource);
    return { url, dataSource };
  }

  const event = (student: string, n: number, bytes = 0): EventEnvelope =>
    newEnvelope({
      type: 'xueji.status-change.address-corrected.v1',
      source: '/test',
      subject: student,
      data: { n, address: 'x'.repeat(bytes) },
    });

  const write = (dataSource: DataSource, e: EventEnvelope) =>
    dataSource.transaction((manager) => appendToOutbox(manager, topic, e));

  const state = async (dataSource: DataSource, e: EventEnvelope): Promise<OutboxState> =>
    (await selectOne<OutboxState>(
      dataSource,
      'SELECT published_at, parked_at, parked_error, discarded_at, attempts FROM outbox_message WHERE event_id = $1',
      [e.id],
    ))!;

  const ids = (messages: ReadMessage[]) => messages.map((m) => m.headers.ce_id);

  function relayFor(
    url: string,
    options: Partial<OutboxRelayOptions> = {},
  ): { relay: OutboxRelay; errors: { obj: object; msg?: string }[] } {
    const errors: { obj: object; msg?: string }[] = [];
    const logger = {
      info: () => undefined,
      warn: () => undefined,
      error: (obj: object, msg?: string) => void errors.push({ obj, msg }),
    };
    const relay = new OutboxRelay({
      databaseUrl: url,
      bus,
      logger,
      deadLetterTopic,
      maxAttempts: 3,
      pollIntervalMs: 100,
      maxBackoffMs: 200,
      ...options,
    });
    return { relay, errors };
  }

  it('refuses, at write time, a command whose event is over the broker’s limit: BAD_USER_INPUT, nothing written', async () => {
    const { dataSource } = await outboxDatabase('outbox_too_large');
    await dataSource.query(`CREATE TABLE student_address (id uuid PRIMARY KEY, address text NOT NULL)`);
    const correctAddress = command<{ studentId: string; address: string }, { id: string }>({
      name: 'CORRECT_ADDRESS',
      roles: 'SYSTEM',
      async run(uow, input) {
        await uow.manager.query(`INSERT INTO student_address (id, address) VALUES ($1, $2)`, [
          input.studentId,
          input.address,
        ]);
        uow.publish({
          topic: uow.topics.own,
          event: newEnvelope({
            type: 'xueji.status-change.address-corrected.v1',
            source: '/test',
            subject: input.studentId,
            data: input,
          }),
        });
        return { id: input.studentId };
      },
      audit: (result) => ({ entity: 'student', entityId: result.id }),
    });
    const env = {
      profile: loadPolicyProfile('national'),
      topics: topicNames('status-change', prefix),
      logger: createLogger('poison-test', 'silent'),
      ...fixedOrRealClock('2026-09-01', false),
    };
    const counts = async () =>
      selectOne<{ addresses: number; outbox: number; audit: number }>(
        dataSource,
        `SELECT (SELECT count(*)::int FROM student_address) AS addresses, (SELECT count(*)::int FROM outbox_message) AS outbox,
                (SELECT count(*)::int FROM audit_entry) AS audit`,
      );

    // A 1.2 MB address correction: the broker's 1 MiB limit (less headroom) refuses it, so the command is refused.
    await expect(
      correctAddress.runAsSystem(dataSource, env, systemActor('test'), {
        studentId: randomUUID(),
        address: '长'.repeat(400_000),
      }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('too large to publish'),
      extensions: {
        code: 'BAD_USER_INPUT',
        messageZh: expect.stringContaining('过大'),
        details: { eventType: 'xueji.status-change.address-corrected.v1', maxBytes: 1024 * 1024 - 64 * 1024 },
      },
    });
    expect(await counts()).toEqual({ addresses: 0, outbox: 0, audit: 0 });

    // A plain transaction appending an oversized event is rolled back as a whole, too.
    const studentId = randomUUID();
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.query(`INSERT INTO student_address (id, address) VALUES ($1, 'a')`, [studentId]);
        await appendToOutbox(manager, topic, event(studentId, 1, 1_100_000));
      }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(await counts()).toEqual({ addresses: 0, outbox: 0, audit: 0 });

    // Under the limit it commits.
    await correctAddress.runAsSystem(dataSource, env, systemActor('test'), {
      studentId: randomUUID(),
      address: '长春市朝阳区',
    });
    expect(await counts()).toEqual({ addresses: 1, outbox: 1, audit: 1 });
  });

  it('parks a poison event, publishes other students’ events, holds the same student’s until released', async () => {
    const { url, dataSource } = await outboxDatabase('outbox_poison');
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const a1 = event(a, 1);
    const poison = event(a, 2, 2 * TOPIC_MAX_MESSAGE_BYTES); // accepted by the outbox, refused by the topic
    const b1 = event(b, 1);
    const a3 = event(a, 3);
    const c1 = event(c, 1);
    for (const e of [a1, poison, b1, a3, c1]) await write(dataSource, e);

    const { relay, errors } = relayFor(url);
    relay.start();
    try {
      // Other students' events go on.
      await readTopic(kafkaBrokers(), topic, (m) => [a1.id, b1.id, c1.id].every((id) => ids(m).includes(id)));
      await waitFor(async () => (await state(dataSource, poison)).parked_at !== null, {
        what: 'the poison event parked',
      });
      const parked = await state(dataSource, poison);
      expect(parked.published_at).toBeNull();
      expect(parked.parked_error).toMatch(/larger than the max message size/i);
      expect(parked.attempts).toBe(1); // refused for good: parked at once, not retried
      expect(relay.parkedTotal).toBe(1);
      expect(errors).toEqual([
        {
          obj: expect.objectContaining({ eventId: poison.id, key: a, attempts: 1, parkedTotal: 1 }),
          msg: expect.stringContaining('parked'),
        },
      ]);

      // Dead-lettered with its error.
      const dead = await readTopic(kafkaBrokers(), deadLetterTopic, (m) => ids(m).includes(poison.id));
      const copy = dead.find((m) => m.headers.ce_id === poison.id)!;
      expect(copy.key).toBe(a);
      expect(copy.headers['x-original-topic']).toBe(topic);
      expect(copy.headers['x-dead-letter-reason']).toMatch(/larger than the max message size/i);

      // The same student's later event waits behind it, while the relay keeps running.
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(await state(dataSource, a3)).toMatchObject({ published_at: null, parked_at: null, attempts: 0 });
      expect(await listParked(dataSource)).toEqual([
        expect.objectContaining({ eventId: poison.id, key: a, topic, attempts: 1, waiting: 1 }),
      ]);

      // The operator raises the topic's limit, then releases the event: it and the waiting one flow, in order.
      await alterTopicConfig(kafkaBrokers(), topic, { 'max.message.bytes': '1048588' });
      await waitFor(
        async () => {
          const now = await state(dataSource, poison);
          if (now.published_at) return true;
          if (now.parked_at) await releaseParked(dataSource, poison.id, operator); // the broker may apply the limit late
          return false;
        },
        { what: 'the released event published', timeoutMs: 30_000, intervalMs: 500 },
      );
      const messages = await readTopic(kafkaBrokers(), topic, (m) => ids(m).includes(a3.id));
      expect(ids(messages.filter((m) => m.key === a)).filter((id, i, all) => all.indexOf(id) === i)).toEqual([
        a1.id,
        poison.id,
        a3.id,
      ]);
      expect(await listParked(dataSource)).toEqual([]);
      expect((await auditRows(dataSource)).at(-1)).toMatchObject({
        actor: 'ops-on-call',
        role: 'OPERATOR',
        action: 'RELEASE_PARKED_EVENT',
        entity: 'outbox_message',
        entityId: poison.id,
      });
    } finally {
      await relay.stop();
    }
  });

  it('discards a parked event through the operator command; the same student’s events then go on', async () => {
    const { url, dataSource } = await outboxDatabase('outbox_discard');
    const d = randomUUID();
    const poison = event(d, 1, 2 * TOPIC_MAX_MESSAGE_BYTES);
    const d2 = event(d, 2);
    for (const e of [poison, d2]) await write(dataSource, e);
    const { relay } = relayFor(url);
    relay.start();
    try {
      await waitFor(async () => (await state(dataSource, poison)).parked_at !== null, { what: 'the event parked' });

      const listed = await outboxCommand(url, ['list-parked']);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain(poison.id);
      expect(listed.stdout).toContain('waiting=1');

      expect((await outboxCommand(url, ['discard', poison.id])).code).toBe(2); // a reason is required
      const discarded = await outboxCommand(url, [
        'discard',
        poison.id,
        '--reason',
        'address re-entered by the school',
        '--operator',
        'ops-on-call',
      ]);
      expect(discarded).toMatchObject({ code: 0 });

      await readTopic(kafkaBrokers(), topic, (m) => ids(m).includes(d2.id));
      expect(await state(dataSource, poison)).toMatchObject({ published_at: null, parked_at: null });
      expect((await state(dataSource, poison)).discarded_at).not.toBeNull();
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await waitFor(async () => (await OutboxRelay.pendingCount(client)) === 0, { what: 'nothing left pending' });
        expect(await OutboxRelay.parkedCount(client)).toBe(0);
      } finally {
        await client.end();
      }
      expect((await auditRows(dataSource)).at(-1)).toMatchObject({
        actor: 'ops-on-call',
        role: 'OPERATOR',
        action: 'DISCARD_PARKED_EVENT',
        entityId: poison.id,
        reason: 'address re-entered by the school',
      });
      // Nothing is parked any more: a second discard is refused plainly.
      await expect(discardParked(dataSource, poison.id, 'again', operator)).rejects.toThrow(/no parked event/);
      expect((await outboxCommand(url, ['release', poison.id])).code).toBe(1);
    } finally {
      await relay.stop();
    }
  });

  it('parks an event that keeps failing while the broker answers, after maxAttempts; the rest go on', async () => {
    const { url, dataSource } = await outboxDatabase('outbox_persistent');
    const [p, q] = [randomUUID(), randomUUID()];
    const stuck = event(p, 1);
    const after = event(p, 2);
    const other = event(q, 1);
    for (const e of [stuck, after, other]) await write(dataSource, e);
    // The real Kafka bus, except that this one student's messages fail with an error that could be transient.
    const refusing: EventBus = {
      subscribe: (options) => bus.subscribe(options),
      ensureTopics: (topics) => bus.ensureTopics(topics),
      readHistory: (topics) => bus.readHistory(topics),
      setGroupOffsets: (group, ends) => bus.setGroupOffsets(group, ends),
      close: async () => undefined,
      publish: (t, messages) =>
        t === topic && messages.some((m) => m.key === p)
          ? Promise.reject(new Error('request timed out'))
          : bus.publish(t, messages),
      isHealthy: () => bus.isHealthy(),
    };
    const { relay } = relayFor(url, { bus: refusing, maxAttempts: 3 });
    relay.start();
    try {
      await waitFor(async () => (await state(dataSource, stuck)).parked_at !== null, { what: 'the event parked' });
      expect(await state(dataSource, stuck)).toMatchObject({ parked_error: 'request timed out' });
      expect((await state(dataSource, stuck)).attempts).toBeGreaterThanOrEqual(3);
      await readTopic(kafkaBrokers(), topic, (m) => ids(m).includes(other.id));
      await readTopic(kafkaBrokers(), deadLetterTopic, (m) => ids(m).includes(stuck.id));
      expect((await state(dataSource, after)).published_at).toBeNull();
    } finally {
      await relay.stop();
    }
  });

  it('parks nothing while the broker is unreachable: an outage is not a poison event', async () => {
    const { url, dataSource } = await outboxDatabase('outbox_outage');
    const e1 = event(randomUUID(), 1);
    await write(dataSource, e1);
    const down: EventBus = {
      subscribe: (options) => bus.subscribe(options),
      ensureTopics: (topics) => bus.ensureTopics(topics),
      readHistory: (topics) => bus.readHistory(topics),
      setGroupOffsets: (group, ends) => bus.setGroupOffsets(group, ends),
      close: async () => undefined,
      publish: () => Promise.reject(new Error('connection refused')),
      isHealthy: async () => false,
    };
    const { relay } = relayFor(url, { bus: down, maxAttempts: 2 });
    relay.start();
    try {
      await waitFor(async () => (await state(dataSource, e1)).attempts >= 5, { what: 'repeated attempts' });
    } finally {
      await relay.stop();
    }
    expect(await state(dataSource, e1)).toMatchObject({ parked_at: null, published_at: null });
    const rows = await selectRows(dataSource, 'SELECT 1 FROM outbox_message WHERE parked_at IS NOT NULL');
    expect(rows).toHaveLength(0);
  });
});

/** `pnpm outbox --service status-change …` against the test database, as an operator runs it. */
const outboxCommand = (databaseUrl: string, args: string[]) =>
  runScript('packages/outbox/src/cli.ts', ['--service', 'status-change', ...args], { DATABASE_URL: databaseUrl });

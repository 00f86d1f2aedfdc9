import { randomUUID } from 'node:crypto';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource, openDataSource, selectRows } from '@xueji/db';
import { createKafkaEventBus, type BusMessage, type EventBus } from '@xueji/event-bus';
import { createEvent, toBusMessage } from '@xueji/events';
import {
  CreateInbox1763800000001,
  InboxConsumer,
  KeepDeadLetteredEvents1763800014200,
  type EventHandlers,
} from '@xueji/inbox';
import {
  createTestDatabase,
  dropTestDatabase,
  kafkaBrokers,
  readTopic,
  testTopicPrefix,
  waitFor,
} from '@xueji/testkit';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

class CreateTally1763899999999 implements MigrationInterface {
  name = 'CreateTally1763899999999';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE tally (student_id uuid PRIMARY KEY, registrations int NOT NULL)');
  }
  async down(): Promise<void> {}
}

const registered = (studentId: string = randomUUID(), name = '张三') =>
  createEvent('xueji.enrolment.student.registered.v1', studentId, {
    studentId,
    schoolId: randomUUID(),
    regionCode: '220102',
    name,
    registeredAt: new Date().toISOString(),
  });

describe('inbox consumer (real PostgreSQL and Kafka)', () => {
  let url: string;
  let dataSource: DataSource;
  let bus: EventBus;
  let topic: string;
  let deadLetter: string;
  let consumerGroup: string;
  let consumer: InboxConsumer;

  const handlers: EventHandlers = {
    'xueji.enrolment.student.registered.v1': async (event, manager) => {
      if (event.data.name === 'poison') throw new Error('cannot apply this registration');
      await manager.query(
        `INSERT INTO tally (student_id, registrations) VALUES ($1, 1)
         ON CONFLICT (student_id) DO UPDATE SET registrations = tally.registrations + 1`,
        [event.data.studentId],
      );
    },
  };

  const tally = async (studentId: string): Promise<number | null> => {
    const rows: { registrations: number }[] = await dataSource.query(
      'SELECT registrations FROM tally WHERE student_id = $1',
      [studentId],
    );
    return rows[0]?.registrations ?? null;
  };

  beforeAll(async () => {
    url = await createTestDatabase('inbox');
    dataSource = await openDataSource(
      createDataSource({
        url,
        entities: [],
        migrations: [CreateInbox1763800000001, KeepDeadLetteredEvents1763800014200, CreateTally1763899999999],
      }),
    );
    bus = createKafkaEventBus({ brokers: kafkaBrokers(), clientId: 'inbox-test' });
    const prefix = testTopicPrefix();
    consumerGroup = `${prefix}inbox-test`;
    topic = `${prefix}events`;
    deadLetter = `${prefix}dead-letter`;
    await bus.ensureTopics([
      { name: topic, partitions: 3 },
      { name: deadLetter, partitions: 1 },
    ]);
    consumer = new InboxConsumer({
      dataSource,
      bus,
      consumer: consumerGroup,
      topics: [topic],
      handlers,
      deadLetterTopic: deadLetter,
      logger: silent,
      maxAttempts: 3,
      retryDelayMs: 10,
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer.stop();
    await bus.close();
    await dataSource.destroy();
    await dropTestDatabase(url);
  });

  it('applies the same event delivered twice only once', async () => {
    const event = registered();
    await bus.publish(topic, [toBusMessage(event), toBusMessage(event)]);
    await waitFor(async () => (await tally(event.subject)) !== null, { what: 'the event to be applied' });
    // A later event on the same partition proves the duplicate was already consumed.
    const marker = registered(event.subject, '李四');
    await bus.publish(topic, [toBusMessage(marker)]);
    await waitFor(async () => (await tally(event.subject)) === 2, { what: 'the marker event' });
    const seen = await selectRows(dataSource, 'SELECT outcome FROM inbox_message WHERE event_id = $1', [event.id]);
    expect(seen).toEqual([{ outcome: 'APPLIED' }]);
  });

  it('dead-letters an event that keeps failing, with its error, and moves on', async () => {
    const poison = registered(randomUUID(), 'poison');
    const next = registered(poison.subject, '王五');
    await bus.publish(topic, [toBusMessage(poison), toBusMessage(next)]);

    await waitFor(async () => (await tally(poison.subject)) === 1, { what: 'the event after the poison one' });
    const dead = await readTopic(kafkaBrokers(), deadLetter, (m) => m.some((x) => x.headers.ce_id === poison.id));
    const letter = dead.find((x) => x.headers.ce_id === poison.id)!;
    expect(letter.headers['x-dead-letter-reason']).toBe('cannot apply this registration');
    expect(letter.headers['x-dead-letter-consumer']).toBe(consumerGroup);
    expect(letter.headers['x-original-topic']).toBe(topic);
    const recorded = await selectRows(dataSource, 'SELECT outcome, error FROM inbox_message WHERE event_id = $1', [
      poison.id,
    ]);
    expect(recorded).toEqual([{ outcome: 'DEAD_LETTERED', error: 'cannot apply this registration' }]);
    // The message is kept with its inbox row, for an operator to apply again (`pnpm inbox … release`).
    const kept = await selectRows<{ topic: string; message_key: string; value: Buffer; reason: string }>(
      dataSource,
      'SELECT topic, message_key, value, reason FROM inbox_dead_letter WHERE event_id = $1',
      [poison.id],
    );
    expect(kept).toEqual([
      {
        topic,
        message_key: poison.subject,
        value: toBusMessage(poison).value,
        reason: 'cannot apply this registration',
      },
    ]);
  });

  it('dead-letters messages that are not CloudEvents or break their contract', async () => {
    const garbage: BusMessage = { key: 'k', value: Buffer.from('not json'), headers: { 'x-test': 'garbage' } };
    const broken = registered();
    const brokenMessage = toBusMessage(broken);
    brokenMessage.value = Buffer.from(JSON.stringify({ ...broken.data, regionCode: 'nowhere' }));
    const after = registered();
    await bus.publish(topic, [garbage, brokenMessage, toBusMessage(after)]);

    await waitFor(async () => (await tally(after.subject)) === 1, { what: 'the event after the bad ones' });
    const dead = await readTopic(
      kafkaBrokers(),
      deadLetter,
      (m) => m.some((x) => x.headers['x-test'] === 'garbage') && m.some((x) => x.headers.ce_id === broken.id),
    );
    expect(dead.find((x) => x.headers['x-test'] === 'garbage')!.headers['x-dead-letter-reason']).toMatch(
      /not a CloudEvent/,
    );
    expect(dead.find((x) => x.headers.ce_id === broken.id)!.headers['x-dead-letter-reason']).toMatch(/regionCode/);
    expect(await tally(broken.subject)).toBeNull();
  });
});

/**
 * The operator commands (issue 14, "Operator commands"), run as an operator runs them — child
 * processes on a service's database, real PostgreSQL and Kafka: the outbox backlog, dead-lettered
 * consumed events listed, released (applied once, with the service's own handlers) and discarded,
 * both audited; a replay into a new database the command creates.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, selectOne, selectRows } from '@xueji/db';
import { createKafkaEventBus, type EventBus } from '@xueji/event-bus';
import { createEvent, toBusMessage, type EventEnvelope } from '@xueji/events';
import { InboxConsumer, type EventHandlers } from '@xueji/inbox';
import { appendToOutbox, OutboxRelay } from '@xueji/outbox';
import { loadPolicyProfile } from '@xueji/policy';
import { createLogger, deploymentEnv, eventHandlersOf, serviceMigrations } from '@xueji/service-kit';
import {
  auditRows,
  createTestDatabase,
  dropTestDatabase,
  kafkaBrokers,
  pgAdminUrl,
  readTopic,
  runScript,
  testServiceConfig,
  testTopicPrefix,
  uniqueSuffix,
  waitFor,
} from '@xueji/testkit';
import { assessment } from '../services/assessment/src/service';

jest.setTimeout(180_000);

const OPERATOR = 'ops-on-call';

/** `pnpm <script> …` as an operator runs it, with the service's environment. */
const cli = (script: string, args: string[], env: Record<string, string | undefined>) =>
  runScript(script, args, { LOG_LEVEL: 'silent', ...env });

describe('operator commands (real PostgreSQL and Kafka, the commands as child processes)', () => {
  const prefix = testTopicPrefix();
  const enrolmentTopic = `${prefix}xueji.enrolment.events`;
  const deadLetterTopic = `${prefix}xueji.dead-letter`;
  const intoDatabase = `test_replay_into_${uniqueSuffix()}`;
  let url: string;
  let dataSource: DataSource;
  let bus: EventBus;
  let env: Record<string, string>;

  const outbox = (args: string[]) => cli('packages/outbox/src/cli.ts', args, env);
  const inbox = (args: string[]) => cli('scripts/inbox.ts', ['--service', 'assessment', ...args], env);
  const backlog = async () => {
    const run = await outbox(['backlog', '--service', 'assessment', '--json']);
    expect(run).toMatchObject({ code: 0 });
    return JSON.parse(run.stdout) as Record<string, unknown>;
  };

  beforeAll(async () => {
    url = await createTestDatabase('operator_commands');
    dataSource = await openDataSource(
      createDataSource({ url, entities: assessment.entities, migrations: serviceMigrations(assessment) }),
    );
    bus = createKafkaEventBus({ brokers: kafkaBrokers(), clientId: 'operator-commands-test' });
    await bus.ensureTopics([
      { name: enrolmentTopic, partitions: 3 },
      { name: `${prefix}xueji.status-change.events`, partitions: 3 },
      { name: `${prefix}ops`, partitions: 1 },
      { name: deadLetterTopic, partitions: 1 },
    ]);
    env = { DATABASE_URL: url, KAFKA_TOPIC_PREFIX: prefix, KAFKA_BROKERS: kafkaBrokers().join(',') };
  });

  afterAll(async () => {
    await bus.close();
    await dataSource.destroy();
    await dropTestDatabase(url);
    await dropTestDatabase(`postgres://x/${intoDatabase}`);
  });

  it('pnpm outbox backlog: a pending row, then none once the relay published it', async () => {
    const event = createEvent('xueji.enrolment.student.registered.v1', randomUUID(), {
      studentId: randomUUID(),
      schoolId: randomUUID(),
      regionCode: '220102',
      name: '张三',
      registeredAt: new Date().toISOString(),
    });
    await dataSource.transaction((manager) => appendToOutbox(manager, `${prefix}ops`, event));

    expect(await backlog()).toEqual({
      service: 'assessment',
      unpublished: 1,
      oldestUnpublishedSeconds: expect.any(Number),
      parked: 0,
      deadLettered: 0,
    });
    const table = await outbox(['backlog', '--service', 'assessment']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^SERVICE\s+UNPUBLISHED\s+OLDEST\s+PARKED\s+DEAD-LETTERED$/);
    expect(table.stdout.split('\n')[1]).toMatch(/^assessment\s+1\s+\d+s\s+0\s+0$/);

    const relay = new OutboxRelay({
      databaseUrl: url,
      bus,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      deadLetterTopic,
      pollIntervalMs: 100,
    });
    relay.start();
    try {
      await readTopic(kafkaBrokers(), `${prefix}ops`, (m) => m.some((x) => x.headers.ce_id === event.id));
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await waitFor(async () => (await OutboxRelay.pendingCount(client)) === 0, { what: 'the row published' });
      } finally {
        await client.end();
      }
    } finally {
      await relay.stop();
    }
    expect(await backlog()).toMatchObject({ unpublished: 0, oldestUnpublishedSeconds: null, parked: 0 });
  });

  describe('dead-lettered consumed events', () => {
    const studentId = randomUUID();
    let registered: EventEnvelope;
    let broken: EventEnvelope;
    let consumer: InboxConsumer;

    const outcome = async (eventId: string) =>
      (await selectOne<{ outcome: string; error: string | null }>(
        dataSource,
        'SELECT outcome, error FROM inbox_message WHERE event_id = $1',
        [eventId],
      ))!;
    const scopes = async () =>
      (await selectRows(dataSource, 'SELECT 1 FROM student_scope WHERE student_id = $1', [studentId])).length;

    beforeAll(async () => {
      const config = testServiceConfig('assessment', { databaseUrl: url, topicPrefix: prefix });
      const logger = createLogger('operator-commands-test', 'silent');
      const handlers = eventHandlersOf(assessment, deploymentEnv(config, loadPolicyProfile('national'), logger));
      // The service's own handlers, except that registrations fail for now (a cause the operator fixes).
      const failing: EventHandlers = {
        ...handlers,
        'xueji.enrolment.student.registered.v1': () => Promise.reject(new Error('school register unreachable')),
      };
      consumer = new InboxConsumer({
        dataSource,
        bus,
        consumer: config.consumerGroup,
        topics: [enrolmentTopic],
        handlers: failing,
        deadLetterTopic,
        logger,
        maxAttempts: 2,
        retryDelayMs: 10,
      });
      await consumer.start();
      registered = createEvent('xueji.enrolment.student.registered.v1', studentId, {
        studentId,
        schoolId: randomUUID(),
        regionCode: '220102',
        name: '李四',
        idNumber: '220102200901011234',
        registeredAt: new Date().toISOString(),
      });
      // A registration that breaks its contract (the student id is no UUID): it can never be applied.
      broken = createEvent('xueji.enrolment.student.registered.v1', studentId, {
        studentId,
        schoolId: randomUUID(),
        regionCode: '220102',
        name: '李四',
        registeredAt: new Date().toISOString(),
      });
      const brokenMessage = toBusMessage(broken);
      brokenMessage.value = Buffer.from(JSON.stringify({ ...(broken.data as object), studentId: 'not-a-uuid' }));
      await bus.publish(enrolmentTopic, [toBusMessage(registered), brokenMessage]);
      await waitFor(
        async () =>
          (
            await selectRows(dataSource, `SELECT 1 FROM inbox_message WHERE event_id = ANY($1)`, [
              [registered.id, broken.id],
            ])
          ).length === 2,
        { what: 'both events dead-lettered' },
      );
    });

    afterAll(async () => {
      await consumer.stop();
    });

    it('are kept with their message, listed (without their data), and counted in the backlog', async () => {
      expect(await outcome(registered.id)).toEqual({ outcome: 'DEAD_LETTERED', error: 'school register unreachable' });
      expect((await outcome(broken.id)).outcome).toBe('DEAD_LETTERED');
      await readTopic(kafkaBrokers(), deadLetterTopic, (m) => m.some((x) => x.headers.ce_id === registered.id));
      const kept = await selectOne<{ topic: string; message_key: string; reason: string }>(
        dataSource,
        'SELECT topic, message_key, reason FROM inbox_dead_letter WHERE event_id = $1',
        [registered.id],
      );
      expect(kept).toEqual({ topic: enrolmentTopic, message_key: studentId, reason: 'school register unreachable' });

      // A page at a time, oldest first (keyset on the order they were dead-lettered).
      const [first, second, counted] = await Promise.all([
        inbox(['list-dead-lettered', '--limit', '1']),
        inbox(['list-dead-lettered', '--limit', '1', '--after', registered.id]),
        backlog(),
      ]);
      expect(first.code).toBe(0);
      const [line, more] = first.stdout.trim().split('\n');
      expect(line).toContain(registered.id);
      expect(line).toContain(`topic=${enrolmentTopic}/`);
      expect(line).toContain(`key=${studentId}`);
      expect(line).toContain('error="school register unreachable"');
      expect(more).toBe(`more: pnpm inbox --service assessment list-dead-lettered --after ${registered.id}`);
      expect(second.stdout.trim().split('\n')).toEqual([expect.stringContaining(broken.id)]);
      // The event's data (a name, an ID number) never reaches the operator's screen.
      expect(first.stdout + second.stdout).not.toMatch(/李四|220102200901011234/);
      expect(counted).toMatchObject({ deadLettered: 2 });
    });

    it('release applies it once with the service’s handlers (APPLIED, audited); failing again it stays', async () => {
      expect(await scopes()).toBe(0);
      const released = await inbox(['release', registered.id, '--operator', OPERATOR]);
      expect(released).toMatchObject({ code: 0, stdout: expect.stringContaining('applied') });
      expect(await outcome(registered.id)).toEqual({ outcome: 'APPLIED', error: null });
      expect(await scopes()).toBe(1);
      expect(
        await selectRows(dataSource, 'SELECT 1 FROM inbox_dead_letter WHERE event_id = $1', [registered.id]),
      ).toEqual([]);
      // Applied once: a second release is refused plainly, and a redelivery is skipped.
      expect(await inbox(['release', registered.id])).toMatchObject({
        code: 1,
        stderr: expect.stringContaining(`no dead-lettered event ${registered.id}`),
      });
      expect(
        await consumer.receive({ ...toBusMessage(registered), topic: enrolmentTopic, partition: 0, offset: '0' }),
      ).toBe('DUPLICATE');
      expect(await scopes()).toBe(1);

      // One that breaks its contract fails again: still awaiting an operator, with the new error.
      const again = await inbox(['release', broken.id, '--operator', OPERATOR]);
      expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('stays dead-lettered') });
      expect(await outcome(broken.id)).toMatchObject({
        outcome: 'DEAD_LETTERED',
        error: expect.stringMatching(/uuid/i),
      });
      expect(
        await selectOne(dataSource, 'SELECT releases FROM inbox_dead_letter WHERE event_id = $1', [broken.id]),
      ).toEqual({ releases: 1 });

      const audits = await selectRows(
        dataSource,
        `SELECT actor, role, entity, entity_id AS "entityId", details FROM audit_entry
          WHERE action = 'RELEASE_DEAD_LETTERED_EVENT' ORDER BY id`,
      );
      expect(audits).toEqual([
        expect.objectContaining({
          actor: OPERATOR,
          role: 'OPERATOR',
          entity: 'inbox_message',
          entityId: registered.id,
          details: expect.objectContaining({
            applied: true,
            topic: enrolmentTopic,
            previousError: 'school register unreachable',
          }),
        }),
        expect.objectContaining({
          actor: OPERATOR,
          entityId: broken.id,
          details: expect.objectContaining({ applied: false }),
        }),
      ]);
    });

    it('discard resolves it without applying it (DISCARDED, audited with the reason); gone from the list', async () => {
      expect((await inbox(['discard', broken.id])).code).toBe(2); // a reason is required
      const discarded = await inbox([
        'discard',
        broken.id,
        '--reason',
        'the school re-sent the registration',
        '--operator',
        OPERATOR,
      ]);
      expect(discarded).toMatchObject({ code: 0 });
      expect((await outcome(broken.id)).outcome).toBe('DISCARDED');
      expect(await selectRows(dataSource, 'SELECT 1 FROM inbox_dead_letter')).toEqual([]);
      const [listed, counted] = await Promise.all([inbox(['list-dead-lettered']), backlog()]);
      expect(listed.stdout.trim()).toBe('no dead-lettered events in assessment');
      expect(counted).toMatchObject({ deadLettered: 0 });
      expect((await auditRows(dataSource)).at(-1)).toMatchObject({
        actor: OPERATOR,
        role: 'OPERATOR',
        action: 'DISCARD_DEAD_LETTERED_EVENT',
        entity: 'inbox_message',
        entityId: broken.id,
        reason: 'the school re-sent the registration',
      });
    });

    it('pnpm replay --into: refused while the service consumes; then creates the database and replays into it', async () => {
      const replayEnv = { DATABASE_URL: undefined, XUEJI_PG_URL: pgAdminUrl(), KAFKA_TOPIC_PREFIX: prefix };
      const replay = (args: string[]) =>
        cli('scripts/replay.ts', ['--service', 'assessment', '--into', intoDatabase, ...args], replayEnv);
      const exists = async () =>
        (await selectRows(dataSource, 'SELECT 1 FROM pg_database WHERE datname = $1', [intoDatabase])).length === 1;

      await waitFor(async () => consumer.ready, { what: 'the consumer in its group' });
      const refused = await replay([]);
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('stop the service first') });
      expect(await exists()).toBe(false);

      await consumer.stop();
      const done = await replay([]);
      expect(done).toMatchObject({ code: 0 });
      expect(done.stdout).toContain(`created database ${intoDatabase}`);
      expect(done.stdout).toMatch(/1 events applied.*1 dead-lettered/);
      expect(done.stdout).toContain(`ALTER DATABASE ${intoDatabase} RENAME TO`);
      expect(done.stdout).not.toContain(':xueji@'); // no password printed
      expect(await exists()).toBe(true);

      expect((await replay([])).stderr).toContain(`database ${intoDatabase} exists`);
    });
  });
});

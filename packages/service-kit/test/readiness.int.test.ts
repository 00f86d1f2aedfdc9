import { spawn } from 'node:child_process';
import { allTopics } from '@xueji/config';
import { createKafkaEventBus } from '@xueji/event-bus';
import { startService, StartAborted, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  describeConsumerGroup,
  dropTestDatabase,
  holdConsumerGroup,
  kafkaBrokers,
  REPO_ROOT,
  TEST_JWT_SECRET,
  testServiceConfig,
  testTopicPrefix,
  waitFor,
} from '@xueji/testkit';
import { statusChange } from '../../../services/status-change/src/service';

/**
 * Issue 10, "Operations": `/ready` means ready to consume (503 until the inbox consumer has joined
 * its group and been given its partitions), and stopping leaves the group in every phase, also
 * while the consumer is still joining, so the next instance gets its partitions at once rather
 * than after the 30 s session timeout.
 */

let databaseUrl: string;
const topicPrefix = testTopicPrefix();
const config = () => testServiceConfig('status-change', { databaseUrl, topicPrefix, relay: false });
const consumedTopics = () => statusChange.consumes!.topics(config().topics);
const readiness = async (service: RunningService) => {
  const response = await fetch(service.url.replace('/graphql', '/ready'));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const ourMembers = async () =>
  (await describeConsumerGroup(config().consumerGroup)).members.filter((m) => m.clientId === 'xueji-status-change');

beforeAll(async () => {
  databaseUrl = await createTestDatabase('readiness');
  const admin = createKafkaEventBus({ brokers: kafkaBrokers(), clientId: 'test-readiness' });
  await admin.ensureTopics(allTopics(topicPrefix));
  await admin.close();
});

afterAll(async () => {
  await dropTestDatabase(databaseUrl);
});

describe('readiness and shutdown of a consuming service', () => {
  it('answers /ready 503 until its consumer has joined the group, then 200', async () => {
    // Another member that notices the rebalance slowly: joining takes a few seconds.
    const holder = await holdConsumerGroup(config().consumerGroup, consumedTopics());
    const service = await startService(statusChange, config());
    try {
      const before = await readiness(service);
      expect(before.status).toBe(503);
      expect(before.body).toEqual({ status: 'not ready', database: true, kafka: true, consumer: false });
      expect((await fetch(service.url.replace('/graphql', '/health'))).status).toBe(200);

      const after = await waitFor(
        async () => {
          const r = await readiness(service);
          return r.status === 200 && r;
        },
        { timeoutMs: 40_000, intervalMs: 200, what: '/ready 200' },
      );
      expect(after.body).toEqual({ status: 'ready', database: true, kafka: true, consumer: true });
      expect(service.consumer!.ready).toBe(true);
    } finally {
      await service.stop();
      await holder.release();
    }
  });

  it('leaves the group when stopped while its consumer is still joining; the next instance is ready at once', async () => {
    const holder = await holdConsumerGroup(config().consumerGroup, consumedTopics());
    const first = await startService(statusChange, config());
    expect(first.consumer!.ready).toBe(false); // still joining
    await first.stop();
    expect(await ourMembers()).toEqual([]);
    await holder.release();
    expect((await describeConsumerGroup(config().consumerGroup)).members).toEqual([]);

    const started = Date.now();
    const second = await startService(statusChange, config());
    try {
      await waitFor(async () => (await readiness(second)).status === 200, {
        timeoutMs: 40_000,
        intervalMs: 100,
        what: 'the next instance to be ready',
      });
      // Well under the 30 s session timeout a member left behind would hold the partitions for.
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      await second.stop();
    }
    expect(await ourMembers()).toEqual([]);
  });

  it('stops cleanly when told to while it migrates', async () => {
    const aborted = new AbortController();
    const starting = startService(statusChange, config(), { signal: aborted.signal });
    aborted.abort(); // during the migrations: they finish, then the start gives up
    await expect(starting).rejects.toBeInstanceOf(StartAborted);
    expect(await ourMembers()).toEqual([]);
  });

  /** The real service process, as `pnpm start` runs it; SIGTERM once `when` says so; its exit code. */
  const runUntilSigterm = (when: (output: string) => boolean) =>
    new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'services/status-change/src/main.ts'], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          PORT: '0',
          LOG_LEVEL: 'info',
          DATABASE_URL: databaseUrl,
          KAFKA_BROKERS: kafkaBrokers().join(','),
          KAFKA_TOPIC_PREFIX: topicPrefix,
          XUEJI_JWT_SECRET: TEST_JWT_SECRET,
          OUTBOX_RELAY_ENABLED: 'false',
        },
      });
      let output = '';
      let signalled = false;
      const check = () => {
        if (!signalled && when(output)) {
          signalled = true;
          child.kill('SIGTERM');
        }
      };
      const poll = setInterval(check, 20);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        check();
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => {
        clearInterval(poll);
        resolve({ code, output });
      });
    });

  it('exits 0 on SIGTERM while it starts (migrations, connecting)', async () => {
    const { code, output } = await runUntilSigterm((out) => out.includes('subgraph starting'));
    expect(output).not.toContain('subgraph ready');
    expect(code).toBe(0);
  });

  it('exits 0 on SIGTERM while its consumer joins, having left the group', async () => {
    const holder = await holdConsumerGroup(config().consumerGroup, consumedTopics());
    try {
      const { code, output } = await runUntilSigterm((out) => out.includes('subgraph ready'));
      expect(output).not.toContain('Consumer has joined the group');
      expect(code).toBe(0);
      expect(await ourMembers()).toEqual([]);
    } finally {
      await holder.release();
    }
  });
});

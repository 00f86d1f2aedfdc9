import { Kafka, logLevel } from 'kafkajs';
import { testRunPrefix } from './fixtures';

/**
 * Deletes the run's Kafka topics and consumer groups (a broker that keeps every run's topics
 * grows until it takes minutes to start), then stops containers started for the run;
 * infra-script services stay up for the next run. Test databases are dropped by each test file.
 */
export default async function globalTeardown(): Promise<void> {
  try {
    await deleteRunTopics();
  } catch (error) {
    // Best effort: a leftover topic costs disk, not correctness; the tests have already passed or failed.
    process.stderr.write(`[testkit] could not delete this run's topics: ${String(error)}\n`);
  }
  await globalThis.__XUEJI_INFRA__?.stop?.();
}

async function deleteRunTopics(): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS?.split(',');
  if (!brokers) return;
  const prefix = testRunPrefix();
  const admin = new Kafka({ clientId: 'test-teardown', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const runGroups = groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
    if (runGroups.length > 0) await admin.deleteGroups(runGroups).catch(() => undefined);
    const runTopics = (await admin.listTopics()).filter((name) => name.startsWith(prefix));
    if (runTopics.length > 0) await admin.deleteTopics({ topics: runTopics, timeout: 30_000 });
    process.stderr.write(`[testkit] deleted ${runTopics.length} topics and ${runGroups.length} groups of this run\n`);
  } finally {
    await admin.disconnect();
  }
}

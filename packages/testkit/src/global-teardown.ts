import { testRunPrefix } from './fixtures';
import { deleteTopicsAndGroups } from './kafka-cleanup';

/**
 * Deletes the run's Kafka topics and consumer groups, then stops containers started for the run;
 * infra-script services stay up for the next run. Test databases are dropped by each test file.
 */
export default async function globalTeardown(): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS?.split(',');
  if (brokers) {
    try {
      const deleted = await deleteTopicsAndGroups(brokers, testRunPrefix());
      process.stderr.write(`[testkit] deleted ${deleted.topics} topics and ${deleted.groups} groups of this run\n`);
    } catch (error) {
      // Best effort: a leftover topic costs disk, not correctness; the tests have already passed or failed.
      process.stderr.write(`[testkit] could not delete this run's topics: ${String(error)}\n`);
    }
  }
  await globalThis.__XUEJI_INFRA__?.stop?.();
}

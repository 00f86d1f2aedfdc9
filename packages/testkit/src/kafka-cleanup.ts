import { Kafka, logLevel } from 'kafkajs';

/**
 * Deletes the Kafka topics and consumer groups whose names start with `prefix`: what one test run
 * or one benchmark created. A broker that keeps them all grows until it takes minutes to start.
 */
export async function deleteTopicsAndGroups(
  brokers: string[],
  prefix: string,
): Promise<{ topics: number; groups: number }> {
  const admin = new Kafka({ clientId: 'cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
    // A group that still has members is left; its topics go anyway.
    if (ours.length > 0) await admin.deleteGroups(ours).catch(() => undefined);
    const topics = (await admin.listTopics()).filter((name) => name.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    return { topics: topics.length, groups: ours.length };
  } finally {
    await admin.disconnect();
  }
}

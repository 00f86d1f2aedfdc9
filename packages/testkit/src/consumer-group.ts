import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from './fixtures';

export interface GroupMember {
  memberId: string;
  clientId: string;
}

/** A consumer group as the broker describes it: its state and its members. */
export async function describeConsumerGroup(groupId: string): Promise<{ state: string; members: GroupMember[] }> {
  const admin = new Kafka({ clientId: 'test-describe', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups[0];
    return {
      state: group?.state ?? 'Dead',
      members: (group?.members ?? []).map((m) => ({ memberId: m.memberId, clientId: m.clientId })),
    };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Join a consumer group with a member that notices rebalances slowly (a heartbeat every
 * `heartbeatMs`): whoever joins the group meanwhile waits that long to finish joining, as a
 * service does during a rolling restart. `release()` leaves the group.
 */
export async function holdConsumerGroup(
  groupId: string,
  topics: string[],
  { heartbeatMs = 6_000 } = {},
): Promise<{ release(): Promise<void> }> {
  const kafka = new Kafka({ clientId: 'test-group-holder', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: heartbeatMs });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({ eachMessage: async () => undefined }); // resolves once joined
  return { release: () => consumer.disconnect() };
}

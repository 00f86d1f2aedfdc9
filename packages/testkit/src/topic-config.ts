import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';

/** Change a topic's broker settings (e.g. raise `max.message.bytes`), as an operator would. */
export async function alterTopicConfig(
  brokers: string[],
  topic: string,
  config: Record<string, string>,
): Promise<void> {
  const admin = new Kafka({ clientId: 'topic-config', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

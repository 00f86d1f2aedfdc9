import {
  Kafka,
  Partitioners,
  logLevel as KafkaLogLevel,
  type Consumer,
  type EachMessagePayload,
  type IHeaders,
  type Producer,
} from 'kafkajs';
import {
  PermanentPublishError,
  SUBSCRIPTION_JOIN_WAIT_MS,
  type BusMessage,
  type EventBus,
  type ReceivedMessage,
  type SubscribeOptions,
  type Subscription,
  type PartitionEnd,
  type PartitionLag,
  type TopicHistory,
  type TopicSpec,
} from './bus';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Receives kafkajs' own log lines. */
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra: Record<string, unknown>) => void;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return result;
}

/** A message as the bus hands it on: key and headers as text, the value as it came. */
function received({
  topic,
  partition,
  message,
}: Pick<EachMessagePayload, 'topic' | 'partition' | 'message'>): ReceivedMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : null,
    value: message.value,
    headers: headersToStrings(message.headers),
  };
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

function isTransientTopicError(error: unknown): boolean {
  const e = error as { type?: string; retriable?: boolean };
  return (
    e.retriable === true ||
    ['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'TOPIC_ALREADY_EXISTS', 'NOT_CONTROLLER'].includes(
      e.type ?? '',
    )
  );
}

/** Broker answers that refuse a message for what it is: sending it again cannot succeed. */
const PERMANENT_PRODUCE_ERRORS = ['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD'];

/** The broker's refusal in a kafkajs error or its causes (the retrier wraps the protocol error). */
function permanentProduceError(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string' && PERMANENT_PRODUCE_ERRORS.includes(type)) return type;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** The kafkajs implementation of the bus. */
export class KafkaEventBus implements EventBus {
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  private producerReady: Promise<Producer> | null = null;
  private readonly consumers = new Set<Consumer>();
  private readonly log: KafkaBusOptions['log'];

  constructor(options: KafkaBusOptions) {
    const log = options.log;
    this.log = log;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      retry: { retries: 8, initialRetryTime: 200 },
      logLevel: KafkaLogLevel.WARN,
      logCreator: () => (entry) => {
        const { message, ...extra } = entry.log;
        log?.(LEVELS[entry.level] ?? 'info', `kafka: ${message}`, { namespace: entry.namespace, ...extra });
      },
    });
  }

  private async getProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    // One in-flight request keeps the idempotent producer's sequence numbers in order (kafkajs #598).
    this.producerReady ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // Murmur2, as the Java client: a student's key lands on the same partition whoever produces it.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().catch((error: unknown) => {
      this.producerReady = null;
      throw error;
    });
    return this.producerReady;
  }

  async publish(topic: string, messages: BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.getProducer();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      });
    } catch (error) {
      const reason = permanentProduceError(error);
      if (reason) throw new PermanentPublishError((error as Error).message, reason, { cause: error });
      throw error;
    }
  }

  /**
   * Connect and subscribe, then join the group in the background: this resolves before the join
   * (see `Subscription.ready`), so a service answers its probes, and can be stopped, meanwhile.
   */
  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    let ready = false;
    let stopped = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      ready = !stopped;
    });
    consumer.on(consumer.events.CRASH, () => {
      ready = false;
    });
    // Tracked before connecting, so that `close()` disconnects a consumer that is still starting.
    this.consumers.add(consumer);
    let running: Promise<void>;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
      // kafkajs' `run` resolves once the group is joined (or the join crashed and a restart is
      // scheduled); it is not awaited here.
      running = consumer
        .run({
          autoCommit: true,
          partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
          eachMessage: async (payload) => {
            await options.handle(received(payload));
            await payload.heartbeat();
          },
        })
        .catch((error: unknown) => {
          this.log?.('error', 'kafka: consumer failed to start', { groupId: options.groupId, error: String(error) });
        });
    } catch (error) {
      this.consumers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    return {
      get ready() {
        return ready;
      },
      stop: async () => {
        stopped = true;
        ready = false;
        // kafkajs leaves the group on disconnect only once the join has finished: a member that
        // disconnects mid-join would hold the group's partitions until its session times out.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          running,
          new Promise((resolve) => (timer = setTimeout(resolve, SUBSCRIPTION_JOIN_WAIT_MS))),
        ]);
        clearTimeout(timer);
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  /**
   * Create topics that do not exist yet and wait until every partition has a leader. Right after a
   * creation the broker may briefly answer "unknown topic" or "no leader": those are retried.
   */
  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const existing = new Set(await admin.listTopics());
          const missing = topics.filter((t) => !existing.has(t.name));
          if (missing.length > 0) {
            // Replication factor: the broker's default (1 on a single node, more in production).
            await admin.createTopics({
              waitForLeaders: false,
              topics: missing.map((t) => ({
                topic: t.name,
                numPartitions: t.partitions,
                configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
              })),
            });
          }
          const { topics: metadata } = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) });
          if (metadata.every((m) => m.partitions.length > 0 && m.partitions.every((p) => p.leader >= 0))) return;
        } catch (error) {
          if (!isTransientTopicError(error) || attempt >= 50) throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await admin.disconnect();
    }
  }

  async readHistory(topics: string[]): Promise<TopicHistory> {
    const ends = await this.partitionEnds(topics);
    const partitions = new Map(ends.map((e) => [`${e.topic}/${e.partition}`, [] as ReceivedMessage[]]));
    // Partitions still to read to their end (an empty one is read already).
    const pending = new Set(ends.filter((e) => e.offset !== e.low).map((e) => `${e.topic}/${e.partition}`));
    if (pending.size === 0) return { partitions: [...partitions.values()], ends: ends.map(endOf) };
    const groupId = `replay-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const endOffset = new Map(ends.map((e) => [`${e.topic}/${e.partition}`, BigInt(e.offset)]));
    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ topic, partition, message }) => {
              const key = `${topic}/${partition}`;
              if (BigInt(message.offset) >= endOffset.get(key)!) return; // published after the read began
              partitions.get(key)!.push(received({ topic, partition, message }));
              if (BigInt(message.offset) + 1n >= endOffset.get(key)!) pending.delete(key);
              if (pending.size === 0) resolve();
              return Promise.resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
      const admin = this.kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
    return { partitions: [...partitions.values()], ends: ends.map(endOf) };
  }

  async setGroupOffsets(groupId: string, ends: PartitionEnd[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const topic of new Set(ends.map((e) => e.topic))) {
        const partitions = ends
          .filter((e) => e.topic === topic)
          .map((e) => ({ partition: e.partition, offset: e.offset }));
        await admin.setOffsets({ groupId, topic, partitions });
      }
    } finally {
      await admin.disconnect();
    }
  }

  async groupMembers(groupId: string): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([groupId]);
      return groups[0]?.members.length ?? 0;
    } finally {
      await admin.disconnect();
    }
  }

  /** Each partition's earliest retained offset and its end, now. */
  private async partitionEnds(topics: string[]): Promise<(PartitionEnd & { low: string })[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const result: (PartitionEnd & { low: string })[] = [];
      for (const topic of topics) {
        for (const p of await admin.fetchTopicOffsets(topic)) {
          result.push({ topic, partition: p.partition, offset: p.high, low: p.low });
        }
      }
      return result;
    } finally {
      await admin.disconnect();
    }
  }

  async consumerLag(groupId: string, topics: string[]): Promise<PartitionLag[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId, topics });
      const result: PartitionLag[] = [];
      for (const { topic, partitions } of committed) {
        for (const end of await admin.fetchTopicOffsets(topic)) {
          const offset = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          // No committed offset yet: the group starts from the earliest retained message.
          const from = BigInt(offset === '-1' ? end.low : offset);
          const lag = BigInt(end.high) - from;
          result.push({ topic, partition: end.partition, lag: lag > 0n ? Number(lag) : 0 });
        }
      }
      return result;
    } finally {
      await admin.disconnect();
    }
  }

  async isHealthy(): Promise<boolean> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    if (this.producer) await this.producer.disconnect();
    this.producer = null;
    this.producerReady = null;
  }
}

const endOf = ({ topic, partition, offset }: PartitionEnd): PartitionEnd => ({ topic, partition, offset });

export function createKafkaEventBus(options: KafkaBusOptions): EventBus {
  return new KafkaEventBus(options);
}

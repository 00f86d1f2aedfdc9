/**
 * The event bus as the rest of the code sees it. Nothing outside this package imports kafkajs,
 * so the client can be replaced (kafkajs has had no release since 2023) without touching services.
 */
export interface BusMessage {
  /** Partition key: the student id, so one student's events stay in order. */
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface ReceivedMessage extends BusMessage {
  topic: string;
  partition: number;
  offset: string;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Topic-level broker settings applied when the topic is created (e.g. `max.message.bytes`). */
  config?: Record<string, string>;
}

/**
 * The broker refused these messages for what they are (too large for the topic, an invalid
 * record): sending the same messages again cannot succeed. Any other publish error may be
 * transient (broker down, leader moving) and is worth retrying.
 */
export class PermanentPublishError extends Error {
  override readonly name = 'PermanentPublishError';

  constructor(
    message: string,
    /** The broker's reason, e.g. `MESSAGE_TOO_LARGE`. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SubscribeOptions {
  /** Consumer group: one per consuming service (and per purpose). */
  groupId: string;
  topics: string[];
  /** Read from the beginning when the group has no committed offset. */
  fromBeginning?: boolean;
  /**
   * Called once per message, in order within a partition. The offset is committed only after it
   * resolves; if it throws, the message is delivered again.
   */
  handle(message: ReceivedMessage): Promise<void>;
  /**
   * Partitions handled at once (default 1: one message at a time). Order within a partition, so
   * per key, is kept; a consumer above 1 must tolerate events of different keys applied at once.
   */
  partitionsConcurrently?: number;
}

export interface Subscription {
  /**
   * Has the consumer joined its group and been given its partitions? False while it connects and
   * joins (which can take the session timeout when an earlier member left uncleanly), after a crash
   * and once stopped. Readiness (`/ready`) answers with it.
   */
  readonly ready: boolean;
  /**
   * Leave the group and disconnect. Stopping while the consumer is still joining waits for the
   * join to finish (at most `SUBSCRIPTION_JOIN_WAIT_MS`) so that it can leave: a member that
   * disconnects mid-join stays in the group until its session times out, and the next consumer
   * of the group waits that long for its partitions.
   */
  stop(): Promise<void>;
}

/** How long `Subscription.stop()` waits for a join in progress before disconnecting anyway. */
export const SUBSCRIPTION_JOIN_WAIT_MS = 15_000;

/** Where a topic's partition ends: the offset the next message will take. */
export interface PartitionEnd {
  topic: string;
  partition: number;
  offset: string;
}

/** A consumer group's lag on one partition: messages not yet consumed and committed. */
export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

/** Every message of some topics up to where they ended when asked, partition by partition, in order. */
export interface TopicHistory {
  partitions: ReceivedMessage[][];
  ends: PartitionEnd[];
}

export interface EventBus {
  /** Resolves once every message is acknowledged by the broker (acks=all, idempotent producer). */
  publish(topic: string, messages: BusMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * Read the topics from their earliest retained message to where each partition ends now, outside
   * any service's group (a replay of a read model). Holds what it read in memory.
   */
  readHistory(topics: string[]): Promise<TopicHistory>;
  /** Move a group (with no member running) to these positions: it goes on from there. */
  setGroupOffsets(groupId: string, ends: PartitionEnd[]): Promise<void>;
  /**
   * How many members a consumer group has now (0 when none is running or the group is unknown):
   * the replay refuses to start while the service still consumes. Optional: a bus without it is not asked.
   */
  groupMembers?(groupId: string): Promise<number>;
  /** Create topics that do not exist yet. */
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  /** Can the bus reach the brokers? (readiness) */
  isHealthy(): Promise<boolean>;
  /**
   * How far a consumer group is behind, per partition of the topics: the partition's end minus the
   * group's committed offset (from the earliest retained message when it has committed none).
   * Optional: a bus without it exposes no lag (the metrics' `xueji_consumer_lag`).
   */
  consumerLag?(groupId: string, topics: string[]): Promise<PartitionLag[]>;
  close(): Promise<void>;
}

import type { DataSource, EntityManager } from 'typeorm';
import type { BusMessage, EventBus, ReceivedMessage, Subscription } from '@xueji/event-bus';
import { isUnavailable } from '@xueji/errors';
import {
  EnvelopeError,
  fromBusMessage,
  isKnownEventType,
  parseEvent,
  type EventEnvelope,
  type EventType,
  type TypedEvent,
} from '@xueji/events';
import { inConsumerSpan, type Attributes } from '@xueji/tracing';
import { keepDeadLettered } from './operator';

/** Applies one event inside the inbox transaction; whatever it writes commits with the inbox row. */
export type EventHandler<T extends EventType> = (event: TypedEvent<T>, manager: EntityManager) => Promise<void>;
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

export interface InboxLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface InboxConsumerOptions {
  dataSource: DataSource;
  bus: EventBus;
  /** Consumer group and inbox name, e.g. `subsidy`. */
  consumer: string;
  topics: string[];
  handlers: EventHandlers;
  deadLetterTopic: string;
  logger: InboxLogger;
  /** Attempts before an event is dead-lettered. */
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Partitions applied at once (see `SubscribeOptions.partitionsConcurrently`). */
  partitionsConcurrently?: number;
  /** Told what became of each message (metrics: `xueji_inbox_events_total`); `type` null when unreadable. */
  onOutcome?: (type: string | null, outcome: InboxOutcome) => void;
}

export type InboxOutcome = 'APPLIED' | 'DUPLICATE' | 'IGNORED' | 'DEAD_LETTERED';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The consumer span's attributes (OpenTelemetry messaging and CloudEvents conventions). */
function consumerSpanAttributes(consumer: string, message: ReceivedMessage, envelope: EventEnvelope): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': message.topic,
    'messaging.destination.partition.id': String(message.partition),
    'messaging.kafka.offset': Number(message.offset),
    'messaging.consumer.group.name': consumer,
    'messaging.message.id': envelope.id,
    'cloudevents.event_id': envelope.id,
    'cloudevents.event_type': envelope.type,
    'cloudevents.event_source': envelope.source,
  };
}

/**
 * Consumes events exactly once in effect: each event's id is recorded in the inbox in the same
 * transaction as the handler's changes, and an id already recorded is skipped. An event that is
 * malformed, breaks its contract, or fails `maxAttempts` times goes to the dead-letter topic with
 * its error, and the consumer moves on.
 */
export class InboxConsumer {
  private subscription: Subscription | null = null;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: InboxConsumerOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 200;
  }

  /** Subscribe; resolves before the group is joined (see `ready`). */
  async start(): Promise<void> {
    this.subscription = await this.options.bus.subscribe({
      groupId: this.options.consumer,
      topics: this.options.topics,
      fromBeginning: true,
      partitionsConcurrently: this.options.partitionsConcurrently,
      handle: async (message) => {
        await this.receive(message);
      },
    });
  }

  /** Stop consuming and leave the group, also while the join is still in progress. */
  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
  }

  /** Started, joined to its group and given its partitions (readiness). */
  get ready(): boolean {
    return this.subscription?.ready ?? false;
  }

  /** Handle one delivered message. Exposed for tests that deliver a message directly. */
  async receive(message: ReceivedMessage): Promise<InboxOutcome> {
    let envelope: EventEnvelope;
    try {
      envelope = fromBusMessage(message);
    } catch (error) {
      await this.deadLetter(message, error, null);
      return this.counted(null, 'DEAD_LETTERED');
    }
    const type = envelope.type;
    if (!isKnownEventType(type) || !this.options.handlers[type]) return this.counted(type, 'IGNORED');

    // Applied in a span that continues the trace the event carries (`ce_traceparent`), so the
    // handler's queries and the events it writes join the request that caused it (tracing on only).
    return inConsumerSpan(
      `process ${message.topic}`,
      envelope,
      consumerSpanAttributes(this.options.consumer, message, envelope),
      () => this.applyWithRetries(message, envelope, type),
    );
  }

  private async applyWithRetries(
    message: ReceivedMessage,
    envelope: EventEnvelope,
    type: EventType,
  ): Promise<InboxOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return this.counted(type, await this.apply(envelope, type));
      } catch (error) {
        if (isUnavailable(error)) throw error; // redelivered once the database is back
        const permanent = error instanceof EnvelopeError;
        if (permanent || attempt >= this.maxAttempts) {
          await this.deadLetter(message, error, envelope);
          return this.counted(type, 'DEAD_LETTERED');
        }
        this.options.logger.warn({ err: error, eventId: envelope.id, type, attempt }, 'event handler failed; retrying');
        await sleep(this.retryDelayMs * attempt);
      }
    }
  }

  private counted(type: string | null, outcome: InboxOutcome): InboxOutcome {
    this.options.onOutcome?.(type, outcome);
    return outcome;
  }

  private async apply<T extends EventType>(envelope: EventEnvelope, type: T): Promise<InboxOutcome> {
    const event = parseEvent(envelope, type);
    const handler = this.options.handlers[type] as EventHandler<T>;
    return this.options.dataSource.transaction(async (manager) => {
      const recorded = await this.record(manager, envelope, 'APPLIED', null);
      if (!recorded) return 'DUPLICATE';
      await handler(event, manager);
      return 'APPLIED';
    });
  }

  private async record(
    manager: EntityManager,
    envelope: Pick<EventEnvelope, 'id' | 'type' | 'source'>,
    outcome: 'APPLIED' | 'DEAD_LETTERED',
    error: string | null,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO inbox_message (consumer, event_id, event_type, source, outcome, error)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING event_id`,
      [this.options.consumer, envelope.id, envelope.type, envelope.source, outcome, error],
    );
    return rows.length === 1;
  }

  private async deadLetter(message: ReceivedMessage, error: unknown, envelope: EventEnvelope | null): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    const dead: BusMessage = {
      key: message.key,
      value: message.value,
      headers: {
        ...message.headers,
        'x-dead-letter-reason': reason.slice(0, 2000),
        'x-dead-letter-consumer': this.options.consumer,
        'x-original-topic': message.topic,
        'x-original-partition': String(message.partition),
        'x-original-offset': message.offset,
        'x-dead-lettered-at': new Date().toISOString(),
      },
    };
    // Publish first: if recording fails afterwards the event is redelivered and dead-lettered again,
    // never silently dropped.
    await this.options.bus.publish(this.options.deadLetterTopic, [dead]);
    if (envelope) {
      // The message is kept with its inbox row, so an operator can apply it again (`pnpm inbox … release`).
      await this.options.dataSource.transaction(async (manager) => {
        if (await this.record(manager, envelope, 'DEAD_LETTERED', reason)) {
          await keepDeadLettered(manager, this.options.consumer, envelope, message, reason.slice(0, 2000));
        }
      });
    }
    this.options.logger.error(
      { eventId: envelope?.id, type: envelope?.type, topic: message.topic, offset: message.offset, reason },
      'event dead-lettered',
    );
  }
}

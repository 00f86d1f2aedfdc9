/**
 * Rebuild a service's read model from the topics it consumes (the operator's replay): with the
 * service stopped and its database new (or emptied), every event still on the topics is applied
 * again through the same inbox and commands, in the order the events happened, and the service's
 * consumer group is moved to where the replay ended, so the service goes on from there.
 *
 * Why in time order: a live service meets one student's events from several topics roughly as they
 * happened, but a consumer reading whole topics from the beginning meets them topic by topic (a
 * withdrawal before the registration it ends). Ordering by `ce_time`, each partition kept in its
 * own order, gives the order the events happened in, and so the same rows as the live run.
 */
import type { DataSource } from 'typeorm';
import type { ServiceConfig } from '@xueji/config';
import { createDataSource, openDataSource } from '@xueji/db';
import { createKafkaEventBus, type EventBus, type ReceivedMessage } from '@xueji/event-bus';
import { InboxConsumer, type InboxOutcome } from '@xueji/inbox';
import { loadPolicyProfile } from '@xueji/policy';
import { createLogger, type Logger } from './logger';
import { deploymentEnv, eventHandlersOf, serviceMigrations, type ServiceDefinition } from './service';

/** A replay refused before it read anything: the reason is for the operator. */
export class ReplayRefused extends Error {
  override readonly name = 'ReplayRefused';
}

export interface ReplaySummary {
  /** Events read, per outcome of applying them. */
  outcomes: Record<InboxOutcome, number>;
  /** The events the replay made were already published by the live run: marked published, not sent again. */
  outboxMarkedPublished: number;
}

/**
 * One sequence from the partitions, each partition kept in its order: at each step the earliest
 * head by `ce_time` (then topic, partition) goes next. A message without a time sorts first, so a
 * malformed one is met (and dead-lettered) where it stands in its partition.
 */
export function mergeByEventTime(partitions: ReceivedMessage[][]): ReceivedMessage[] {
  const time = (m: ReceivedMessage) => Date.parse(m.headers.ce_time ?? '') || 0;
  const heads = partitions.map(() => 0);
  const merged: ReceivedMessage[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < partitions.length; i++) {
      const candidate = partitions[i]![heads[i]!];
      if (!candidate) continue;
      const current = best >= 0 ? partitions[best]![heads[best]!]! : null;
      if (
        !current ||
        time(candidate) < time(current) ||
        (time(candidate) === time(current) &&
          (candidate.topic < current.topic ||
            (candidate.topic === current.topic && candidate.partition < current.partition)))
      ) {
        best = i;
      }
    }
    if (best < 0) return merged;
    merged.push(partitions[best]![heads[best]!]!);
    heads[best]!++;
  }
}

export async function replayReadModel(
  definition: ServiceDefinition,
  config: ServiceConfig,
  options: { bus?: EventBus; logger?: Logger } = {},
): Promise<ReplaySummary> {
  if (!definition.consumes) throw new Error(`${definition.name} consumes no events: nothing to replay`);
  const logger = options.logger ?? createLogger(`${definition.name}-replay`, config.logLevel);
  const bus =
    options.bus ?? createKafkaEventBus({ brokers: config.kafkaBrokers, clientId: `xueji-${definition.name}-replay` });
  let dataSource: DataSource | null = null;
  try {
    dataSource = await openDataSource(
      createDataSource({
        url: config.databaseUrl,
        entities: definition.entities,
        migrations: serviceMigrations(definition),
        applicationName: `${definition.name}-replay`,
      }),
    );
    const [applied] = (await dataSource.query(`SELECT EXISTS (SELECT 1 FROM inbox_message) AS any`)) as {
      any: boolean;
    }[];
    if (applied!.any) {
      throw new ReplayRefused(
        `${definition.name}: the database already holds applied events; replay into a new (empty) database`,
      );
    }
    const inbox = new InboxConsumer({
      dataSource,
      bus,
      consumer: config.consumerGroup,
      topics: definition.consumes.topics(config.topics),
      handlers: eventHandlersOf(definition, deploymentEnv(config, loadPolicyProfile(config.policyProfile), logger)),
      deadLetterTopic: config.topics.deadLetter,
      logger,
    });
    const history = await bus.readHistory(definition.consumes.topics(config.topics));
    const outcomes: Record<InboxOutcome, number> = { APPLIED: 0, DUPLICATE: 0, IGNORED: 0, DEAD_LETTERED: 0 };
    for (const message of mergeByEventTime(history.partitions)) outcomes[await inbox.receive(message)]++;
    const [marked] = (await dataSource.query(
      `WITH marked AS (
         UPDATE outbox_message SET published_at = now() WHERE published_at IS NULL AND parked_at IS NULL RETURNING 1)
       SELECT count(*)::int AS n FROM marked`,
    )) as { n: number }[];
    await bus.setGroupOffsets(config.consumerGroup, history.ends);
    const summary = { outcomes, outboxMarkedPublished: marked!.n };
    logger.info(summary, `${definition.name}: read model replayed`);
    return summary;
  } finally {
    await dataSource?.destroy();
    if (!options.bus) await bus.close();
  }
}

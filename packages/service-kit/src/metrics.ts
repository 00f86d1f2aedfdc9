import type { DataSource } from 'typeorm';
import type { EventBus } from '@xueji/event-bus';
import { isKnownEventType } from '@xueji/events';
import type { InboxOutcome } from '@xueji/inbox';
import {
  cachedRead,
  createMetricsRegistry,
  FastCounter,
  Gauge,
  RequestMetrics,
  scrapedGauges,
  stripQueryPlanSuffix,
  type CounterSeries,
  type Registry,
} from '@xueji/metrics';
import { outboxBacklog } from '@xueji/outbox';
import { loggableError, type Logger } from './logger';

/** A scrape reads the outbox and inbox counts at most this often (one query for four gauges). */
const BACKLOG_CACHE_MS = 1000;
/** …and the consumer group's lag (two admin requests per topic) at most this often. */
const LAG_CACHE_MS = 3000;

export interface ServiceMetrics {
  registry: Registry;
  requests: RequestMetrics;
  /** The inbox consumer's `onOutcome`: `xueji_inbox_events_total{type,outcome}`. */
  inboxOutcome: (type: string | null, outcome: InboxOutcome) => void;
}

/**
 * A subgraph's metrics (`GET /metrics`): its requests, the outbox backlog and parked events, the
 * inbox's outcomes and dead-lettered events, and its consumer group's lag. Gauges are read from
 * the database and the broker when scraped, never on a request.
 */
export function serviceMetrics(options: {
  service: string;
  dataSource: DataSource;
  bus: EventBus;
  /** The service's consumer group and topics, when it consumes. */
  consumer: { group: string; topics: string[] } | null;
  logger: Logger;
}): ServiceMetrics {
  const { logger } = options;
  const registry = createMetricsRegistry(options.service);
  const requests = new RequestMetrics(registry, { normalizeOperation: stripQueryPlanSuffix(options.service) });

  // One query (each count on a partial index) fills the four gauges, at most once a second.
  const fromBacklog = scrapedGauges(
    registry,
    () => outboxBacklog(options.dataSource),
    BACKLOG_CACHE_MS,
    (error, metric) => logger.warn({ err: loggableError(error), metric }, 'metrics: outbox backlog not read'),
  );
  fromBacklog('xueji_outbox_backlog', 'Outbox rows not yet published (parked ones included).', (b) => b.unpublished);
  fromBacklog(
    'xueji_outbox_oldest_unpublished_age_seconds',
    'Age of the oldest unpublished outbox row (0 when none).',
    (b) => b.oldestUnpublishedSeconds ?? 0,
  );
  fromBacklog('xueji_outbox_parked', 'Outbox rows parked, awaiting an operator (pnpm outbox).', (b) => b.parked);
  fromBacklog(
    'xueji_inbox_dead_lettered',
    'Consumed events dead-lettered, awaiting an operator (pnpm inbox).',
    (b) => b.deadLettered,
  );

  const consumer = options.consumer;
  const consumerLag = options.bus.consumerLag?.bind(options.bus);
  if (consumer && consumerLag) {
    const lag = cachedRead(() => consumerLag(consumer.group, consumer.topics), LAG_CACHE_MS);
    new Gauge({
      name: 'xueji_consumer_lag',
      help: "Messages not yet consumed by the service's consumer group, per topic and partition.",
      labelNames: ['topic', 'partition'],
      registers: [registry],
      async collect() {
        try {
          const partitions = await lag();
          this.reset();
          for (const p of partitions) this.set({ topic: p.topic, partition: String(p.partition) }, p.lag);
        } catch (error) {
          logger.warn({ err: loggableError(error) }, 'metrics: consumer lag not read');
        }
      },
    });
  }

  const inboxEvents = new FastCounter(
    registry,
    'xueji_inbox_events_total',
    'Consumed events by type and outcome (APPLIED, DUPLICATE, IGNORED, DEAD_LETTERED).',
    ['type', 'outcome'],
  );
  const inboxSeries = new Map<string, CounterSeries>();
  return {
    registry,
    requests,
    inboxOutcome: (type, outcome) => {
      // Only contract types are labels: anything else a producer might send is `unknown`.
      const label = type !== null && isKnownEventType(type) ? type : 'unknown';
      const key = `${label} ${outcome}`;
      let series = inboxSeries.get(key);
      if (!series) inboxSeries.set(key, (series = inboxEvents.child(label, outcome)));
      series.inc();
    },
  };
}

import { selectOne } from '@xueji/db';
import { Counter, scrapedGauges, type Registry } from '@xueji/metrics';
import { loggableError, type ScheduleEnv } from '@xueji/service-kit';

/** What one delivery attempt came to, as `xueji_webhook_deliveries_total{outcome}` counts it. */
export type DeliveryOutcomeLabel = 'delivered' | 'failed' | 'dead_lettered';

const COUNTER = 'xueji_webhook_deliveries_total';

/** The service registry's delivery counter (made once per registry). */
export function deliveryCounter(registry: Registry): Counter<'outcome'> {
  return (
    (registry.getSingleMetric(COUNTER) as Counter<'outcome'> | undefined) ??
    new Counter({
      name: COUNTER,
      help: 'Webhook delivery attempts by outcome: delivered (2xx), failed (to be retried), dead_lettered (given up).',
      labelNames: ['outcome'],
      registers: [registry],
    })
  );
}

/**
 * Partners' own metrics (`GET /metrics`): the delivery counter, and the deliveries pending over all
 * partners with the age of the oldest (read when scraped, at most once a second).
 */
export function partnerMetrics(registry: Registry, env: ScheduleEnv): void {
  deliveryCounter(registry);
  const gauge = scrapedGauges(
    registry,
    async () =>
      (await selectOne<{ n: number; age: number | null }>(
        env.dataSource,
        `SELECT count(*)::int AS n, extract(epoch FROM now() - min(queued_at))::float8 AS age
           FROM partner_delivery WHERE state = 'PENDING'`,
      ))!,
    1_000,
    (error, metric) => env.logger.warn({ err: loggableError(error), metric }, 'metrics: webhook backlog not read'),
  );
  gauge('xueji_webhook_pending', 'Webhook deliveries not yet accepted (paused partners’ included).', (r) => r.n);
  gauge('xueji_webhook_oldest_pending_age_seconds', 'Age of the oldest pending webhook delivery (0 when none).', (r) =>
    Math.max(0, r.age ?? 0),
  );
}

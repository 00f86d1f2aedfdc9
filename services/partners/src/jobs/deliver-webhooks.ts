import type { DataSource } from 'typeorm';
import { loggableError, type ScheduledJob, type ScheduleEnv } from '@xueji/service-kit';
import { claimDeliveries, recordOutcome, sendDelivery, type ClaimedDelivery } from '../application/deliveries';
import { deliveryCounter } from '../metrics';
import type { DeliverySettings } from '../settings';

const JOB = 'deliver-webhooks';

/** What one process is doing, per database: whether a claim is under way, and the partners being sent to. */
interface Dispatch {
  claiming: boolean;
  busy: Set<string>;
}
const dispatches = new WeakMap<DataSource, Dispatch>();

/**
 * One run of the delivery job: take the due deliveries (`claimDeliveries`: per partner the head of
 * each student's queue) and send each partner's batch on its own, without waiting — a slow or dead
 * endpoint holds only its own partner (its next batch waits for this one), never another. Every POST
 * happens outside any transaction; its outcome is one row update (`recordOutcome`). Returns how many
 * deliveries were taken.
 */
export async function deliverWebhooks(env: ScheduleEnv, settings: DeliverySettings): Promise<number> {
  let dispatch = dispatches.get(env.dataSource);
  if (!dispatch) dispatches.set(env.dataSource, (dispatch = { claiming: false, busy: new Set() }));
  if (dispatch.claiming) return 0; // the previous run is still claiming
  dispatch.claiming = true;
  let claimed: ClaimedDelivery[];
  try {
    claimed = await claimDeliveries(env.dataSource, [...dispatch.busy], settings);
  } finally {
    dispatch.claiming = false;
  }
  const byPartner = new Map<string, ClaimedDelivery[]>();
  for (const delivery of claimed)
    byPartner.set(delivery.partnerId, [...(byPartner.get(delivery.partnerId) ?? []), delivery]);
  for (const [partnerId, deliveries] of byPartner) {
    dispatch.busy.add(partnerId);
    const state = dispatch;
    void Promise.all(deliveries.map((delivery) => deliverOne(env, delivery, settings))).finally(() =>
      state.busy.delete(partnerId),
    );
  }
  return claimed.length;
}

async function deliverOne(env: ScheduleEnv, delivery: ClaimedDelivery, settings: DeliverySettings): Promise<void> {
  const outcome = await sendDelivery(delivery, settings.timeoutMs);
  try {
    const state = await recordOutcome(env.dataSource, delivery, outcome, settings);
    if (env.metrics) {
      deliveryCounter(env.metrics).inc({
        outcome: state === 'DELIVERED' ? 'delivered' : state === 'DEAD_LETTERED' ? 'dead_lettered' : 'failed',
      });
    }
    if (state === 'DEAD_LETTERED') {
      env.logger.error(
        {
          job: JOB,
          partnerId: delivery.partnerId,
          eventId: delivery.event.id,
          error: outcome.ok ? null : outcome.error,
        },
        'webhook delivery dead-lettered',
      );
    }
  } catch (error) {
    // The lease runs out and the delivery is sent again (at least once). While the service stops
    // (its database closed under a POST in flight) that is expected: not worth a warning.
    if (!env.dataSource.isInitialized) return;
    env.logger.warn(
      { err: loggableError(error), job: JOB, partnerId: delivery.partnerId, eventId: delivery.event.id },
      'could not record a webhook delivery',
    );
  }
}

/** Every `intervalMs` (300 ms by default): send what is due. */
export function deliverWebhooksJob(settings: DeliverySettings): ScheduledJob {
  return { name: JOB, intervalMs: settings.intervalMs, run: (env) => deliverWebhooks(env, settings) };
}

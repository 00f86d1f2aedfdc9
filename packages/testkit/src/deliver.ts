import type { EventBus } from '@xueji/event-bus';
import { toBusMessage, type EventEnvelope } from '@xueji/events';
import { selectRows } from '@xueji/db';
import { waitFor } from './fixtures';

/** What `deliverEvents` needs of a running service: its bus and its database. */
export interface EventConsumingService {
  bus: Pick<EventBus, 'publish'>;
  dataSource: { query(sql: string, parameters?: unknown[]): Promise<unknown> };
}

/**
 * Publish events on `topic` as their producer would, and wait until the service's inbox has
 * taken each of them (an event delivered twice counts once).
 */
export async function deliverEvents(
  service: EventConsumingService,
  topic: string,
  events: EventEnvelope[],
  what = 'the service to apply the events',
): Promise<void> {
  await service.bus.publish(topic, events.map(toBusMessage));
  const ids = [...new Set(events.map((e) => e.id))];
  await waitFor(
    async () => {
      const rows = await selectRows<{ n: number }>(
        service.dataSource,
        `SELECT count(*)::int AS n FROM inbox_message WHERE event_id = ANY($1)`,
        [ids],
      );
      return rows[0]!.n === ids.length;
    },
    { what },
  );
}

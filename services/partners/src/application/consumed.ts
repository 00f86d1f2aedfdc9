import { isRegionCode } from '@xueji/auth';
import type { EventEnvelope } from '@xueji/events';
import { command, type SystemActor } from '@xueji/service-kit';
import { grantCovers } from '../domain';
import { partnersGranted } from '../reads/partners';

/** A partner event as it arrived: the CloudEvent, and the student's school county when it carries one. */
export interface PartnerEventInput {
  event: EventEnvelope;
  regionCode: string | null;
}

/** The county a partner event names (`data.regionCode`, added to the partner payloads in issue 14), or null. */
export function regionOf(data: unknown): string | null {
  const code = typeof data === 'object' && data !== null ? (data as { regionCode?: unknown }).regionCode : undefined;
  return typeof code === 'string' && isRegionCode(code) ? code : null;
}

/**
 * A partner event, applied once (inside the inbox's transaction): kept in the partner event log, in
 * the order taken, and fanned out as one pending delivery per partner whose grants cover it (type and
 * region, `grantCovers`), paused ones included (theirs wait). An event without a region code is
 * logged and delivered to no one. Returns how many deliveries it queued.
 */
export const recordPartnerEvent = command<PartnerEventInput, { eventId: string; deliveries: number }, SystemActor>({
  name: 'RECORD_PARTNER_EVENT',
  roles: 'SYSTEM',
  async run(uow, { event, regionCode }) {
    const logged = (await uow.manager.query(
      `INSERT INTO partner_event (event_id, type, subject, region_code, time, event)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING RETURNING seq::text AS seq`,
      [event.id, event.type, event.subject, regionCode, event.time, JSON.stringify(event)],
    )) as { seq: string }[];
    const seq = logged[0]?.seq;
    if (!seq) return { eventId: event.id, deliveries: 0 }; // logged already (a replayed topic)
    const partners = (await partnersGranted(uow.manager, event.type)).filter((p) =>
      grantCovers(p, { type: event.type, regionCode }),
    );
    if (partners.length > 0) {
      await uow.manager.query(
        `INSERT INTO partner_delivery (partner_id, event_seq, subject, state)
         SELECT id, $2::bigint, $3, 'PENDING' FROM unnest($1::uuid[]) AS id`,
        [partners.map((p) => p.id), seq, event.subject],
      );
    }
    return { eventId: event.id, deliveries: partners.length };
  },
  audit: ({ eventId, deliveries }) => ({ entity: 'partner_event', entityId: eventId, details: { deliveries } }),
});

import { regionPrefix, requireRole } from '@xueji/auth';
import { selectRows } from '@xueji/db';
import { badUserInput, forbidden } from '@xueji/errors';
import type { EventEnvelope } from '@xueji/events';
import { decodeCursor, requirePageSize, toPage, type Page } from '@xueji/pagination';
import type { ServiceContext } from '@xueji/service-kit';
import { partnerGrant } from './partners';

/** One partner event as GraphQL `PartnerChange` gives it: the CloudEvent, and its place in the log. */
export type PartnerChangeRow = Omit<EventEnvelope, 'time'> & { time: Date; seq: string };

const NOT_REGISTERED = {
  zh: '该合作方未登记，不能查询变更',
  en: 'This partner is not registered: it may not read changes',
};

/**
 * Changes since (issue 14, after Ed-Fi's change queries): the partner events the calling partner is
 * granted — its token's `sub` is its registered id; the grants are the registration's, not the
 * token's — of its types and of schools in its region, in log order (keyset on the log's `seq`).
 * A paused partner still reads (pausing holds webhooks only); an unregistered one is FORBIDDEN. An
 * event without a region code (published before producers added it) is no one's.
 */
export async function partnerChanges(
  ctx: ServiceContext,
  args: { first: number; after?: string | null },
): Promise<Page<PartnerChangeRow>> {
  const principal = requireRole(ctx.principal, 'PARTNER');
  requirePageSize(args.first, 500);
  const partner = await partnerGrant(ctx.dataSource, principal.subject);
  if (!partner) throw forbidden(NOT_REGISTERED);
  let after = '0';
  if (args.after) {
    const [seq] = decodeCursor(args.after, ['text']) as [string];
    if (!/^\d{1,18}$/.test(seq)) throw badUserInput({ zh: '分页游标无效', en: 'Invalid cursor' }, { field: 'after' });
    after = seq;
  }
  const rows = await selectRows<{ seq: string; event: EventEnvelope }>(
    ctx.dataSource,
    `SELECT seq::text AS seq, event FROM partner_event
      WHERE seq > $1::bigint AND type = ANY ($2) AND region_code LIKE $3
      ORDER BY seq LIMIT $4`,
    [after, partner.eventTypes, `${regionPrefix(partner.regionCode)}%`, args.first + 1],
  );
  const changes = rows.map(({ seq, event }) => ({ ...event, time: new Date(event.time), seq }));
  return toPage(changes, args.first, args.after, (r) => [r.seq]);
}

import { requireRole } from '@xueji/auth';
import { selectOne, selectRows, type Queryable } from '@xueji/db';
import { decodeCursor, microsCursorSql, microsInstant, requirePageSize, toPage, type Page } from '@xueji/pagination';
import { isUuid } from '@xueji/rules';
import type { ServiceContext } from '@xueji/service-kit';
import type { PartnerState } from '@xueji/vocabulary';

/** How a partner's deliveries stand (GraphQL `PartnerDeliveryStats`, less the lag the resolver counts). */
export interface DeliveryStatsRow {
  pending: number;
  oldestPendingAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  failures: number;
  deadLettered: number;
}

/** A partner as GraphQL `Partner` shows it: never its secret. */
export interface PartnerRow {
  id: string;
  name: string;
  eventTypes: string[];
  regionCode: string;
  endpointUrl: string;
  state: PartnerState;
  registeredAt: Date;
  /** The keyset cursor part: `registered_at` to the microsecond. */
  registeredMicros: string;
  delivery: DeliveryStatsRow;
}

type FlatRow = Omit<PartnerRow, 'delivery'> & DeliveryStatsRow;

// The statistics of each partner's deliveries: counted on `partner_delivery_pending`,
// `partner_delivery_dead`, `partner_delivery_last_error` and the (partner_id, event_seq) key.
const PARTNER_COLUMNS = `
  p.id, p.name, p.event_types AS "eventTypes", p.region_code AS "regionCode", p.endpoint_url AS "endpointUrl",
  p.state, p.registered_at AS "registeredAt", ${microsCursorSql('p.registered_at')} AS "registeredMicros",
  (SELECT count(*) FROM partner_delivery d WHERE d.partner_id = p.id AND d.state = 'PENDING')::int AS "pending",
  (SELECT min(d.queued_at) FROM partner_delivery d WHERE d.partner_id = p.id AND d.state = 'PENDING') AS "oldestPendingAt",
  (SELECT max(d.delivered_at) FROM partner_delivery d WHERE d.partner_id = p.id) AS "lastSuccessAt",
  e.last_error AS "lastError", e.last_error_at AS "lastErrorAt",
  (SELECT coalesce(sum(d.attempts) - count(*) FILTER (WHERE d.state = 'DELIVERED'), 0)
     FROM partner_delivery d WHERE d.partner_id = p.id)::int AS "failures",
  (SELECT count(*) FROM partner_delivery d WHERE d.partner_id = p.id AND d.state = 'DEAD_LETTERED')::int AS "deadLettered"`;

const LAST_ERROR = `
  LEFT JOIN LATERAL (SELECT d.last_error, d.last_error_at FROM partner_delivery d
                      WHERE d.partner_id = p.id AND d.last_error_at IS NOT NULL
                      ORDER BY d.last_error_at DESC LIMIT 1) e ON true`;

function partnerOf(row: FlatRow): PartnerRow {
  const { pending, oldestPendingAt, lastSuccessAt, lastError, lastErrorAt, failures, deadLettered, ...partner } = row;
  return {
    ...partner,
    delivery: { pending, oldestPendingAt, lastSuccessAt, lastError, lastErrorAt, failures, deadLettered },
  };
}

export async function partnerById(db: Queryable, id: string): Promise<PartnerRow | null> {
  if (!isUuid(id)) return null;
  const row = await selectOne<FlatRow>(db, `SELECT ${PARTNER_COLUMNS} FROM partner p ${LAST_ERROR} WHERE p.id = $1`, [
    id,
  ]);
  return row && partnerOf(row);
}

/** What the delivery and the changes-since query need of a partner: its grants, state, endpoint and secret. */
export interface PartnerGrantRow {
  id: string;
  eventTypes: string[];
  regionCode: string;
  state: PartnerState;
}

export function partnerGrant(db: Queryable, id: string): Promise<PartnerGrantRow | null> {
  if (!isUuid(id)) return Promise.resolve(null);
  return selectOne<PartnerGrantRow>(
    db,
    `SELECT id, event_types AS "eventTypes", region_code AS "regionCode", state FROM partner WHERE id = $1`,
    [id],
  );
}

/** The partners granted an event type, whatever their state (a paused one's deliveries wait for it). */
export function partnersGranted(db: Queryable, type: string): Promise<PartnerGrantRow[]> {
  return selectRows<PartnerGrantRow>(
    db,
    `SELECT id, event_types AS "eventTypes", region_code AS "regionCode", state FROM partner
      WHERE $1 = ANY (event_types) ORDER BY id`,
    [type],
  );
}

/** The registered partners in registration order (keyset on `partner_registered`), for an administrator. */
export async function partnersPage(
  ctx: ServiceContext,
  args: { first: number; after?: string | null },
): Promise<Page<PartnerRow>> {
  requireRole(ctx.principal, 'ADMINISTRATOR');
  requirePageSize(args.first, 100);
  const params: unknown[] = [];
  let after = '';
  if (args.after) {
    const [micros, id] = decodeCursor(args.after, ['micros', 'uuid']) as [string, string];
    params.push(microsInstant(micros), id);
    after = `WHERE (p.registered_at, p.id) > ($1::timestamptz, $2::uuid)`;
  }
  params.push(args.first + 1);
  const rows = await selectRows<FlatRow>(
    ctx.dataSource,
    `SELECT ${PARTNER_COLUMNS} FROM partner p ${LAST_ERROR} ${after}
      ORDER BY p.registered_at, p.id LIMIT $${params.length}`,
    params,
  );
  return toPage(rows.map(partnerOf), args.first, args.after, (r) => [r.registeredMicros, r.id]);
}

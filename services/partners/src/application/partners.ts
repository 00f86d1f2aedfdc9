import { randomBytes, randomUUID } from 'node:crypto';
import { regionPrefix } from '@xueji/auth';
import { badUserInput, conflict, notFound } from '@xueji/errors';
import { fields, limits, listOf, text, type FieldLimit } from '@xueji/rules';
import { command, type UnitOfWork } from '@xueji/service-kit';
import type { PartnerState } from '@xueji/vocabulary';
import { endpointProblem, regionProblem, secretProblem } from '../domain';
import { eventTypeProblem } from './grantable';
import { partnerById, type PartnerRow } from '../reads/partners';

export interface RegisterPartnerInput {
  name: string;
  eventTypes: string[];
  regionCode: string;
  endpointUrl: string;
  secret?: string | null;
}

export interface UpdatePartnerInput {
  partnerId: string;
  name?: string | null;
  eventTypes?: string[] | null;
  regionCode?: string | null;
  endpointUrl?: string | null;
}

const GRANT_LIMITS: Record<string, FieldLimit> = {
  name: text('institution'),
  eventTypes: listOf('eventTypes', { check: eventTypeProblem }),
  regionCode: { check: regionProblem },
  endpointUrl: { check: endpointProblem },
};

const NO_PARTNER = { zh: '没有该合作方', en: 'No such partner' };

/** The partner, locked for this unit of work, or NOT_FOUND. */
async function lockedPartner(uow: UnitOfWork, partnerId: string): Promise<PartnerRow> {
  const partner = await partnerById(uow.manager, partnerId);
  if (!partner) throw notFound(NO_PARTNER);
  await uow.manager.query(`SELECT 1 FROM partner WHERE id = $1 FOR UPDATE`, [partnerId]);
  return partner;
}

function requireNameAndTypes(eventTypes: string[] | null | undefined, name: string | null | undefined): void {
  if (name != null && name.trim() === '') {
    throw badUserInput({ zh: '名称不能为空', en: 'The name must not be empty' }, { field: 'input.name' });
  }
  if (eventTypes && eventTypes.length === 0) {
    throw badUserInput(
      { zh: '至少授予一种事件类型', en: 'Grant at least one event type' },
      { field: 'input.eventTypes' },
    );
  }
}

/** A Standard Webhooks secret: `whsec_` and the Base64 of 32 random bytes. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * An administrator registers a partner (issue 14): granted partner-topic event types, a region, an
 * endpoint and a Standard Webhooks secret, given or generated. The secret is answered this once and
 * never written to the audit row or shown again.
 */
export const registerPartner = command<RegisterPartnerInput, { partner: PartnerRow; secret: string }>({
  name: 'REGISTER_PARTNER',
  roles: ['ADMINISTRATOR'],
  validate: limits(fields({ ...GRANT_LIMITS, secret: { check: secretProblem } }), 'input'),
  async run(uow, input) {
    requireNameAndTypes(input.eventTypes, input.name);
    const id = randomUUID();
    const secret = input.secret ?? newSecret();
    await uow.manager.query(
      `INSERT INTO partner (id, name, event_types, region_code, endpoint_url, secret, state, registered_at, registered_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'ACTIVE', $7, $8, $7)`,
      [
        id,
        input.name,
        [...new Set(input.eventTypes)],
        input.regionCode,
        input.endpointUrl,
        secret,
        uow.now(),
        uow.actor.subject,
      ],
    );
    return { partner: (await partnerById(uow.manager, id))!, secret };
  },
  audit: ({ partner }) => ({
    entity: 'partner',
    entityId: partner.id,
    details: {
      name: partner.name,
      eventTypes: partner.eventTypes,
      regionCode: partner.regionCode,
      endpointUrl: partner.endpointUrl,
    },
  }),
});

/** An administrator changes a partner's name, grants or endpoint; deliveries already queued still go. */
export const updatePartner = command<UpdatePartnerInput, PartnerRow>({
  name: 'UPDATE_PARTNER',
  roles: ['ADMINISTRATOR'],
  validate: limits(fields({ partnerId: { uuid: true }, ...GRANT_LIMITS }), 'input'),
  async run(uow, input) {
    requireNameAndTypes(input.eventTypes, input.name);
    await lockedPartner(uow, input.partnerId);
    await uow.manager.query(
      `UPDATE partner SET name = coalesce($2, name), event_types = coalesce($3, event_types),
              region_code = coalesce($4, region_code), endpoint_url = coalesce($5, endpoint_url), updated_at = $6
        WHERE id = $1`,
      [
        input.partnerId,
        input.name ?? null,
        input.eventTypes ? [...new Set(input.eventTypes)] : null,
        input.regionCode ?? null,
        input.endpointUrl ?? null,
        uow.now(),
      ],
    );
    return (await partnerById(uow.manager, input.partnerId))!;
  },
  audit: (partner, input) => ({
    entity: 'partner',
    entityId: partner.id,
    details: Object.fromEntries(Object.entries(input).filter(([key, v]) => key !== 'partnerId' && v != null)),
  }),
});

function stateChange(name: string, to: PartnerState) {
  const already =
    to === 'PAUSED'
      ? { zh: '该合作方已暂停', en: 'The partner is paused already' }
      : { zh: '该合作方未暂停', en: 'The partner is not paused' };
  return command<{ partnerId: string }, PartnerRow>({
    name,
    roles: ['ADMINISTRATOR'],
    validate: limits(fields({ partnerId: { uuid: true } })),
    async run(uow, { partnerId }) {
      const partner = await lockedPartner(uow, partnerId);
      if (partner.state === to) throw conflict(already, { state: partner.state });
      await uow.manager.query(`UPDATE partner SET state = $2, updated_at = $3 WHERE id = $1`, [
        partnerId,
        to,
        uow.now(),
      ]);
      return (await partnerById(uow.manager, partnerId))!;
    },
    audit: (partner) => ({ entity: 'partner', entityId: partner.id, details: { state: to } }),
  });
}

/** Hold a partner's webhooks: events keep being logged and queued for it, none is sent. */
export const pausePartner = stateChange('PAUSE_PARTNER', 'PAUSED');
/** Send a paused partner's held deliveries again, in order per student. */
export const resumePartner = stateChange('RESUME_PARTNER', 'ACTIVE');

export interface Requeued {
  partner: PartnerRow;
  requeued: number;
}

/**
 * Deliver again every logged event of the partner's present grants that happened at or after `from`
 * (an event's CloudEvents `time`): a delivery it had is queued again from its first attempt, one it
 * never had (registered later, granted later) is queued; each carries its event's id as `webhook-id`.
 */
export const replayPartnerDeliveries = command<{ partnerId: string; from: Date }, Requeued>({
  name: 'REPLAY_PARTNER_DELIVERIES',
  roles: ['ADMINISTRATOR'],
  validate: limits(fields({ partnerId: { uuid: true } })),
  async run(uow, { partnerId, from }) {
    if (from.getTime() > uow.now().getTime()) {
      throw badUserInput({ zh: '重放起点不能晚于现在', en: 'A replay cannot start in the future' }, { field: 'from' });
    }
    const partner = await lockedPartner(uow, partnerId);
    // The region as regionCovers (@xueji/auth) decides it: the code starts with the grant's prefix.
    const rows = (await uow.manager.query(
      `INSERT INTO partner_delivery (partner_id, event_seq, subject, state)
       SELECT $1, e.seq, e.subject, 'PENDING' FROM partner_event e
        WHERE e.time >= $2 AND e.type = ANY ($3) AND e.region_code LIKE $4
        ORDER BY e.seq
       ON CONFLICT (partner_id, event_seq) DO UPDATE
          SET state = 'PENDING', attempts = 0, next_attempt_at = now(), queued_at = now()
       RETURNING id`,
      [partnerId, from, partner.eventTypes, `${regionPrefix(partner.regionCode)}%`],
    )) as unknown[];
    const requeued = rows.length;
    return { partner: (await partnerById(uow.manager, partnerId))!, requeued };
  },
  audit: ({ partner, requeued }, { from }) => ({
    entity: 'partner',
    entityId: partner.id,
    details: { from: from.toISOString(), requeued },
  }),
});

/** Queue the partner's dead-lettered deliveries again, from their first attempt. */
export const retryDeadLetteredDeliveries = command<{ partnerId: string }, Requeued>({
  name: 'RETRY_DEAD_LETTERED_DELIVERIES',
  roles: ['ADMINISTRATOR'],
  validate: limits(fields({ partnerId: { uuid: true } })),
  async run(uow, { partnerId }) {
    await lockedPartner(uow, partnerId);
    const rows = (await uow.manager.query(
      `UPDATE partner_delivery SET state = 'PENDING', attempts = 0, next_attempt_at = now(), queued_at = now()
        WHERE partner_id = $1 AND state = 'DEAD_LETTERED' RETURNING id`,
      [partnerId],
    )) as [unknown[], number];
    return { partner: (await partnerById(uow.manager, partnerId))!, requeued: rows[1] };
  },
  audit: ({ partner, requeued }) => ({ entity: 'partner', entityId: partner.id, details: { requeued } }),
});

import { onEvent, type CommandEnv, type EventHandlers } from '@xueji/service-kit';
import { recordPartnerEvent, regionOf } from '../application/consumed';

/**
 * The partner topics' events, each logged once and fanned out to the partners whose grants cover it
 * (one unit of work inside the inbox's transaction, one audit row naming the event).
 */
export const handlers = (env: CommandEnv): EventHandlers => ({
  'xueji.status-change.partner.status-changed.v1': onEvent(env, recordPartnerEvent, (event) => ({
    event,
    regionCode: regionOf(event.data),
  })),
  'xueji.subsidy.partner.eligibility-changed.v1': onEvent(env, recordPartnerEvent, (event) => ({
    event,
    regionCode: regionOf(event.data),
  })),
});

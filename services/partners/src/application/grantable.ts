import type { BilingualMessage } from '@xueji/errors';
import { contracts, type EventType } from '@xueji/events';

/**
 * The event types a partner may be granted: those the contracts mark `partner: true` that travel on
 * the partner topics (`topic: 'partnerStatus' | 'partnerEligibility'`, the partner copies). Other
 * `partner: true` types (a school's record) travel on internal topics and are not pushed to partners
 * (DESIGN.md: partners consume the partner topics).
 */
export const PARTNER_EVENT_TYPES = (Object.keys(contracts) as EventType[]).filter((type) => {
  const contract = contracts[type] as { partner: boolean; topic?: string };
  return contract.partner && (contract.topic === 'partnerStatus' || contract.topic === 'partnerEligibility');
});

export const isPartnerEventType = (type: string): boolean => (PARTNER_EVENT_TYPES as string[]).includes(type);

export function eventTypeProblem(type: string): BilingualMessage | null {
  return isPartnerEventType(type)
    ? null
    : {
        zh: `不可授予的事件类型：${type.slice(0, 100)}（可授予：${PARTNER_EVENT_TYPES.join('、')}）`,
        en: `Not a type a partner may be granted: ${type.slice(0, 100)} (grantable: ${PARTNER_EVENT_TYPES.join(', ')})`,
      };
}

import { randomUUID } from 'node:crypto';
import { contracts, createEvent, EVENT_TYPES, type EventType } from '@xueji/events';
import type { z } from 'zod';

/** A field name that may carry an ID-card number or a student number derived from it (ENR-6, ENR-11). */
const IDENTITY_NAMED = /idNumber|Number$|identity|idCard/i;

const PARTNER_TYPES = EVENT_TYPES.filter((type) => contracts[type].partner);

describe('ADM-5: partner topics never carry an ID number or an ID-derived student number', () => {
  it('knows the partner event types', () => {
    expect(PARTNER_TYPES.sort()).toEqual([
      'xueji.enrolment.school.registered.v1',
      'xueji.status-change.partner.status-changed.v1',
      'xueji.subsidy.partner.eligibility-changed.v1',
    ]);
  });

  it.each(PARTNER_TYPES)('%s has no field named like an ID or student number', (type: EventType) => {
    const shape = (contracts[type].schema as z.AnyZodObject).shape as Record<string, unknown>;
    expect(Object.keys(shape).filter((key) => IDENTITY_NAMED.test(key))).toEqual([]);
  });

  it('an ID number or student number slipped into a partner event is dropped before it is written', () => {
    const studentId = randomUUID();
    const event = createEvent('xueji.subsidy.partner.eligibility-changed.v1', studentId, {
      studentId,
      period: '2026-autumn',
      grantEligible: true,
      waiverEligible: true,
      decidedAt: '2026-09-01T00:00:00.000Z',
      ...({ idNumber: '220102200801011234', studentNumber: 'G220102200801011234' } as object),
    });
    expect(JSON.stringify(event)).not.toMatch(/\d{17}[\dX]/);
    expect(event.subject).toBe(studentId);
  });
});

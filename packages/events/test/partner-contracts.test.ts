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

  it('issue 14: the partner copies may name the county; older copies without it still parse, a malformed one does not', () => {
    const studentId = randomUUID();
    const base = {
      studentId,
      kind: 'WITHDRAWAL',
      effectiveDate: '2026-09-15',
      previousStatus: 'ACTIVE',
      newStatus: 'WITHDRAWN',
      schoolId: randomUUID(),
    } as const;
    const status = contracts['xueji.status-change.partner.status-changed.v1'].schema;
    expect(status.safeParse(base).success).toBe(true);
    expect(status.parse({ ...base, regionCode: '220102', schoolName: '南关区职业教育中心' })).toMatchObject({
      regionCode: '220102',
    });
    expect(status.safeParse({ ...base, regionCode: '2201' }).success).toBe(false);
    const eligibility = contracts['xueji.subsidy.partner.eligibility-changed.v1'].schema;
    const decision = { studentId, period: '2026-autumn', grantEligible: true, waiverEligible: false };
    expect(eligibility.safeParse({ ...decision, decidedAt: '2026-09-01T00:00:00.000Z' }).success).toBe(true);
    expect(
      eligibility.safeParse({ ...decision, decidedAt: '2026-09-01T00:00:00.000Z', regionCode: '42030X' }).success,
    ).toBe(false);
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

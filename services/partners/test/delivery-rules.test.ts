import { eventTypeProblem, PARTNER_EVENT_TYPES } from '../src/application/grantable';
import {
  accepted,
  afterFailure,
  endpointProblem,
  grantCovers,
  regionProblem,
  retryDelayMs,
  secretProblem,
} from '../src/domain';
import { deliverySettings } from '../src/settings';

const STATUS = 'xueji.status-change.partner.status-changed.v1';
const ELIGIBILITY = 'xueji.subsidy.partner.eligibility-changed.v1';

describe('what a partner may be granted', () => {
  it('only the event types of the partner topics', () => {
    expect([...PARTNER_EVENT_TYPES].sort()).toEqual([ELIGIBILITY, STATUS].sort());
    expect(eventTypeProblem(STATUS)).toBeNull();
    // partner: true, but on enrolment's own topic: not pushed to partners
    expect(eventTypeProblem('xueji.enrolment.school.registered.v1')).not.toBeNull();
    // internal: may carry ID numbers (ADM-5)
    expect(eventTypeProblem('xueji.enrolment.student.registered.v1')).not.toBeNull();
  });

  it('a region: six digits', () => {
    expect(regionProblem('220100')).toBeNull();
    expect(regionProblem('2201')).not.toBeNull();
  });

  it('an endpoint: an http or https URL without credentials', () => {
    expect(endpointProblem('https://partner.example/hooks')).toBeNull();
    expect(endpointProblem('http://127.0.0.1:8080/x')).toBeNull();
    expect(endpointProblem('ftp://partner.example/x')).not.toBeNull();
    expect(endpointProblem('https://user:pw@partner.example/x')).not.toBeNull();
    expect(endpointProblem('not a url')).not.toBeNull();
    expect(endpointProblem('https://partner.example/a\u0000b')).not.toBeNull();
    expect(endpointProblem(`https://partner.example/${'a'.repeat(2_000)}`)).not.toBeNull();
  });

  it('a secret: whsec_ and the Base64 of 24 to 64 bytes (Standard Webhooks)', () => {
    const of = (bytes: number) => `whsec_${Buffer.alloc(bytes, 7).toString('base64')}`;
    expect(secretProblem(of(32))).toBeNull();
    expect(secretProblem(of(24))).toBeNull();
    expect(secretProblem(of(64))).toBeNull();
    expect(secretProblem(of(16))).not.toBeNull();
    expect(secretProblem(of(65))).not.toBeNull();
    expect(secretProblem(Buffer.alloc(32).toString('base64'))).not.toBeNull();
    expect(secretProblem('whsec_not base64!')).not.toBeNull();
  });
});

describe('grantCovers: type and region (ADM-5)', () => {
  const grant = { eventTypes: [STATUS], regionCode: '220100' };

  it('a granted type of a county in the granted city', () => {
    expect(grantCovers(grant, { type: STATUS, regionCode: '220102' })).toBe(true);
  });

  it('not another type, another region, or an event without a region', () => {
    expect(grantCovers(grant, { type: ELIGIBILITY, regionCode: '220102' })).toBe(false);
    expect(grantCovers(grant, { type: STATUS, regionCode: '220202' })).toBe(false);
    expect(grantCovers(grant, { type: STATUS, regionCode: null })).toBe(false);
  });

  it('a province covers all its counties; a county only itself', () => {
    expect(grantCovers({ eventTypes: [STATUS], regionCode: '220000' }, { type: STATUS, regionCode: '220202' })).toBe(
      true,
    );
    expect(grantCovers({ eventTypes: [STATUS], regionCode: '220102' }, { type: STATUS, regionCode: '220103' })).toBe(
      false,
    );
  });
});

describe('retries', () => {
  it('back off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, 1_000, 10_000))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
    expect(retryDelayMs(1_000, 1_000, 300_000)).toBe(300_000);
  });

  it('dead-letter once the last attempt failed', () => {
    expect(afterFailure(9, 10)).toBe('PENDING');
    expect(afterFailure(10, 10)).toBe('DEAD_LETTERED');
  });

  it('a 2xx answer is accepted, nothing else', () => {
    expect([200, 202, 204, 299].every(accepted)).toBe(true);
    expect([199, 301, 400, 500].some(accepted)).toBe(false);
  });

  it('settings come from the environment, each a positive integer', () => {
    expect(deliverySettings({}).maxAttempts).toBe(10);
    expect(deliverySettings({ PARTNER_DELIVERY_BACKOFF_BASE_MS: '50' }).backoffBaseMs).toBe(50);
    expect(() => deliverySettings({ PARTNER_DELIVERY_MAX_ATTEMPTS: '0' })).toThrow(/PARTNER_DELIVERY_MAX_ATTEMPTS/);
  });
});

import { DEFAULT_OUTBOX_MAX_EVENT_BYTES, loadServiceConfig } from '../src';

describe('outbox settings', () => {
  it('refuses events over the broker’s default limit less headroom, and parks after 10 failed publishes, unless told otherwise', () => {
    expect(DEFAULT_OUTBOX_MAX_EVENT_BYTES).toBe(1024 * 1024 - 64 * 1024);
    expect(loadServiceConfig('status-change', {})).toMatchObject({
      outboxMaxEventBytes: DEFAULT_OUTBOX_MAX_EVENT_BYTES,
      outboxMaxPublishAttempts: 10,
    });
    expect(
      loadServiceConfig('status-change', { OUTBOX_MAX_EVENT_BYTES: '500000', OUTBOX_MAX_ATTEMPTS: '3' }),
    ).toMatchObject({ outboxMaxEventBytes: 500_000, outboxMaxPublishAttempts: 3 });
    expect(() => loadServiceConfig('status-change', { OUTBOX_MAX_ATTEMPTS: '0' })).toThrow();
    expect(() => loadServiceConfig('status-change', { OUTBOX_MAX_EVENT_BYTES: 'big' })).toThrow();
  });
});

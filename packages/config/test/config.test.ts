import { loadServiceConfig } from '../src';

describe('service configuration', () => {
  it('runs the relay and the inbox consumer unless told not to, so API-only instances can be split off', () => {
    const all = loadServiceConfig('subsidy', {});
    expect([all.outboxRelayEnabled, all.inboxConsumerEnabled]).toEqual([true, true]);
    const apiOnly = loadServiceConfig('subsidy', { OUTBOX_RELAY_ENABLED: 'false', INBOX_CONSUMER_ENABLED: 'false' });
    expect([apiOnly.outboxRelayEnabled, apiOnly.inboxConsumerEnabled]).toEqual([false, false]);
    expect(() => loadServiceConfig('subsidy', { INBOX_CONSUMER_ENABLED: 'no' })).toThrow();
  });

  it('names the service’s database, topics and consumer group under a prefix', () => {
    const config = loadServiceConfig('subsidy', { KAFKA_TOPIC_PREFIX: 'p.' });
    expect(config.databaseUrl).toMatch(/\/xueji_subsidy$/);
    expect(config.topics.own).toBe('p.xueji.subsidy.events');
    expect(config.topics.partnerEligibility).toBe('p.xueji.partner.eligibility');
    expect(config.consumerGroup).toBe('p.subsidy');
  });
});

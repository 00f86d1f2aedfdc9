import { loadGraphqlEndpointSettings, loadServiceConfig } from '../src';

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

  it('answers introspection outside production only, and shows stack traces only when asked', () => {
    expect(loadServiceConfig('subsidy', {})).toMatchObject({ introspection: true, debugErrors: false });
    expect(loadGraphqlEndpointSettings({ NODE_ENV: 'test' })).toEqual({ introspection: true, debugErrors: false });
    const production = {
      NODE_ENV: 'production',
      XUEJI_JWT_SECRET: 'a-production-secret-of-length',
      XUEJI_GATEWAY_SECRET: 'a-production-gateway-secret',
    };
    expect(loadServiceConfig('subsidy', production)).toMatchObject({ introspection: false, debugErrors: false });
    expect(loadGraphqlEndpointSettings({ ...production, XUEJI_INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadGraphqlEndpointSettings({ XUEJI_INTROSPECTION: 'false' }).introspection).toBe(false);
    expect(loadGraphqlEndpointSettings({ XUEJI_DEBUG_ERRORS: 'true' }).debugErrors).toBe(true);
    expect(() => loadGraphqlEndpointSettings({ ...production, XUEJI_DEBUG_ERRORS: 'true' })).toThrow(
      /XUEJI_DEBUG_ERRORS/,
    );
  });
});

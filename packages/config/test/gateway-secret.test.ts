import { DEV_GATEWAY_SECRET, loadServiceConfig, resolveGatewaySecret } from '../src';

/** Issue 10, "The subgraphs answer anyone who reaches their ports": the secret only the gateway holds. */
describe('XUEJI_GATEWAY_SECRET', () => {
  const jwt = { XUEJI_JWT_SECRET: 'a-production-secret-of-length' };

  it('is required in production, like XUEJI_JWT_SECRET', () => {
    expect(() => resolveGatewaySecret({ NODE_ENV: 'production', ...jwt })).toThrow(/XUEJI_GATEWAY_SECRET/);
    expect(() => loadServiceConfig('subsidy', { NODE_ENV: 'production', ...jwt })).toThrow(/XUEJI_GATEWAY_SECRET/);
    const secret = 'a-production-gateway-secret';
    expect(
      loadServiceConfig('subsidy', { NODE_ENV: 'production', ...jwt, XUEJI_GATEWAY_SECRET: secret }).gatewaySecret,
    ).toBe(secret);
  });

  it('has a development default elsewhere, and refuses a short one', () => {
    expect(resolveGatewaySecret({})).toBe(DEV_GATEWAY_SECRET);
    expect(loadServiceConfig('subsidy', {}).gatewaySecret).toBe(DEV_GATEWAY_SECRET);
    expect(() => resolveGatewaySecret({ XUEJI_GATEWAY_SECRET: 'short' })).toThrow();
  });
});

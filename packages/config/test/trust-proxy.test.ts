import { loadTrustProxy } from '../src';

/** GR-10's rate limit counts by the client's address; only named proxies may say what it is. */
describe('XUEJI_TRUST_PROXY', () => {
  it('trusts no proxy unless told', () => {
    expect(loadTrustProxy({})).toBe(false);
    expect(loadTrustProxy({ XUEJI_TRUST_PROXY: 'false' })).toBe(false);
    expect(loadTrustProxy({ XUEJI_TRUST_PROXY: ' ' })).toBe(false);
  });

  it('takes a number of hops, or the proxies’ addresses and subnets', () => {
    expect(loadTrustProxy({ XUEJI_TRUST_PROXY: '1' })).toBe(1);
    expect(loadTrustProxy({ XUEJI_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' })).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
  });

  it('refuses `true` (every hop: a client could name its own address) and what is no address', () => {
    expect(() => loadTrustProxy({ XUEJI_TRUST_PROXY: 'true' })).toThrow(/every hop/);
    expect(() => loadTrustProxy({ XUEJI_TRUST_PROXY: '0' })).toThrow(/1–10/);
    expect(() => loadTrustProxy({ XUEJI_TRUST_PROXY: 'proxy.example.com' })).toThrow(/not an address/);
  });
});

import { loadPolicyProfile, PROFILE_IDS, profileForRegion, REGION_PROFILES } from '@xueji/policy';

/** Issue 10, "Operations": the demo runs the profile of the province it loads (one mapping, here). */
describe('profileForRegion', () => {
  it.each([
    ['220000', 'jilin'],
    ['110000', 'beijing'],
    ['350000', 'fujian'],
    ['420300', 'hubei-shiyan'],
    ['440000', 'national'],
  ])('%s runs %s', (code, id) => {
    expect(profileForRegion(code)).toBe(id);
  });

  it("takes a city's or a county's profile from the nearest region that has one", () => {
    expect(profileForRegion('220102')).toBe('jilin'); // 长春市南关区
    expect(profileForRegion('420302')).toBe('hubei-shiyan'); // 十堰市茅箭区
    expect(profileForRegion('420100')).toBe('national'); // 武汉市: Hubei has no provincial profile
    expect(profileForRegion('420000')).toBe('national');
  });

  it('names only profiles that exist', () => {
    for (const id of Object.values(REGION_PROFILES)) {
      expect(PROFILE_IDS).toContain(id);
      expect(loadPolicyProfile(id).id).toBe(id);
    }
  });

  it('refuses what is not a region code', () => {
    expect(() => profileForRegion('22')).toThrow(/not a 6-digit region code/);
  });
});

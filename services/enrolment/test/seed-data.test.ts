import { findRegion, sameCity } from '../src/domain/regions';
import { MAJOR_CATEGORIES, NATIONAL_MAJOR_CATALOGUE } from '../src/seed/catalogue';
import { generateDemoSchools, generateProvinceSchools } from '../src/seed/province';

describe('major catalogue sample (2021)', () => {
  it('has the 19 secondary-vocational categories 61–79', () => {
    expect(MAJOR_CATEGORIES.map((c) => c.code)).toEqual(Array.from({ length: 19 }, (_, i) => String(61 + i)));
    expect(new Set(MAJOR_CATEGORIES.map((c) => c.name)).size).toBe(19);
  });

  it('has unique 6-digit codes within their categories', () => {
    const codes = NATIONAL_MAJOR_CATALOGUE.map((m) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThanOrEqual(40);
    const categories = new Map(MAJOR_CATEGORIES.map((c) => [c.code, c.name]));
    for (const major of NATIONAL_MAJOR_CATALOGUE) {
      expect(major.code).toMatch(/^\d{6}$/);
      expect(major.code.slice(0, 2)).toBe(major.categoryCode);
      expect(categories.get(major.categoryCode)).toBe(major.categoryName);
      expect(major.agricultureRelated).toBe(major.categoryCode === '61');
      if (major.waiverExcluded) expect(major.categoryCode).toBe('75');
    }
    expect(NATIONAL_MAJOR_CATALOGUE.find((m) => m.code === '710201')?.name).toBe('计算机应用');
    expect(NATIONAL_MAJOR_CATALOGUE.find((m) => m.code === '730301')?.name).toBe('会计事务');
    expect(NATIONAL_MAJOR_CATALOGUE.some((m) => m.waiverExcluded)).toBe(true);
  });
});

describe('generateProvinceSchools', () => {
  const jilin = generateProvinceSchools('220000');

  it('is deterministic', () => {
    expect(generateProvinceSchools('220000')).toEqual(jilin);
  });

  it('gives well-formed schools in counties of the province', () => {
    const catalogue = new Set(NATIONAL_MAJOR_CATALOGUE.map((m) => m.code));
    expect(new Set(jilin.map((s) => s.code)).size).toBe(jilin.length);
    const perCounty = new Map<string, Set<string>>();
    for (const school of jilin) {
      const region = findRegion(school.regionCode);
      expect(region).toMatchObject({ level: 'COUNTY', provinceCode: '220000' });
      expect(school.code).toBe(`S${school.regionCode}${school.countySchoolCode}`);
      expect(school.countySchoolCode).toMatch(/^\d{2}$/);
      const seen = perCounty.get(school.regionCode) ?? new Set<string>();
      expect(seen.has(school.countySchoolCode)).toBe(false);
      seen.add(school.countySchoolCode);
      perCounty.set(school.regionCode, seen);
      expect(school.approvedMajorCodes.length).toBeGreaterThanOrEqual(4);
      expect(school.approvedMajorCodes.length).toBeLessThanOrEqual(10);
      expect(new Set(school.approvedMajorCodes).size).toBe(school.approvedMajorCodes.length);
      for (const code of school.approvedMajorCodes) expect(catalogue.has(code)).toBe(true);
      for (const point of school.teachingPoints) {
        expect(point.regionCode).not.toBe(school.regionCode);
        expect(sameCity(point.regionCode, school.regionCode)).toBe(true);
        expect(findRegion(point.regionCode)?.level).toBe('COUNTY');
      }
      expect(school.name).toMatch(/学校|中心|中专/);
    }
  });

  it('spreads 2–4 schools over each city with tiered authorities', () => {
    const byCity = new Map<string, number>();
    for (const s of jilin) byCity.set(s.regionCode.slice(0, 4), (byCity.get(s.regionCode.slice(0, 4)) ?? 0) + 1);
    expect(byCity.size).toBe(9); // Jilin's 8 cities and 延边州
    for (const n of byCity.values()) {
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(4);
    }
    const tiers = jilin.map((s) => s.authorityTier);
    const provincial = tiers.filter((t) => t === 'PROVINCE').length;
    expect(provincial).toBeGreaterThanOrEqual(1);
    expect(provincial).toBeLessThanOrEqual(2);
    expect(tiers).toContain('CITY');
    expect(tiers.filter((t) => t === 'COUNTY').length).toBeGreaterThan(tiers.filter((t) => t === 'CITY').length);
  });

  it('honours schoolsPerCity and works for municipalities', () => {
    expect(generateProvinceSchools('220000', { schoolsPerCity: 1 })).toHaveLength(9);
    const beijing = generateProvinceSchools('110000', { schoolsPerCity: 20 });
    expect(beijing).toHaveLength(20);
    expect(beijing.some((s) => s.authorityTier === 'CITY')).toBe(false);
    expect(new Set(beijing.map((s) => s.code)).size).toBe(20);
    expect(beijing.every((s) => findRegion(s.regionCode)?.provinceCode === '110000')).toBe(true);
  });

  it('refuses a code that is not a province', () => {
    expect(() => generateProvinceSchools('220100')).toThrow();
    expect(() => generateProvinceSchools('990000')).toThrow();
  });
});

describe('generateDemoSchools (DEMO_PROVINCE)', () => {
  it("loads a province's schools, as generateProvinceSchools", () => {
    expect(generateDemoSchools('220000')).toEqual(generateProvinceSchools('220000'));
  });

  it("loads a city's schools for a city with a profile of its own (十堰市 420300, hubei-shiyan)", () => {
    const shiyan = generateDemoSchools('420300');
    expect(shiyan.length).toBeGreaterThanOrEqual(2);
    expect(shiyan.every((s) => s.regionCode.startsWith('4203'))).toBe(true);
    expect(shiyan.every((s) => s.teachingPoints.every((p) => p.regionCode.startsWith('4203')))).toBe(true);
    expect(shiyan).toEqual(generateProvinceSchools('420000').filter((s) => s.regionCode.startsWith('4203')));
  });

  it('refuses a county or an unknown code', () => {
    expect(() => generateDemoSchools('420302')).toThrow();
    expect(() => generateDemoSchools('990000')).toThrow();
  });
});

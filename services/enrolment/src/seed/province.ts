/**
 * A province's worth of demo schools: deterministic (a PRNG seeded from the province code), built
 * from the GB/T 2260 counties in `../domain/regions` and the sample major catalogue.
 *
 * Tiers follow ADM-1: one or two schools per province are managed by the provincial authority,
 * the first school of each city by the city authority, the rest by their county. In a
 * municipality (北京, 天津, 上海, 重庆) the city tier is the province itself, so schools there are
 * PROVINCE or COUNTY (district) schools. A few schools run one off-site teaching point in another
 * county of the same city (ENR-20).
 */
import { countiesOf, findRegion, PLACEHOLDER_CITY_NAMES, type Region } from '../domain/regions';
import { NATIONAL_MAJOR_CATALOGUE } from './catalogue';

export interface DemoSchool {
  /** `S${county6}${nn}`, e.g. 'S22010201' */
  code: string;
  name: string;
  /** county code */
  regionCode: string;
  authorityTier: 'PROVINCE' | 'CITY' | 'COUNTY';
  /** 2 digits, unique within the county (used by Fujian student numbers, ENR-11) */
  countySchoolCode: string;
  /** 4–10 codes from NATIONAL_MAJOR_CATALOGUE, sorted */
  approvedMajorCodes: string[];
  /** off-site teaching points, each in another county of the same city */
  teachingPoints: { name: string; regionCode: string }[];
  nationalKey: boolean;
  /** GR-11: the principal's name (校长); absent: not stated. */
  principalName?: string;
}

const MUNICIPALITY_PREFIXES = new Set(['11', '12', '31', '50']);
const COUNTY_SCHOOL_KINDS = ['职业教育中心', '职业教育中心', '职业技术学校', '职业中专'];
const ORDINALS = ['第一', '第二', '第三', '第四', '第五', '第六', '第七', '第八', '第九', '第十'];

/** Specialised provincial schools: a name and the categories its majors come from first. */
const PROVINCIAL_THEMES: { name: string; categories: string[] }[] = [
  { name: '经济贸易学校', categories: ['73', '74'] },
  { name: '农业学校', categories: ['61', '69'] },
  { name: '卫生学校', categories: ['72'] },
  { name: '艺术学校', categories: ['75', '76'] },
  { name: '交通学校', categories: ['70', '66'] },
  { name: '工业学校', categories: ['66', '67', '63'] },
];

/** mulberry32: a small deterministic PRNG returning floats in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of a string, as a seed. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A copy of `items` in a deterministic shuffled order (Fisher–Yates). */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Function zones (经济技术开发区, 高新区 …, GB/T codes xxxx7x) host no demo school unless a city has nothing else. */
function isFunctionZone(county: Region): boolean {
  return county.code[4] === '7';
}

function pickMajors(random: () => number, preferredCategories: readonly string[]): string[] {
  const count = 4 + Math.floor(random() * 7); // 4–10
  const preferred = NATIONAL_MAJOR_CATALOGUE.filter((m) => preferredCategories.includes(m.categoryCode));
  const others = NATIONAL_MAJOR_CATALOGUE.filter((m) => !preferredCategories.includes(m.categoryCode));
  const picked = [...shuffled(preferred, random), ...shuffled(others, random)].slice(0, count);
  return picked.map((m) => m.code).sort();
}

/**
 * Demo schools for one province (a 6-digit province code such as '220000'): by default 2–4 per
 * city, or `schoolsPerCity` each, spread over the city's counties. The same input always gives the
 * same output. Throws for a code that is not a province.
 */
export function generateProvinceSchools(provinceCode6: string, options?: { schoolsPerCity?: number }): DemoSchool[] {
  const province = findRegion(provinceCode6);
  if (!province || province.level !== 'PROVINCE') {
    throw new Error(`not a province code: ${provinceCode6}`);
  }
  const schoolsPerCity = options?.schoolsPerCity;
  if (schoolsPerCity !== undefined && (!Number.isInteger(schoolsPerCity) || schoolsPerCity < 1)) {
    throw new Error(`schoolsPerCity must be a positive integer, got ${schoolsPerCity}`);
  }
  const municipality = MUNICIPALITY_PREFIXES.has(provinceCode6.slice(0, 2));
  const random = prng(seedOf(provinceCode6));

  // Counties grouped by city, cities in code order (the capital first).
  const cities = new Map<string, Region[]>();
  for (const county of countiesOf(provinceCode6)) {
    const list = cities.get(county.cityCode!);
    if (list) list.push(county);
    else cities.set(county.cityCode!, [county]);
  }

  const schools: DemoSchool[] = [];
  let provincialSchools = 0;
  const themes = shuffled(PROVINCIAL_THEMES, random);
  [...cities.entries()].forEach(([cityCode, allCounties], cityIndex) => {
    // Placeholder cities: a municipality's districts (named after the municipality), or county-level
    // units directly under the province ('省直辖县级行政区划': each is a city of its own).
    const cityRegion = findRegion(cityCode)!;
    const placeholder = PLACEHOLDER_CITY_NAMES.includes(cityRegion.name);
    const directlyAdministered = placeholder && !municipality;
    const realCounties = allCounties.filter((c) => !isFunctionZone(c));
    const counties = shuffled(realCounties.length > 0 ? realCounties : allCounties, random);
    const count = schoolsPerCity ?? 2 + Math.floor(random() * 3);
    if (Math.ceil(count / counties.length) > 99) throw new Error('too many schools for two-digit county school codes');
    const perCounty = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const county = counties[i % counties.length]!;
      const nth = (perCounty.get(county.code) ?? 0) + 1;
      perCounty.set(county.code, nth);
      const countySchoolCode = String(nth).padStart(2, '0');

      // Tier: the capital's first school, and in a larger province the second city's, are provincial;
      // the first school of every other city is a city school (none in a municipality); the rest county schools.
      let authorityTier: DemoSchool['authorityTier'] = 'COUNTY';
      if (i === 0 && (cityIndex === 0 || (cityIndex === 1 && cities.size >= 5))) authorityTier = 'PROVINCE';
      else if (i === 0 && !municipality) authorityTier = 'CITY';

      let name: string;
      let majorCategories: string[] = [];
      if (authorityTier === 'PROVINCE') {
        const theme = themes[provincialSchools % themes.length]!;
        provincialSchools++;
        name = `${province.name}${theme.name}`;
        majorCategories = theme.categories;
      } else if (authorityTier === 'CITY') {
        const cityName = !placeholder ? cityRegion.name : directlyAdministered ? county.name : province.name;
        name = `${cityName}${ORDINALS[Math.floor(random() * 3)]}中等职业技术学校`;
      } else {
        name =
          nth === 1
            ? `${county.name}${COUNTY_SCHOOL_KINDS[Math.floor(random() * COUNTY_SCHOOL_KINDS.length)]}`
            : `${county.name}${ORDINALS[nth - 1] ?? `第${nth}`}职业中专`;
      }

      const approvedMajorCodes = pickMajors(random, majorCategories);
      const others = directlyAdministered
        ? []
        : allCounties.filter((c) => c.code !== county.code && !isFunctionZone(c));
      const teachingPoints: DemoSchool['teachingPoints'] = [];
      if (others.length > 0 && random() < 0.15) {
        const at = others[Math.floor(random() * others.length)]!;
        teachingPoints.push({ name: `${name}${at.name}教学点`, regionCode: at.code });
      }
      const nationalKey =
        authorityTier === 'PROVINCE' || (authorityTier === 'CITY' ? random() < 0.5 : nth === 1 && random() < 0.15);

      schools.push({
        code: `S${county.code}${countySchoolCode}`,
        name,
        regionCode: county.code,
        authorityTier,
        countySchoolCode,
        approvedMajorCodes,
        teachingPoints,
        nationalKey,
      });
    }
  });
  return schools;
}

/**
 * The demo's schools for `DEMO_PROVINCE`: a province's (see `generateProvinceSchools`), or, for a
 * city code such as '420300' (十堰市, which has a profile of its own), the schools of its province
 * that lie in that city — the same schools, names and codes as in the province's demo. Throws for
 * a county or an unknown code.
 */
export function generateDemoSchools(regionCode6: string): DemoSchool[] {
  const region = findRegion(regionCode6);
  if (region?.level === 'CITY') {
    const city = regionCode6.slice(0, 4);
    return generateProvinceSchools(region.provinceCode).filter((s) => s.regionCode.startsWith(city));
  }
  return generateProvinceSchools(regionCode6);
}

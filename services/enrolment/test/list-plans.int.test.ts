/**
 * Issue 13: enrolment's lists and search at province scale. 200,000 students seeded in SQL over
 * 400 schools, analysed; then each list statement exactly as the read builds it
 * (`studentPageStatement`, `registrationQueueStatement`, `studentCountStatement`) is run under
 * EXPLAIN (ANALYZE, FORMAT JSON): no sequential scan of `student`, no sort spilling to disk, and
 * the index meant for it named. Then the lists as clients read them: every page in order, no
 * student twice and none missing, against what the schools' regions say independently.
 */
import type { Principal } from '@xueji/auth';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  expectIndexed as expectIndexedPlan,
  graphql,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import {
  EXACT_COUNT_LIMIT,
  registrationQueueStatement,
  studentCountStatement,
  studentPageStatement,
  type Statement,
} from '../src/reads/students';
import { enrolment } from '../src/service';
import type { StudentFilter } from '../src/generated/resolvers-types';
import { SURNAMES, seedStudentsBySql } from './seed-by-sql';

jest.setTimeout(240_000);

const STUDENTS = 200_000;

let service: RunningService;
let databaseUrl: string;

const sql = <T>(text: string, values: unknown[] = []) => service.dataSource.query(text, values) as Promise<T[]>;

/** The plan reads on one of `indexes`, never sequentially, sorting in memory (`@xueji/testkit`). */
const expectIndexed = (statement: Statement, indexes: string[]) =>
  expectIndexedPlan(service.dataSource, statement, indexes);

const province: Principal = { subject: 'plan-province', role: 'AUTHORITY_REVIEWER', regionCode: '220000' };
const city: Principal = { subject: 'plan-city', role: 'AUTHORITY_REVIEWER', regionCode: '220300' };
const county: Principal = { subject: 'plan-county', role: 'AUTHORITY_REVIEWER', regionCode: '220302' };
const officer: Principal = { subject: 'plan-officer', role: 'SUBSIDY_OFFICER', regionCode: '220000' };
let school: string;
const registrar = (): Principal => ({ subject: 'plan-registrar', role: 'SCHOOL_REGISTRAR', schoolId: school });
/** A 2-character name that occurs a handful of times, and a 3-character one. */
let fullName: string;
let threeCharName: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase('enrolment_list_plans');
  service = await startService(
    enrolment,
    testServiceConfig('enrolment', { databaseUrl, topicPrefix: testTopicPrefix(), relay: false }),
  );
  await seedStudentsBySql(service.dataSource, STUDENTS, 400);
  [{ id: school }] = (await sql<{ id: string }>(`SELECT id FROM school WHERE code = 'B000021'`)) as [{ id: string }];
  [{ name: fullName }] = (await sql<{ name: string }>(
    `SELECT name FROM student WHERE char_length(name) = 2 GROUP BY name HAVING count(*) BETWEEN 3 AND 60 ORDER BY name LIMIT 1`,
  )) as [{ name: string }];
  [{ name: threeCharName }] = (await sql<{ name: string }>(
    `SELECT name FROM student WHERE char_length(name) = 3 GROUP BY name HAVING count(*) >= 2 ORDER BY name LIMIT 1`,
  )) as [{ name: string }];
});

afterAll(async () => {
  await service?.stop();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

describe('every list statement is read on an index (EXPLAIN ANALYZE at 200,000 students)', () => {
  /** A cursor well into the list: the page after the 1,000th student of the scope. */
  const cursorAfter = async (statement: Statement, offset = 999) => {
    const deep = await sql<{ id: string; at: string }>(
      statement.text.replace(/LIMIT \$\d+$/, `OFFSET ${offset} LIMIT 1`),
      statement.values.slice(0, -1),
    );
    expect({ statement, rows: deep.length }).toEqual({ statement, rows: 1 });
    return Buffer.from(JSON.stringify([deep[0]!.at, deep[0]!.id])).toString('base64url');
  };

  it.each([
    ['a provincial reviewer', province, 'student_province_order'],
    ['a city reviewer', city, 'student_city_order'],
    ['a county reviewer', county, 'student_county_order'],
    ['a subsidy officer of the province', officer, 'student_province_order'],
  ])('students as %s: first page and a page deep in the list', async (_, who, index) => {
    await expectIndexed(studentPageStatement(who, {}, 50), [index]);
    const after = await cursorAfter(studentPageStatement(who, {}, 50));
    await expectIndexed(studentPageStatement(who, {}, 50, after), [index]);
  });

  it('students as a registrar, and a reviewer narrowing to one school: the school index', async () => {
    await expectIndexed(studentPageStatement(registrar(), {}, 50), ['student_school_order']);
    const after = await cursorAfter(studentPageStatement(registrar(), {}, 50), 199);
    await expectIndexed(studentPageStatement(registrar(), {}, 50, after), ['student_school_order']);
    await expectIndexed(studentPageStatement(province, { schoolId: school }, 50), ['student_school_order']);
  });

  it('students narrowed by region, status, entry year and class stay on the region index', async () => {
    await expectIndexed(studentPageStatement(province, { regionCode: '220300' }, 50), ['student_city_order']);
    await expectIndexed(studentPageStatement(province, { regionCode: '220302' }, 50), ['student_county_order']);
    const filters: StudentFilter[] = [
      { entryYear: 2025 },
      { className: '班7' },
      { registrationStatus: 'APPROVED', entryYear: 2024 },
    ];
    for (const filter of filters)
      await expectIndexed(studentPageStatement(province, filter, 50), ['student_province_order']);
    // The submitted ones also come in order from the queue's partial index.
    await expectIndexed(studentPageStatement(province, { registrationStatus: 'SUBMITTED' }, 50), [
      'student_province_order',
      'student_queue',
    ]);
  });

  it('search by a surname (1 character), a 2- and a 3-character name, a number prefix: an index each', async () => {
    // A surname, common or rare, in registration order on its own index: a page's rows, not every match.
    for (const surname of ['王', SURNAMES[5]!, SURNAMES[40]!, SURNAMES[97]!])
      await expectIndexed(studentPageStatement(province, { search: surname }, 50), ['student_surname_order']);
    await expectIndexed(studentPageStatement(province, { search: '欧阳' }, 50), [
      'student_province_order',
      'student_name_prefix',
    ]);
    await expectIndexed(studentPageStatement(province, { search: fullName }, 50), ['student_name_prefix']);
    await expectIndexed(studentPageStatement(province, { search: threeCharName }, 50), ['student_name_prefix']);
    await expectIndexed(studentPageStatement(province, { search: 'G22010000000123' }, 50), ['student_number_prefix']);
    await expectIndexed(studentPageStatement(county, { search: '王' }, 50), [
      'student_county_order',
      'student_surname_order',
    ]);
    await expectIndexed(studentPageStatement(registrar(), { search: '王' }, 50), [
      'student_school_order',
      'student_surname_order',
    ]);
  });

  it('the registration queue of any level: the partial index of the submitted registrations', async () => {
    for (const who of [province, city, county]) {
      await expectIndexed(registrationQueueStatement(who, 50), ['student_queue']);
      const after = await cursorAfter(registrationQueueStatement(who, 50), 99);
      await expectIndexed(registrationQueueStatement(who, 50, after), ['student_queue']);
    }
  });

  it('a total, when asked for, counts on the same indexes and stops past the exact bound', async () => {
    await expectIndexed(studentCountStatement(province, {}), ['student_province_order']);
    await expectIndexed(studentCountStatement(registrar(), {}), ['student_school_order']);
    await expectIndexed(studentCountStatement(province, { search: '王' }), [
      'student_province_order',
      'student_surname_order',
    ]);
  });
});

describe('the lists as clients page through them', () => {
  const PAGE = `query ($filter: StudentFilter, $first: Int, $after: String) {
    students(filter: $filter, first: $first, after: $after) {
      edges { node { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  const TOTAL = `query ($filter: StudentFilter) { students(filter: $filter, first: 1) { totalCount } }`;
  const QUEUE = `query ($after: String) {
    registrationQueue(first: 500, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } }
  }`;

  const token = (p: Principal) =>
    tokenFor({ subject: p.subject, role: p.role, schoolId: p.schoolId, regionCode: p.regionCode });

  interface Connection {
    edges: { node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  }

  /** Every page of a list, each page's ids in order. */
  async function pages(who: Principal, query: string, field: 'students' | 'registrationQueue', variables: object) {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const answer = await graphql<Record<string, Connection>>(service.url, query, { ...variables, after }, token(who));
      expect(answer.errors).toBeUndefined();
      const page: Connection = answer.data![field]!;
      ids.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) return ids;
      after = page.pageInfo.endCursor;
    }
  }

  /** Every page of `students`, `first` at a time. */
  const everyPage = (who: Principal, filter: StudentFilter, first: number) =>
    pages(who, PAGE, 'students', { filter, first });

  /** The same list, read independently: the schools' own regions, the whole list sorted at once. */
  const expected = async (where: string, values: unknown[]) =>
    (
      await sql<{ id: string }>(
        `SELECT s.id FROM student s JOIN school sc ON sc.id = s.school_id WHERE ${where} ORDER BY s.registered_at, s.id`,
        values,
      )
    ).map((r) => r.id);

  it('a registrar reads the school’s students 50 at a time: in order, none twice, none missing', async () => {
    const ids = await everyPage(registrar(), {}, 50);
    expect(ids.length).toBeGreaterThan(400);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(await expected('s.school_id = $1', [school]));
  });

  it('a county reviewer reads the county 500 at a time; registered in pairs to the microsecond, ties by id', async () => {
    const ids = await everyPage(county, {}, 500);
    expect(ids.length).toBeGreaterThan(3000);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(await expected(`sc.region_code LIKE '220302%'`, []));
  });

  it('search: a surname (1 character), a full name, a 3-character name, a student number prefix', async () => {
    const surname = await everyPage(county, { search: '王' }, 100);
    expect(surname.length).toBeGreaterThan(50);
    expect(surname).toEqual(await expected(`sc.region_code LIKE '220302%' AND s.name LIKE '王%'`, []));
    const rare = await everyPage(province, { search: SURNAMES[97]! }, 100);
    expect(rare.length).toBeGreaterThan(100);
    expect(rare).toEqual(await expected(`sc.region_code LIKE '22%' AND s.name LIKE $1 || '%'`, [SURNAMES[97]]));

    const full = await everyPage(province, { search: fullName }, 20);
    expect(full.length).toBeGreaterThan(0);
    expect(full).toEqual(await expected(`sc.region_code LIKE '22%' AND s.name LIKE $1 || '%'`, [fullName]));

    const three = await everyPage(province, { search: threeCharName }, 20);
    expect(three).toEqual(await expected(`sc.region_code LIKE '22%' AND s.name LIKE $1 || '%'`, [threeCharName]));

    // Students 123000–123999, in schools of province 22 and of 11: only 22's are seen.
    const numbers = await everyPage(province, { search: 'G220100000000123' }, 50);
    const inScope = await expected(`sc.region_code LIKE '22%' AND s.student_number LIKE 'G220100000000123%'`, []);
    expect(inScope.length).toBeGreaterThan(5);
    expect(numbers).toEqual(inScope);

    // ADM-5: a subsidy officer sees these numbers masked (G + an ID number), so a prefix must not
    // find them, or the ID number could be read digit by digit; a whole number still does.
    expect(await everyPage(officer, { search: 'G220100000000123' }, 50)).toEqual([]);
    const [whole] = await sql<{ student_number: string; id: string }>(
      `SELECT s.student_number, s.id FROM student s JOIN school sc ON sc.id = s.school_id
        WHERE sc.region_code LIKE '22%' AND s.student_number LIKE 'G220100000000123%' ORDER BY s.id LIMIT 1`,
      [],
    );
    expect(await everyPage(officer, { search: whole!.student_number }, 50)).toEqual([whole!.id]);

    // The registrar searches the own school only.
    const mine = await everyPage(registrar(), { search: '李' }, 50);
    expect(mine).toEqual(await expected(`s.school_id = $1 AND s.name LIKE '李%'`, [school]));
  });

  it('the registration queue of a city reviewer: every submitted registration under authorities it covers', async () => {
    const ids = await pages(city, QUEUE, 'registrationQueue', {});
    expect(ids.length).toBeGreaterThan(500);
    expect(ids).toEqual(
      await expected(`s.registration_status = 'SUBMITTED' AND sc.authority_region_code LIKE '2203%'`, []),
    );
  });

  it('totalCount is exact up to the bound, an estimate of at least the bound past it', async () => {
    const total = async (who: Principal, filter: StudentFilter) => {
      const answer = await graphql<{ students: { totalCount: number } }>(service.url, TOTAL, { filter }, token(who));
      expect(answer.errors).toBeUndefined();
      return answer.data!.students.totalCount;
    };
    const [{ n: countyTotal }] = (await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM student s JOIN school sc ON sc.id = s.school_id WHERE sc.region_code = '220302'`,
    )) as [{ n: number }];
    expect(countyTotal).toBeLessThan(EXACT_COUNT_LIMIT);
    expect(await total(county, {})).toBe(countyTotal);
    const provinceTotal = await total(province, {});
    expect(provinceTotal).toBeGreaterThan(EXACT_COUNT_LIMIT);
    // The planner's estimate of 180,000 (nine schools in ten), within its statistics' error.
    expect(provinceTotal).toBeGreaterThan(STUDENTS * 0.8);
    expect(provinceTotal).toBeLessThan(STUDENTS);
  });

  it('a school that changes region takes its students along (the copied region the lists scope by)', async () => {
    const other = await sql<{ id: string }>(`SELECT id FROM school WHERE code = 'B000022'`);
    const moved = other[0]!.id;
    const before = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM student WHERE school_id = $1`, [moved]);
    await sql(`UPDATE school SET region_code = '220399' WHERE id = $1`, [moved]);
    const after = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM student WHERE school_id = $1 AND region_code = '220399'`,
      [moved],
    );
    expect(after[0]!.n).toBe(before[0]!.n);
    const ids = await everyPage({ ...county, regionCode: '220399' }, {}, 500);
    expect(ids).toEqual(await expected(`sc.region_code = '220399'`, []));
  });
});

/**
 * Issue 13: status-change's lists at province scale. 200,000 change requests seeded in SQL over
 * 400 schools (one in six pending), analysed; then each list statement exactly as the read builds
 * it (`changeRequestQueueStatement`, `changeRequestsOfStudentsQuery`, `monthlyReportStatement`) is
 * run under EXPLAIN (ANALYZE, FORMAT JSON): no sequential scan, no sort spilling to disk, the index
 * meant for it named. Then the work queue as clients read it: every page in order, none twice and
 * none missing, against what the old joins to `school_directory` say; each caller sees its own.
 */
import type { Principal } from '@xueji/auth';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  expectIndexed,
  graphql,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
} from '@xueji/testkit';
import type { ChangeQueueFilter } from '../src/generated/resolvers-types';
import {
  changeRequestQueueStatement,
  changeRequestsOfStudentsQuery,
  monthlyReportStatement,
  REGION_SCOPE,
  SCHOOL_SCOPE,
  type Statement,
} from '../src/reads';
import { statusChange } from '../src/service';

jest.setTimeout(420_000);

const REQUESTS = 200_000;
const SCHOOLS = 400;

let service: RunningService;
let databaseUrl: string;

const sql = <T>(text: string, values: unknown[] = []) => service.dataSource.query(text, values) as Promise<T[]>;
const planned = (statement: Statement, indexes: string[], small: string[] = []) =>
  expectIndexed(service.dataSource, statement, indexes, { smallTables: small });

/**
 * Schools as enrolment's seed has them (nine in ten in province 22, nine cities × five counties,
 * one in ten in 11; competent authority by turns the province, the city, the county). Requests:
 * one in six pending, at each step in turn (transfers to the next school); the rest effective or
 * rejected, effective over 24 months; submitted in pairs to the microsecond (ties broken by id).
 */
async function seed(): Promise<void> {
  await sql(
    `INSERT INTO school_directory (school_id, name, region_code, authority_region_code)
     SELECT md5('school' || k)::uuid, '学校' || k, r.region,
            CASE k % 3 WHEN 0 THEN left(r.region, 2) || '0000' WHEN 1 THEN left(r.region, 4) || '00' ELSE r.region END
       FROM generate_series(0, $1 - 1) k,
            LATERAL (SELECT CASE WHEN k % 10 = 9 THEN '11' ELSE '22' END
                            || lpad((1 + k % 9)::text, 2, '0') || lpad((1 + (k / 9) % 5)::text, 2, '0') AS region) r`,
    [SCHOOLS],
  );
  await sql(
    `WITH n AS (SELECT i, ((i * 2654435761) % 4294967296) / 4294967296.0 AS h,
                        ((i * 2246822519) % 4294967296) / 4294967296.0 AS p FROM generate_series(1, $1::bigint) i)
     INSERT INTO change_request (student_id, kind, state, steps, next_step, from_school_id, to_school_id, effective_date,
                                 details, imposed, submitted_by, submitted_role, submitted_at)
     SELECT md5('student' || i)::uuid, k.kind,
            CASE WHEN p < 1 / 6.0 THEN 'PENDING' WHEN h < 0.8 THEN 'EFFECTIVE' ELSE 'REJECTED' END,
            CASE WHEN k.kind = 'TRANSFER'
                 THEN ARRAY['SENDING_SCHOOL', 'SENDING_AUTHORITY', 'RECEIVING_SCHOOL', 'RECEIVING_AUTHORITY']
                 ELSE ARRAY['SENDING_SCHOOL', 'SENDING_AUTHORITY'] END,
            CASE WHEN p >= 1 / 6.0 THEN NULL
                 WHEN k.kind = 'TRANSFER'
                   THEN (ARRAY['SENDING_SCHOOL', 'SENDING_AUTHORITY', 'RECEIVING_SCHOOL', 'RECEIVING_AUTHORITY'])[1 + (i / 7) % 4]
                 ELSE (ARRAY['SENDING_SCHOOL', 'SENDING_AUTHORITY'])[1 + (i / 7) % 2] END,
            md5('school' || (i % $2))::uuid,
            CASE WHEN k.kind = 'TRANSFER' THEN md5('school' || ((i + 7) % $2))::uuid END,
            date '2024-09-01' + (i % 730)::int,
            jsonb_build_object('ground', 'SEED' || i), k.kind = 'WITHDRAWAL' AND i % 4 = 0,
            'seed', 'SCHOOL_REGISTRAR',
            timestamptz '2024-06-01 00:00:00+00' + (i / 2) * interval '1.234567 second'
       FROM n, LATERAL (SELECT (ARRAY['TRANSFER', 'SUSPENSION', 'WITHDRAWAL', 'MAJOR_CHANGE', 'DATA_CORRECTION'])[1 + i % 5] AS kind) k`,
    [REQUESTS, SCHOOLS],
  );
  await sql('VACUUM ANALYZE change_request');
  await sql('ANALYZE school_directory');
}

const province: Principal = { subject: 'plan-province', role: 'AUTHORITY_REVIEWER', regionCode: '220000' };
const city: Principal = { subject: 'plan-city', role: 'AUTHORITY_REVIEWER', regionCode: '220300' };
const county: Principal = { subject: 'plan-county', role: 'AUTHORITY_REVIEWER', regionCode: '220302' };
const otherProvince: Principal = { subject: 'plan-other', role: 'AUTHORITY_REVIEWER', regionCode: '110000' };
const school = (k: number) => sql<{ id: string }>(`SELECT md5('school' || $1::int)::uuid AS id`, [k]);
let schoolId: string;
const registrar = (): Principal => ({ subject: 'plan-registrar', role: 'SCHOOL_REGISTRAR', schoolId });

beforeAll(async () => {
  databaseUrl = await createTestDatabase('status_list_plans');
  service = await startService(
    statusChange,
    testServiceConfig('status-change', { databaseUrl, topicPrefix: testTopicPrefix(), relay: false }),
  );
  await seed();
  [{ id: schoolId }] = (await school(21)) as [{ id: string }];
});

afterAll(async () => {
  await service?.stop();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

describe('every list statement is read on an index (EXPLAIN ANALYZE at 200,000 requests)', () => {
  /** A cursor well into the list: the page after its `offset + 1`th request. */
  const cursorAfter = async (statement: Statement, offset: number) => {
    const deep = await sql<{ id: string; at: string }>(
      statement.text.replace(/LIMIT \$\d+$/, `OFFSET ${offset} LIMIT 1`),
      statement.values.slice(0, -1),
    );
    expect({ statement, rows: deep.length }).toEqual({ statement, rows: 1 });
    return Buffer.from(JSON.stringify([deep[0]!.at, deep[0]!.id])).toString('base64url');
  };

  it.each([
    ['a provincial reviewer', province, 'change_request_province_queue', 999],
    ['a city reviewer', city, 'change_request_city_queue', 199],
    ['a county reviewer', county, 'change_request_county_queue', 49],
  ])('the queue of %s: first page, a page deep in it, each filter', async (_, who, index, offset) => {
    await planned(changeRequestQueueStatement(who, {}, 50), [index]);
    const after = await cursorAfter(changeRequestQueueStatement(who, {}, 50), offset);
    await planned(changeRequestQueueStatement(who, {}, 50, after), [index]);
    const filters: ChangeQueueFilter[] = [
      { kind: 'TRANSFER' },
      { imposed: true },
      { kind: 'WITHDRAWAL', imposed: false },
    ];
    for (const filter of filters) await planned(changeRequestQueueStatement(who, filter, 50), [index]);
  });

  it('the queue of a registrar: the school index, first page, deep and filtered', async () => {
    await planned(changeRequestQueueStatement(registrar(), {}, 10), ['change_request_school_queue']);
    const after = await cursorAfter(changeRequestQueueStatement(registrar(), {}, 10), 9);
    await planned(changeRequestQueueStatement(registrar(), {}, 10, after), ['change_request_school_queue']);
    await planned(changeRequestQueueStatement(registrar(), { kind: 'TRANSFER' }, 10), ['change_request_school_queue']);
  });

  it('Student.changeRequests: the requests of 100 students on change_request_student', async () => {
    const students = await sql<{ id: string }>(
      `SELECT md5('student' || i)::uuid AS id FROM generate_series(1000, 1099) i`,
    );
    const [text, values] = changeRequestsOfStudentsQuery(
      service.dataSource,
      students.map((s) => s.id),
    ).getQueryAndParameters();
    await planned({ text, values }, ['change_request_student']);
  });

  it('monthlyReport of a region and of a school: the month of effective requests on change_request_effective', async () => {
    for (const region of ['22%', '2203%', '220302%'])
      await planned(
        monthlyReportStatement('STATUS_CHANGES', '2025-03', { sql: REGION_SCOPE, value: region }, '2025-03-31'),
        ['change_request_effective'],
        ['school_directory'],
      );
    await planned(
      monthlyReportStatement('PERSONAL_DATA', '2025-12', { sql: SCHOOL_SCOPE, value: schoolId }, '2026-01-05'),
      ['change_request_effective'],
    );
  });
});

describe('the work queue as clients page through it', () => {
  const QUEUE = `query ($filter: ChangeQueueFilter, $first: Int, $after: String) {
    changeRequestQueue(filter: $filter, first: $first, after: $after) {
      edges { node { id } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

  interface Connection {
    edges: { node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  }

  const token = (p: Principal) =>
    tokenFor({ subject: p.subject, role: p.role, schoolId: p.schoolId, regionCode: p.regionCode });

  /** Every page of the caller's queue, `first` at a time, the ids in the order given. */
  async function everyPage(who: Principal, filter: ChangeQueueFilter, first: number) {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const answer = await graphql<{ changeRequestQueue: Connection }>(
        service.url,
        QUEUE,
        { filter, first, after },
        token(who),
      );
      expect(answer.errors).toBeUndefined();
      const page: Connection = answer.data!.changeRequestQueue;
      ids.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) return ids;
      after = page.pageInfo.endCursor;
    }
  }

  /** The same queue, read as before issue 13: joins to the directory, the whole list sorted at once. */
  const expected = async (where: string, values: unknown[]) =>
    (
      await sql<{ id: string }>(
        `SELECT r.id FROM change_request r
           LEFT JOIN school_directory f ON f.school_id = r.from_school_id
           LEFT JOIN school_directory t ON t.school_id = r.to_school_id
          WHERE r.state = 'PENDING' AND ${where} ORDER BY r.submitted_at, r.id`,
        values,
      )
    ).map((r) => r.id);
  const schoolSteps = `((r.next_step = 'SENDING_SCHOOL' AND r.from_school_id = $1) OR (r.next_step = 'RECEIVING_SCHOOL' AND r.to_school_id = $1))`;
  const authoritySteps = `((r.next_step = 'SENDING_AUTHORITY' AND f.authority_region_code LIKE $1) OR (r.next_step = 'RECEIVING_AUTHORITY' AND t.authority_region_code LIKE $1))`;

  it('a registrar reads the school’s steps 7 at a time: in order, none twice, none missing', async () => {
    const ids = await everyPage(registrar(), {}, 7);
    expect(ids.length).toBeGreaterThan(20);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(await expected(schoolSteps, [schoolId]));
  });

  it('a county and a city reviewer read their authorities’ steps 100 and 500 at a time; pairs submitted to the microsecond, ties by id', async () => {
    const countyIds = await everyPage(county, {}, 100);
    expect(countyIds.length).toBeGreaterThan(300);
    expect(countyIds).toEqual(await expected(authoritySteps, ['220302%']));
    const cityIds = await everyPage(city, {}, 500);
    expect(new Set(cityIds).size).toBe(cityIds.length);
    expect(cityIds).toEqual(await expected(authoritySteps, ['2203%']));
    expect(cityIds.length).toBeGreaterThan(countyIds.length);
  });

  it('filters: kind and imposed, as before', async () => {
    expect(await everyPage(city, { kind: 'TRANSFER' }, 200)).toEqual(
      await expected(`${authoritySteps} AND r.kind = 'TRANSFER'`, ['2203%']),
    );
    const imposed = await everyPage(city, { imposed: true }, 200);
    expect(imposed.length).toBeGreaterThan(0);
    expect(imposed).toEqual(await expected(`${authoritySteps} AND r.imposed`, ['2203%']));
    expect(await everyPage(registrar(), { kind: 'WITHDRAWAL', imposed: false }, 5)).toEqual(
      await expected(`${schoolSteps} AND r.kind = 'WITHDRAWAL' AND NOT r.imposed`, [schoolId]),
    );
  });

  it('scope: another province’s reviewer sees its own steps, none of 22’s; a registrar none of the reviewers’', async () => {
    const other = await everyPage(otherProvince, {}, 500);
    expect(other.length).toBeGreaterThan(0);
    expect(other).toEqual(await expected(authoritySteps, ['11%']));
    const county22 = new Set(await everyPage(county, {}, 500));
    expect(other.filter((id) => county22.has(id))).toEqual([]);
    const mine = await everyPage(registrar(), {}, 500);
    expect(mine.filter((id) => county22.has(id))).toEqual([]);
  });

  it('a cursor that is not this read’s is BAD_USER_INPUT naming after; a page size out of range naming first', async () => {
    const bad = await graphql(service.url, QUEUE, { after: 'bm9wZQ', first: 5 }, token(county));
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'after' } });
    const big = await graphql(service.url, QUEUE, { first: 501 }, token(county));
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'first' } });
  });

  it('a school whose authority changes, or whose directory entry comes late, takes its pending requests along', async () => {
    // School 7 (city 2208, county 220801, k % 3 = 1: the city's authority) moves under county 220302's authority.
    const [{ id: moved }] = (await school(7)) as [{ id: string }];
    const before = await expected(authoritySteps, ['220302%']);
    await sql(`UPDATE school_directory SET authority_region_code = '220302' WHERE school_id = $1`, [moved]);
    const after = await everyPage(county, {}, 500);
    expect(after).toEqual(await expected(authoritySteps, ['220302%']));
    expect(after.length).toBeGreaterThan(before.length);
    // A request of a school the directory does not know yet waits in no reviewer's queue, then joins it.
    const unknown = '00000000-0000-4000-8000-000000000777';
    const [{ id }] = (await sql<{ id: string }>(
      `INSERT INTO change_request (student_id, kind, state, steps, next_step, from_school_id, effective_date, details,
                                   submitted_by, submitted_role)
       VALUES (gen_random_uuid(), 'SUSPENSION', 'PENDING', ARRAY['SENDING_SCHOOL', 'SENDING_AUTHORITY'], 'SENDING_AUTHORITY',
               $1, date '2026-03-01', '{}', 'late', 'SCHOOL_REGISTRAR') RETURNING id`,
      [unknown],
    )) as [{ id: string }];
    expect(await everyPage(county, {}, 500)).not.toContain(id);
    await sql(
      `INSERT INTO school_directory (school_id, name, region_code, authority_region_code) VALUES ($1, '迟到学校', '220302', '220302')`,
      [unknown],
    );
    expect(await everyPage(county, {}, 500)).toContain(id);
  });
});

/**
 * Beijing's numbered diploma blanks (GR-3, GR-4 city-wide) and the authority's verification stamp (GR-3),
 * through graduation's own GraphQL on real PostgreSQL and Kafka: the city authority hands a school a range
 * of blanks drawn from the city-wide sequence (ranges never overlap, even when drawn at once); approving a
 * list numbers its diplomas from the school's blanks in order, a voided blank never used; too few blanks
 * refuse the approval and nothing is written; the printed diplomas are stamped and the list is VERIFIED.
 */
import { randomUUID } from 'node:crypto';
import { selectRows } from '@xueji/db';
import { createEvent } from '@xueji/events';
import { graphql } from '@xueji/testkit';
import {
  APPROVE_LIST,
  assessed,
  enrolled,
  newSchool,
  registrarOf,
  reviewerOf,
  schoolEvent,
  startGraduation,
  SUBMIT_LIST,
  type Running,
} from './support';

const A = newSchool('110105', '1101051001', '110105');
const B = newSchool('110108', '1101082002', '110108');
const city = reviewerOf('110000'); // the city authority covers every district's schools
const district = reviewerOf('110108'); // B's district: not A's

let g: Running;

beforeAll(async () => {
  g = await startGraduation('blanks', 'beijing', '2029-06-20');
  await g.publish('enrolment', [schoolEvent(A), schoolEvent(B)]);
});
afterAll(async () => {
  await g?.stop();
});

type Range = {
  id: string;
  first: string;
  last: string;
  count: number;
  used: number;
  voided: number;
  remaining: number;
};
const RANGE = 'id first last count used voided remaining';
const ALLOCATE = `mutation ($input: DiplomaBlanksInput!) { allocateDiplomaBlanks(input: $input) { ${RANGE} } }`;
const VOID = `mutation ($school: ID!, $number: String!, $reason: String!) {
  voidDiplomaBlank(schoolId: $school, number: $number, reason: $reason) { ${RANGE} } }`;
const BLANKS = `query ($school: ID!, $year: Int!, $after: String) {
  diplomaBlanks(schoolId: $school, year: $year, first: 2, after: $after) {
    edges { node { ${RANGE} } } pageInfo { hasNextPage endCursor } } }`;
const VERIFY = `mutation ($id: ID!, $on: Date) {
  recordDiplomaVerification(listId: $id, verifiedOn: $on) { id state verifiedOn verifiedAt } }`;

const allocate = (schoolId: string, count: number, token = city, year = 2029) =>
  graphql<{ allocateDiplomaBlanks: Range }>(g.url, ALLOCATE, { input: { schoolId, year, count } }, token);
const voidBlank = (school: typeof A, number: string, token = registrarOf(school)) =>
  graphql<{ voidDiplomaBlank: Range }>(g.url, VOID, { school: school.schoolId, number, reason: '印制时污损' }, token);

async function blanksOf(school: typeof A): Promise<Range[]> {
  const ranges: Range[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Awaited<
      ReturnType<
        typeof graphql<{
          diplomaBlanks: { edges: { node: Range }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
        }>
      >
    > = await graphql(g.url, BLANKS, { school: school.schoolId, year: 2029, after }, registrarOf(school));
    expect(page.errors).toBeUndefined();
    ranges.push(...page.data!.diplomaBlanks.edges.map((e) => e.node));
    if (!page.data!.diplomaBlanks.pageInfo.hasNextPage) return ranges;
    after = page.data!.diplomaBlanks.pageInfo.endCursor;
  }
}

/** Students who passed everything beijing asks (conduct with the appraisal at graduation, AS-2). */
async function graduates(n: number, school = A): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await g.publish(
    'enrolment',
    ids.flatMap((id) => enrolled(school, id)),
  );
  await g.publish(
    'assessment',
    ids.flatMap((id) => [
      ...assessed(school, id),
      createEvent('xueji.assessment.conduct.recorded.v1', id, {
        studentId: id,
        schoolId: school.schoolId,
        period: 'GRADUATION',
        term: '2028-2029-2',
        grade: 'GOOD',
        recordedAt: '2029-05-30T08:00:00.000Z',
      }),
    ]),
  );
  return ids;
}

async function submitted(school: typeof A, ids: string[]): Promise<string> {
  const r = await graphql<{ submitGraduateList: { id: string } }>(
    g.url,
    SUBMIT_LIST,
    { input: { schoolId: school.schoolId, term: '2029-spring', studentIds: ids } },
    registrarOf(school),
  );
  expect(r.errors).toBeUndefined();
  return r.data!.submitGraduateList.id;
}

type Approved = { approveGraduateList: { state: string; entries: { studentId: string; diplomaNumber: string }[] } };
const approve = (id: string) => graphql<Approved>(g.url, APPROVE_LIST, { id, sheet: `验印单-${id.slice(0, 4)}` }, city);

describe('GR-3 (beijing): the city hands numbered blanks to schools', () => {
  it('the city authority allocates contiguous ranges from the city-wide sequence; others are refused', async () => {
    const first = await allocate(A.schoolId, 3);
    expect(first.errors).toBeUndefined();
    expect(first.data!.allocateDiplomaBlanks).toMatchObject({
      first: '202900000001',
      last: '202900000003',
      count: 3,
      used: 0,
      remaining: 3,
    });
    // The city-wide sequence runs on: B's blanks follow A's, A's next range follows B's.
    expect((await allocate(B.schoolId, 2)).data!.allocateDiplomaBlanks).toMatchObject({ first: '202900000004' });
    expect((await allocate(A.schoolId, 2)).data!.allocateDiplomaBlanks).toMatchObject({
      first: '202900000006',
      last: '202900000007',
    });
    expect((await allocate(A.schoolId, 1, district)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await allocate(A.schoolId, 1, registrarOf(A))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await allocate(A.schoolId, 0)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'input.count' },
    });
    expect((await allocate(A.schoolId, 1, city, 2027)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await blanksOf(A)).map((r) => [r.first, r.last])).toEqual([
      ['202900000001', '202900000003'],
      ['202900000006', '202900000007'],
    ]);
  });

  it('allocations at once never overlap (the sequence row is locked; the EXCLUDE constraint behind it)', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => allocate(B.schoolId, 5)));
    for (const r of results) expect(r.errors).toBeUndefined();
    const rows = await selectRows<{ first: string; last: string }>(
      g.service.dataSource,
      `SELECT first_number::text AS first, last_number::text AS last FROM diploma_blank_range ORDER BY first_number`,
    );
    for (let i = 1; i < rows.length; i++) expect(BigInt(rows[i]!.first)).toBe(BigInt(rows[i - 1]!.last) + 1n);
    // The database itself refuses a range overlapping another.
    await expect(
      g.service.dataSource.query(
        `INSERT INTO diploma_blank_range (id, school_id, year, first_number, last_number, next_number, allocated_at, allocated_by)
         VALUES ($1, $2, 2029, 202900000003, 202900000004, 202900000003, now(), 'test')`,
        [randomUUID(), B.schoolId],
      ),
    ).rejects.toMatchObject({ code: '23P01' });
  });

  it('approval numbers the diplomas from the school’s blanks in order; a voided blank is never used', async () => {
    const spoiled = await voidBlank(A, '202900000002');
    expect(spoiled.errors).toBeUndefined();
    expect(spoiled.data!.voidDiplomaBlank).toMatchObject({ voided: 1, remaining: 2 });

    const ids = await graduates(3);
    const approved = await approve(await submitted(A, ids));
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveGraduateList.entries.map((e) => e.diplomaNumber).sort()).toEqual([
      '202900000001',
      '202900000003',
      '202900000006',
    ]);
    expect(await blanksOf(A)).toEqual([
      expect.objectContaining({ used: 2, voided: 1, remaining: 0 }),
      expect.objectContaining({ used: 1, voided: 0, remaining: 1 }),
    ]);
    // A used blank, one voided twice, an unknown one, another school's registrar.
    expect((await voidBlank(A, '202900000003')).errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      details: { rule: 'GR-3' },
    });
    expect((await voidBlank(A, '202900000002')).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await voidBlank(A, '202900000004')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND'); // B's
    expect((await voidBlank(A, '202900000007', registrarOf(B))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await voidBlank(A, '2029-7')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('too few blanks left refuses the approval (POLICY_VIOLATION GR-3) and nothing is written', async () => {
    const ids = await graduates(2);
    const list = await submitted(A, ids);
    const refused = await approve(list);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'GR-3' });
    expect(refused.errors?.[0]?.extensions?.messageEn).toMatch(/2 needed, 1 left/);
    const certificates = await selectRows(
      g.service.dataSource,
      `SELECT 1 FROM certificate WHERE student_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(certificates).toEqual([]);
    const [state] = await selectRows<{ state: string }>(
      g.service.dataSource,
      `SELECT state FROM graduate_list WHERE id = $1`,
      [list],
    );
    expect(state!.state).toBe('SUBMITTED');
    expect((await blanksOf(A))[1]).toMatchObject({ used: 1, remaining: 1 });

    // More blanks from the city: the same list is approved.
    expect((await allocate(A.schoolId, 1)).errors).toBeUndefined();
    const approved = await approve(list);
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveGraduateList.entries.map((e) => e.diplomaNumber)).toHaveLength(2);
  });

  it('concurrent approvals of one school never share a blank', async () => {
    expect((await allocate(A.schoolId, 6)).errors).toBeUndefined();
    const lists: string[] = [];
    for (let i = 0; i < 3; i++) lists.push(await submitted(A, await graduates(2)));
    const results = await Promise.all(lists.map(approve));
    for (const r of results) expect(r.errors).toBeUndefined();
    const numbers = results.flatMap((r) => r.data!.approveGraduateList.entries.map((e) => e.diplomaNumber));
    expect(new Set(numbers).size).toBe(6);
    const ranges = await blanksOf(A);
    expect(ranges[ranges.length - 1]).toMatchObject({ used: 6, remaining: 0 });
  });
});

describe('GR-3: the authority’s verification stamp (验印)', () => {
  const LISTS = `query ($state: GraduateListState) { graduateLists(state: $state, first: 200) { edges { node { id state } } } }`;
  const idsIn = async (state: string) =>
    (
      await graphql<{ graduateLists: { edges: { node: { id: string } }[] } }>(g.url, LISTS, { state }, city)
    ).data!.graduateLists.edges.map((e) => e.node.id);

  it('an approved list is in the reviewers’ queue until its printed diplomas are stamped; then VERIFIED', async () => {
    expect((await allocate(A.schoolId, 1)).errors).toBeUndefined();
    const list = await submitted(A, await graduates(1));
    // Not approved yet: nothing printed to stamp.
    const early = await graphql(g.url, VERIFY, { id: list }, city);
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'GR-3' });
    expect((await approve(list)).errors).toBeUndefined();
    expect(await idsIn('APPROVED')).toContain(list);

    expect((await graphql(g.url, VERIFY, { id: list }, district)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const before = await graphql(g.url, VERIFY, { id: list, on: '2029-06-19' }, city);
    expect(before.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'verifiedOn' },
    });

    const verified = await graphql<{
      recordDiplomaVerification: { state: string; verifiedOn: string; verifiedAt: string };
    }>(g.url, VERIFY, { id: list }, city);
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.recordDiplomaVerification).toMatchObject({ state: 'VERIFIED', verifiedOn: '2029-06-20' });
    expect(verified.data!.recordDiplomaVerification.verifiedAt).toMatch(/^2029-06-(19|20)T/);
    expect(await idsIn('APPROVED')).not.toContain(list);
    expect(await idsIn('VERIFIED')).toContain(list);
    // The queue reads the index `graduate_list_state` in order: no sort of the lists.
    const plan = await g.service.dataSource.transaction(async (m) => {
      await m.query('SET LOCAL enable_seqscan = off');
      return JSON.stringify(
        await m.query(
          `EXPLAIN (FORMAT JSON) SELECT l.id FROM graduate_list l JOIN graduation_school sc ON sc.school_id = l.school_id
            WHERE sc.authority_region_code LIKE '11%' AND l.state = 'APPROVED' ORDER BY l.submitted_at, l.id LIMIT 51`,
        ),
      );
    });
    expect(plan).toContain('graduate_list_state');
    expect(plan).not.toContain('"Node Type":"Sort"');
    const again = await graphql(g.url, VERIFY, { id: list }, city);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'GR-3' });
  });
});

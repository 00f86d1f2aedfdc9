/**
 * For the people using graduation (issue 12), through the service on real PostgreSQL and Kafka, under
 * the national profile: the certificates a school issued (keyset pages, scope), the registrars' .xlsx
 * exports read back (headers, rows, never an ID number, one audit row each) and the reviewers' figures
 * per term for two terms and two schools (GR-3 batches for listed diplomas, issue dates for the rest,
 * GR-6 exchanges), a reviewer of another region getting nothing.
 */
import { randomUUID } from 'node:crypto';
import { createEvent } from '@xueji/events';
import { readSheet } from '@xueji/spreadsheet';
import { approvedRegistration, auditRows, graphql, tokenFor } from '@xueji/testkit';
import { CERTIFICATE_KINDS } from '@xueji/vocabulary';
import { CERTIFICATES_HEADERS, CLASS_AUDIT_HEADERS, GRADUATE_LIST_HEADERS } from '../src/application/exports';
import { CERTIFICATE_TITLES } from '../src/domain/credential';
import { certificatesStatement } from '../src/reads/certificates';
import { FIGURES_STATEMENT } from '../src/reads/figures';
import {
  APPROVE_LIST,
  assessed,
  enrolled,
  madeUp,
  newSchool,
  registrarOf,
  reviewerOf,
  schoolEvent,
  startGraduation,
  SUBMIT_LIST,
  type Running,
  type School,
} from './support';

const A = newSchool('220102', 'R-0102', '220100');
const B = newSchool('220103', 'R-0103', '220100');
const C = newSchool('220202', 'R-0202', '220200');
const reviewer = reviewerOf('220100');
const province = reviewerOf('220000');
const foreignReviewer = reviewerOf('220200');
/** ENR-11 (national): a student number is G + the ID-card number. */
const ID_NUMBER = '220102200901011234';
const BARE_ID_NUMBER = /^\d{17}[\dX]$/;

let g: Running;
const a = { graduates: [] as string[], short: '', leaver: '', listId: '' };
const b = { graduates: [] as string[], listId: '' };

type Counts = { byKind: { kind: string; count: number }[]; exchanges: number };
type Figures = {
  term: string;
  regionCode: string;
  issuedFrom: string;
  issuedTo: string;
  schools: { schoolId: string; schoolCode: string; counts: Counts }[];
  total: Counts;
};
type File = { fileName: string; contentType: string; contentBase64: string; rows: number };

const FIGURES = `query ($term: String!, $region: String) {
  graduationFigures(term: $term, regionCode: $region) {
    term regionCode issuedFrom issuedTo
    schools { schoolId schoolCode counts { byKind { kind count } exchanges } }
    total { byKind { kind count } exchanges }
  }
}`;
const CERTIFICATES = `query ($filter: IssuedCertificatesFilter!, $first: Int!, $after: String) {
  certificates(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id studentId number kind state name studentNumber issuedOn entryDate majorCode studyForm } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
const FILE_FIELDS = `{ fileName contentType contentBase64 rows }`;

async function ok<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const r = await graphql<T>(g.url, query, variables, token);
  expect(r.errors).toBeUndefined();
  return r.data!;
}
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;
const sheetOf = async (file: File) => readSheet(Buffer.from(file.contentBase64, 'base64'));
const byKind = (counts: Counts) => Object.fromEntries(counts.byKind.map((k) => [k.kind, k.count]));

async function graduates(school: School, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await g.publish(
    'enrolment',
    ids.flatMap((id) => enrolled(school, id)),
  );
  await g.publish(
    'assessment',
    ids.flatMap((id) => assessed(school, id)),
  );
  return ids;
}

async function submitAndApprove(school: School, ids: string[], term: string): Promise<string> {
  const s = await ok<{ submitGraduateList: { id: string } }>(
    SUBMIT_LIST,
    { input: { schoolId: school.schoolId, term, studentIds: ids } },
    registrarOf(school),
  );
  return s.submitGraduateList.id;
}

beforeAll(async () => {
  g = await startGraduation('reports', 'national', '2029-06-20');
  await g.publish('enrolment', [schoolEvent(A), schoolEvent(B), schoolEvent(C)]);
  a.graduates = await graduates(A, 3);
  // One of them with a national student number: G + the ID-card number (ENR-11).
  await g.publish('enrolment', [
    approvedRegistration({
      studentId: a.graduates[0]!,
      schoolId: A.schoolId,
      regionCode: A.regionCode,
      authorityRegionCode: A.authorityRegionCode,
      entryDate: '2026-09-01',
      approvedAt: '2026-08-28T09:00:00.000Z',
      studentNumber: `G${ID_NUMBER}`,
    }),
  ]);
  a.short = randomUUID();
  await g.publish('enrolment', enrolled(A, a.short));
  await g.publish('assessment', assessed(A, a.short, { creditsShort: true }));
  a.leaver = randomUUID();
  await g.publish('enrolment', enrolled(A, a.leaver));
  b.graduates = await graduates(B, 2);
  await graduates(C, 1);
}, 120_000);
afterAll(async () => {
  await g?.stop();
});

describe('the class audit as .xlsx (GR-1)', () => {
  it('each student, the outcome, what they lack in Chinese and the rules; never an ID number; one audit row', async () => {
    const before = await auditRows(g.service.dataSource);
    const data = await ok<{ classGraduationAuditFile: File }>(
      `query ($school: ID!) { classGraduationAuditFile(schoolId: $school, entryYear: 2026) ${FILE_FIELDS} }`,
      { school: A.schoolId },
      registrarOf(A),
    );
    const file = data.classGraduationAuditFile;
    expect(file).toMatchObject({
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      rows: 5,
    });
    expect(file.fileName).toBe('毕业审核-R-0102-2026.xlsx');
    const sheet = await sheetOf(file);
    expect(sheet[0]![0]).toContain('2026级 毕业审核');
    expect(sheet[1]).toEqual(CLASS_AUDIT_HEADERS);
    const rows = sheet.slice(2);
    expect(rows).toHaveLength(5);
    const rowOf = (id: string) => rows.find((r) => r[2] === `学生${id.slice(0, 4)}`)!;
    const graduate = rowOf(a.graduates[1]!);
    // readSheet leaves out the empty cells at a row's end: nothing lacking, no rule.
    expect([graduate[5], graduate[6], graduate[7] ?? '', graduate[8] ?? '']).toEqual(['全日制', '毕业', '', '']);
    const short = rowOf(a.short);
    expect(short[6]).toBe('结业');
    expect(short[7]).toMatch(/[\u4e00-\u9fff]/);
    expect(short[8]).toBe('GR-1');
    const leaver = rowOf(a.leaver);
    expect(leaver[6]).toBe('暂不符合');
    expect(leaver[7]!.split('；').length).toBeGreaterThanOrEqual(3);
    // The registrar may read the student number whole (ADM-5); there is no ID-number column or cell.
    expect(rowOf(a.graduates[0]!)[1]).toBe(`G${ID_NUMBER}`);
    expect(sheet.flat().filter((cell) => BARE_ID_NUMBER.test(cell))).toEqual([]);
    expect(sheet[1]!.some((h) => h.includes('身份证'))).toBe(false);
    const after = await auditRows(g.service.dataSource);
    expect(after.slice(before.length)).toEqual([
      expect.objectContaining({ action: 'EXPORT_CLASS_GRADUATION_AUDIT', entity: 'school', entityId: A.schoolId }),
    ]);
  });

  it('another school’s registrar and a reviewer of another region are refused; a subsidy officer too', async () => {
    const query = `query ($school: ID!) { classGraduationAuditFile(schoolId: $school, entryYear: 2026) { rows } }`;
    expect(codeOf(await graphql(g.url, query, { school: A.schoolId }, registrarOf(B)))).toBe('FORBIDDEN');
    expect(codeOf(await graphql(g.url, query, { school: A.schoolId }, foreignReviewer))).toBe('FORBIDDEN');
    const officer = tokenFor({ subject: 'officer', role: 'SUBSIDY_OFFICER', regionCode: '220100' });
    expect(codeOf(await graphql(g.url, query, { school: A.schoolId }, officer))).toBe('FORBIDDEN');
    expect(codeOf(await graphql(g.url, query, { school: 'nope' }, registrarOf(A)))).toBe('BAD_USER_INPUT');
  });
});

describe('issuing, then the lists and the figures', () => {
  beforeAll(async () => {
    // School A: a spring list, a completion certificate, a leaver's study record (GR-7).
    a.listId = await submitAndApprove(A, a.graduates, '2029-spring');
    await ok(
      `mutation ($id: ID!) { issueCompletionCertificate(studentId: $id) { number } }`,
      { id: a.short },
      registrarOf(A),
    );
    await g.publish('status-change', [
      createEvent('xueji.status-change.status.changed.v1', a.short, {
        studentId: a.short,
        kind: 'COMPLETION',
        effectiveDate: '2029-06-20',
        previousStatus: 'ACTIVE',
        newStatus: 'COMPLETED',
        schoolId: A.schoolId,
        regionCode: A.regionCode,
      }),
      createEvent('xueji.status-change.status.changed.v1', a.leaver, {
        studentId: a.leaver,
        kind: 'WITHDRAWAL',
        effectiveDate: '2029-05-02',
        previousStatus: 'ACTIVE',
        newStatus: 'WITHDRAWN',
        schoolId: A.schoolId,
        regionCode: A.regionCode,
      }),
    ]);
    // School B: an autumn list, approved in June (the national profile sets no window): it counts in autumn.
    b.listId = await submitAndApprove(B, b.graduates, '2029-autumn');
  }, 60_000);

  it('a graduate list as .xlsx before and after approval: the diploma numbers once approved; unseen lists are not found', async () => {
    const query = `query ($id: ID!) { graduateListFile(id: $id) ${FILE_FIELDS} }`;
    const before = await ok<{ graduateListFile: File }>(query, { id: a.listId }, registrarOf(A));
    let sheet = await sheetOf(before.graduateListFile);
    expect(sheet[0]![0]).toContain('2029-spring 毕业生名册（待审核）');
    expect(sheet[1]).toEqual(GRADUATE_LIST_HEADERS);
    expect(sheet.slice(2, 5).map((r) => r[6])).toEqual(['', '', '']);

    await ok(APPROVE_LIST, { id: a.listId, sheet: '验印单-2029-01' }, reviewer);
    await ok(APPROVE_LIST, { id: b.listId, sheet: '验印单-2029-02' }, reviewer);
    const after = await ok<{ graduateListFile: File }>(query, { id: a.listId }, reviewer);
    expect(after.graduateListFile.rows).toBe(3);
    sheet = await sheetOf(after.graduateListFile);
    const rows = sheet.slice(2, 5);
    for (const row of rows) expect(row[6]).toMatch(/^2029220100\d{6}$/);
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set(a.graduates.map((id) => `学生${id.slice(0, 4)}`)));
    expect(sheet.flat()).toContain('验印单-2029-01');
    expect(sheet.flat().filter((cell) => BARE_ID_NUMBER.test(cell))).toEqual([]);

    expect(codeOf(await graphql(g.url, query, { id: a.listId }, registrarOf(B)))).toBe('NOT_FOUND');
    expect(codeOf(await graphql(g.url, query, { id: a.listId }, foreignReviewer))).toBe('NOT_FOUND');
    expect(codeOf(await graphql(g.url, query, { id: randomUUID() }, reviewer))).toBe('NOT_FOUND');
  });

  it('the certificates a school issued: keyset pages by issue date, filtered by kind and dates; scope', async () => {
    type Page = {
      certificates: {
        edges: {
          cursor: string;
          node: { kind: string; issuedOn: string; number: string; studentNumber: string | null; name: string };
        }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
      };
    };
    const seen: Page['certificates']['edges'][number]['node'][] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Page = await ok<Page>(
        CERTIFICATES,
        { filter: { schoolId: A.schoolId }, first: 2, after },
        registrarOf(A),
      );
      seen.push(...page.certificates.edges.map((e) => e.node));
      expect(page.certificates.pageInfo.hasPreviousPage).toBe(after !== null);
      after = page.certificates.pageInfo.hasNextPage ? page.certificates.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    // The leaver's study record (2029-05-02) first, then the four of 2029-06-20.
    expect(seen.map((c) => c.kind).sort()).toEqual(['COMPLETION', 'DIPLOMA', 'DIPLOMA', 'DIPLOMA', 'STUDY_RECORD']);
    expect(seen[0]).toMatchObject({ kind: 'STUDY_RECORD', issuedOn: '2029-05-02' });
    expect(seen.map((c) => c.issuedOn)).toEqual([...seen.map((c) => c.issuedOn)].sort());
    expect(seen.map((c) => c.studentNumber)).toContain(`G${ID_NUMBER}`);

    const diplomas = await ok<Page>(
      CERTIFICATES,
      { filter: { schoolId: A.schoolId, kind: 'DIPLOMA' }, first: 10 },
      reviewer,
    );
    expect(diplomas.certificates.edges.map((e) => e.node.kind)).toEqual(['DIPLOMA', 'DIPLOMA', 'DIPLOMA']);
    const may = await ok<Page>(
      CERTIFICATES,
      { filter: { schoolId: A.schoolId, issuedFrom: '2029-05-01', issuedTo: '2029-05-31' }, first: 10 },
      province,
    );
    expect(may.certificates.edges.map((e) => e.node.kind)).toEqual(['STUDY_RECORD']);

    const refused = (filter: Record<string, unknown>, token: string) =>
      graphql(g.url, CERTIFICATES, { filter, first: 10 }, token).then(codeOf);
    expect(await refused({ schoolId: A.schoolId }, registrarOf(B))).toBe('FORBIDDEN');
    expect(await refused({ schoolId: A.schoolId }, foreignReviewer)).toBe('FORBIDDEN');
    expect(await refused({ schoolId: A.schoolId, issuedFrom: '2029-06-01', issuedTo: '2029-05-01' }, reviewer)).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      codeOf(
        await graphql(g.url, CERTIFICATES, { filter: { schoolId: A.schoolId }, first: 2, after: 'junk' }, reviewer),
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('the certificates issued as .xlsx: Chinese headers, every certificate, no ID number, one audit row', async () => {
    const before = await auditRows(g.service.dataSource);
    const data = await ok<{ certificatesFile: File }>(
      `query ($filter: IssuedCertificatesFilter!) { certificatesFile(filter: $filter) ${FILE_FIELDS} }`,
      { filter: { schoolId: A.schoolId } },
      registrarOf(A),
    );
    expect(data.certificatesFile.rows).toBe(5);
    const sheet = await sheetOf(data.certificatesFile);
    expect(sheet[1]).toEqual(CERTIFICATES_HEADERS);
    const rows = sheet.slice(2, 7);
    expect(rows.map((r) => r[2]).sort()).toEqual(
      [
        CERTIFICATE_TITLES.COMPLETION.zh,
        CERTIFICATE_TITLES.DIPLOMA.zh,
        CERTIFICATE_TITLES.DIPLOMA.zh,
        CERTIFICATE_TITLES.DIPLOMA.zh,
        CERTIFICATE_TITLES.STUDY_RECORD.zh,
      ].sort(),
    );
    expect(rows.map((r) => r[3])).toEqual(['有效', '有效', '有效', '有效', '有效']);
    expect(rows.map((r) => r[5])).toContain(`G${ID_NUMBER}`);
    expect(sheet.flat().filter((cell) => BARE_ID_NUMBER.test(cell))).toEqual([]);
    const after = await auditRows(g.service.dataSource);
    expect(after.slice(before.length)).toEqual([
      expect.objectContaining({ action: 'EXPORT_CERTIFICATES', entity: 'school', entityId: A.schoolId }),
    ]);
    const refused = await graphql(
      g.url,
      `
        query ($filter: IssuedCertificatesFilter!) {
          certificatesFile(filter: $filter) {
            rows
          }
        }
      `,
      { filter: { schoolId: A.schoolId } },
      registrarOf(B),
    );
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect((await auditRows(g.service.dataSource)).length).toBe(after.length);
  });

  it('the figures per term: listed diplomas by their batch, the rest by issue date, exchanges; two terms, two schools', async () => {
    // After the make-ups the completion is exchanged in the autumn (GR-6).
    g.setToday('2029-09-10');
    try {
      await g.publish('assessment', [madeUp(A, a.short, '2029-09-05T08:00:00.000Z')]);
      await ok(
        `mutation ($id: ID!) { exchangeCompletionCertificate(studentId: $id, verificationSheetRef: "验印单-换发") { kind } }`,
        { id: a.short },
        reviewer,
      );
    } finally {
      g.setToday('2029-06-20');
    }

    const spring = (await ok<{ graduationFigures: Figures }>(FIGURES, { term: '2029-spring' }, reviewer))
      .graduationFigures;
    expect(spring).toMatchObject({
      term: '2029-spring',
      regionCode: '220100',
      issuedFrom: '2029-01-01',
      issuedTo: '2029-07-31',
    });
    expect(spring.schools.map((s) => s.schoolCode)).toEqual(['R-0102', 'R-0103']);
    expect(spring.total.byKind.map((k) => k.kind)).toEqual([...CERTIFICATE_KINDS]);
    const springA = spring.schools[0]!.counts;
    expect(byKind(springA)).toMatchObject({ DIPLOMA: 3, COMPLETION: 1, STUDY_RECORD: 1, PARTIAL_STUDY: 0 });
    expect(springA.exchanges).toBe(0);
    expect(Object.values(byKind(spring.schools[1]!.counts)).every((n) => n === 0)).toBe(true);
    expect(byKind(spring.total)).toMatchObject({ DIPLOMA: 3, COMPLETION: 1, STUDY_RECORD: 1 });

    const autumn = (await ok<{ graduationFigures: Figures }>(FIGURES, { term: '2029-autumn' }, reviewer))
      .graduationFigures;
    const [autumnA, autumnB] = autumn.schools.map((s) => s.counts);
    // A: the exchange's diploma (issued 2029-09-10); B: its autumn list, approved in June.
    expect(byKind(autumnA!)).toMatchObject({ DIPLOMA: 1, COMPLETION: 0, STUDY_RECORD: 0 });
    expect(autumnA!.exchanges).toBe(1);
    expect(byKind(autumnB!)).toMatchObject({ DIPLOMA: 2, COMPLETION: 0 });
    expect(byKind(autumn.total)).toMatchObject({ DIPLOMA: 3, COMPLETION: 0 });
    expect(autumn.total.exchanges).toBe(1);

    // The province's reviewer may narrow to the city; the same figures.
    const narrowed = (
      await ok<{ graduationFigures: Figures }>(FIGURES, { term: '2029-autumn', region: '220100' }, province)
    ).graduationFigures;
    expect(narrowed.total).toEqual(autumn.total);
    const wholeProvince = (await ok<{ graduationFigures: Figures }>(FIGURES, { term: '2029-autumn' }, province))
      .graduationFigures;
    expect(wholeProvince.schools.map((s) => s.schoolCode)).toEqual(['R-0102', 'R-0103', 'R-0202']);
  });

  it('a reviewer of another region gets nothing of it; outside the scope, a registrar, a bad term: refused', async () => {
    const other = (await ok<{ graduationFigures: Figures }>(FIGURES, { term: '2029-spring' }, foreignReviewer))
      .graduationFigures;
    expect(other.schools.map((s) => s.schoolCode)).toEqual(['R-0202']);
    expect(Object.values(byKind(other.total)).every((n) => n === 0)).toBe(true);
    expect(codeOf(await graphql(g.url, FIGURES, { term: '2029-spring', region: '220100' }, foreignReviewer))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await graphql(g.url, FIGURES, { term: '2029-spring' }, registrarOf(A)))).toBe('FORBIDDEN');
    expect(codeOf(await graphql(g.url, FIGURES, { term: '2029-summer' }, reviewer))).toBe('BAD_USER_INPUT');
    expect(codeOf(await graphql(g.url, FIGURES, { term: '2029-spring', region: '2201' }, reviewer))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('a credential certificate for a lost diploma (GR-8) counts by its issue date; the replaced diploma still counts', async () => {
    const diploma = await ok<{
      certificates: { edges: { node: { id: string; studentId: string } }[] };
    }>(CERTIFICATES, { filter: { schoolId: A.schoolId, kind: 'DIPLOMA', issuedTo: '2029-07-31' }, first: 1 }, reviewer);
    const lost = diploma.certificates.edges[0]!.node;
    g.setToday('2029-10-08');
    try {
      await ok(
        `mutation ($input: CredentialCertificateInput!) { issueCredentialCertificate(input: $input) { kind } }`,
        { input: { certificateId: lost.id, identityDocumentChecked: true, reason: '遗失' } },
        registrarOf(A),
      );
    } finally {
      g.setToday('2029-06-20');
    }
    const autumn = (await ok<{ graduationFigures: Figures }>(FIGURES, { term: '2029-autumn' }, reviewer))
      .graduationFigures;
    expect(byKind(autumn.schools[0]!.counts)).toMatchObject({ DIPLOMA: 1, CREDENTIAL_CERTIFICATE: 1 });
    const spring = (await ok<{ graduationFigures: Figures }>(FIGURES, { term: '2029-spring' }, reviewer))
      .graduationFigures;
    expect(byKind(spring.total)).toMatchObject({ DIPLOMA: 3, CREDENTIAL_CERTIFICATE: 0 });
  });

  it('the figures as .xlsx: a row a school and the total, a column a kind in Chinese', async () => {
    const data = await ok<{ graduationFiguresFile: File }>(
      `query ($term: String!) { graduationFiguresFile(term: $term) ${FILE_FIELDS} }`,
      { term: '2029-autumn' },
      reviewer,
    );
    expect(data.graduationFiguresFile).toMatchObject({
      fileName: 'graduation-figures-220100-2029-autumn.xlsx',
      rows: 2,
    });
    const sheet = await sheetOf(data.graduationFiguresFile);
    expect(sheet[1]).toEqual([
      '学校代码',
      '学校名称',
      ...CERTIFICATE_KINDS.map((k) => CERTIFICATE_TITLES[k].zh),
      '结业换发毕业证书',
    ]);
    const diplomaColumn = 2 + CERTIFICATE_KINDS.indexOf('DIPLOMA');
    expect(sheet.slice(2, 5).map((r) => [r[0], r[diplomaColumn], r[r.length - 1]])).toEqual([
      ['R-0102', '1', '1'],
      ['R-0103', '2', '0'],
      ['合计', '3', '1'],
    ]);
  });
});

describe('served by an index', () => {
  interface PlanNode {
    'Node Type': string;
    'Relation Name'?: string;
    'Index Name'?: string;
    Plans?: PlanNode[];
  }
  const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];
  /** The plan with sequential scans discouraged (the tables are small here): what it can read on an index. */
  async function plan(text: string, values: unknown[]): Promise<PlanNode[]> {
    const [row] = await g.service.dataSource.transaction(async (m) => {
      await m.query('SET LOCAL enable_seqscan = off');
      return (await m.query(`EXPLAIN (FORMAT JSON) ${text}`, values)) as { 'QUERY PLAN': [{ Plan: PlanNode }] }[];
    });
    return nodes(row!['QUERY PLAN'][0].Plan);
  }
  const indexes = (p: PlanNode[]) => p.flatMap((n) => (n['Index Name'] ? [n['Index Name']] : []));
  const seqScans = (p: PlanNode[]) => p.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);

  it('a page of certificates reads the school’s certificates in index order, with or without a kind: no sort', async () => {
    for (const [filter, index] of [
      [{ schoolId: A.schoolId, issuedFrom: '2029-01-01' }, 'certificate_school_issued'],
      [{ schoolId: A.schoolId, kind: 'DIPLOMA' as const }, 'certificate_school_kind_issued'],
    ] as const) {
      const statement = certificatesStatement(filter, 50);
      const p = await plan(statement.text, statement.values);
      expect(indexes(p)).toContain(index);
      expect(p.map((n) => n['Node Type'])).not.toContain('Sort');
      expect(seqScans(p)).toEqual([]);
    }
  });

  it('the figures: one statement reading lists by school and batch, their diplomas, and certificates by issue date', async () => {
    const p = await plan(FIGURES_STATEMENT, ['2201%', '2029-spring', '2029-01-01', '2029-07-31']);
    expect(indexes(p)).toEqual(expect.arrayContaining(['graduate_list_school_term', 'certificate_list']));
    // The certificates on no list, by school and issue date (with or without the kind in between).
    expect(indexes(p).some((i) => ['certificate_school_issued', 'certificate_school_kind_issued'].includes(i))).toBe(
      true,
    );
    expect(seqScans(p).filter((r) => r !== 'graduation_school')).toEqual([]);
  });
});

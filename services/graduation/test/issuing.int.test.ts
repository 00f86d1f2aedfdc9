/**
 * Graduation through its own GraphQL, on real PostgreSQL and Kafka, under fujian: the read model from
 * events only, the audit of one student and of a class (GR-1, GR-2), the graduate list approved with the
 * verification sheet and diplomas numbered in fujian's 12 digits (GR-3, GR-4), concurrent approvals
 * never sharing a number, and a certificate of completion exchanged after make-ups (GR-6).
 */
import { randomUUID } from 'node:crypto';
import { selectRows } from '@xueji/db';
import { createEvent } from '@xueji/events';
import { graphql, resolveStudents } from '@xueji/testkit';
import {
  APPROVE_LIST,
  AUDIT_SELECTION,
  assessed,
  enrolled,
  holdsSkillCertificate,
  madeUp,
  newSchool,
  registrarOf,
  reviewerOf,
  schoolEvent,
  startGraduation,
  SUBMIT_LIST,
  type Audit,
  type Running,
} from './support';

type Cert = { kind: string; state: string; number: string; issuedOn: string; replacesId: string | null };
type Record_ = { stage: string; diplomaNumber: string | null; audit: Audit | null; certificates: Cert[] };

const A = newSchool('350102', '3501021234', '350100');
const B = newSchool('350103', '3501035678', '350100');
const reviewer = reviewerOf('350100');

let g: Running;

beforeAll(async () => {
  g = await startGraduation('issuing', 'fujian', '2029-05-10');
  await g.publish('enrolment', [schoolEvent(A), schoolEvent(B)]);
});
afterAll(async () => {
  await g?.stop();
});

async function recordOf(studentId: string, token = registrarOf(A)): Promise<Record_> {
  const r = await resolveStudents<{ graduation: Record_ }>(g.url, token, [studentId], AUDIT_SELECTION);
  expect(r.errors).toBeUndefined();
  return r.data!._entities[0]!.graduation;
}

/** Students of a school who passed everything fujian asks, each holding a skill certificate. */
async function graduates(n: number, school = A): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await g.publish(
    'enrolment',
    ids.flatMap((id) => enrolled(school, id)),
  );
  await g.publish(
    'assessment',
    ids.flatMap((id) => assessed(school, id)),
  );
  for (const id of ids) await holdsSkillCertificate(g, school, id);
  return ids;
}

async function submit(schoolId: string, studentIds: string[], token: string, term = '2029-spring') {
  return graphql<{ submitGraduateList: { id: string; state: string } }>(
    g.url,
    SUBMIT_LIST,
    { input: { schoolId, term, studentIds } },
    token,
  );
}

describe('the read model and the audit (GR-1, GR-2)', () => {
  it('built from events only: each condition with its rule and facts; fujian lacks the certificate until recorded', async () => {
    const id = randomUUID();
    await g.publish('enrolment', enrolled(A, id));
    let record = await recordOf(id);
    expect(record.audit!.outcome).toBe('NOT_YET');
    expect(record.audit!.lacking).toEqual(['CONDUCT', 'RESULTS', 'INTERNSHIP', 'PE', 'CERTIFICATE']);

    await g.publish('assessment', assessed(A, id));
    record = await recordOf(id);
    expect(record.audit!.lacking).toEqual(['CERTIFICATE']);
    const results = record.audit!.conditions.find((c) => c.condition === 'RESULTS')!;
    expect(results).toMatchObject({ rule: 'GR-1', met: true });
    expect(JSON.parse(results.factsJson)).toMatchObject({ creditsEarned: 170, creditsRequired: 170 });

    await holdsSkillCertificate(g, A, id);
    expect((await recordOf(id)).audit).toMatchObject({ outcome: 'GRADUATE', lacking: [] });

    // A withdrawal published by status-change: no longer holds status.
    await g.publish('status-change', [
      createEvent('xueji.status-change.status.changed.v1', id, {
        studentId: id,
        kind: 'WITHDRAWAL',
        effectiveDate: '2029-05-01',
        previousStatus: 'ACTIVE',
        newStatus: 'WITHDRAWN',
        schoolId: A.schoolId,
        regionCode: A.regionCode,
      }),
    ]);
    expect((await recordOf(id)).audit).toMatchObject({ outcome: 'NOT_YET', lacking: ['STATUS'] });
  });

  it('the audit of a class: the school’s cohort, what each still lacks, keyset pages; another school’s registrar is refused', async () => {
    const school = newSchool('350104', '3501049999', '350100');
    await g.publish('enrolment', [schoolEvent(school)]);
    const ids = await graduates(3, school);
    const short = randomUUID();
    await g.publish('enrolment', enrolled(school, short));
    await g.publish('assessment', assessed(school, short, { creditsShort: true }));
    const CLASS = `query ($school: ID!, $after: String) {
      classGraduationAudit(schoolId: $school, entryYear: 2026, first: 3, after: $after) {
        edges { cursor node { studentId audit { outcome lacking } } }
        pageInfo { hasNextPage endCursor }
      } }`;
    type Page = {
      classGraduationAudit: {
        edges: { node: { studentId: string; audit: { outcome: string; lacking: string[] } } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const first = await graphql<Page>(g.url, CLASS, { school: school.schoolId }, registrarOf(school));
    expect(first.errors).toBeUndefined();
    expect(first.data!.classGraduationAudit.pageInfo.hasNextPage).toBe(true);
    const second = await graphql<Page>(
      g.url,
      CLASS,
      { school: school.schoolId, after: first.data!.classGraduationAudit.pageInfo.endCursor },
      reviewer,
    );
    expect(second.errors).toBeUndefined();
    const rows = [...first.data!.classGraduationAudit.edges, ...second.data!.classGraduationAudit.edges].map(
      (e) => e.node,
    );
    expect(rows.map((r) => r.studentId).sort()).toEqual([...ids, short].sort());
    // Short of credits and of fujian's certificate: a certificate is no shortfall completion covers (GR-6).
    expect(rows.find((r) => r.studentId === short)!.audit).toEqual({
      outcome: 'NOT_YET',
      lacking: ['RESULTS', 'CERTIFICATE'],
    });
    expect(rows.filter((r) => r.studentId !== short).map((r) => r.audit.outcome)).toEqual([
      'GRADUATE',
      'GRADUATE',
      'GRADUATE',
    ]);
    const foreign = await graphql(g.url, CLASS, { school: school.schoolId }, registrarOf(A));
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('issuing (GR-3, GR-4)', () => {
  it('list submitted → approved with the verification sheet → fujian 12-digit numbers, events published for status-change', async () => {
    const ids = await graduates(3);
    const submitted = await submit(A.schoolId, ids, registrarOf(A));
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data!.submitGraduateList.state).toBe('SUBMITTED');

    const approved = await graphql<{
      approveGraduateList: { state: string; entries: { studentId: string; diplomaNumber: string }[] };
    }>(g.url, APPROVE_LIST, { id: submitted.data!.submitGraduateList.id, sheet: '验印单 2029-闽-001' }, reviewer);
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveGraduateList.state).toBe('APPROVED');
    const numbers = approved.data!.approveGraduateList.entries.map((e) => e.diplomaNumber);
    // YYYY 2029 · the last four digits of 3501021234 · the school's sequence.
    for (const n of numbers) expect(n).toMatch(/^20291234\d{4}$/);
    expect(new Set(numbers).size).toBe(3);

    const record = await recordOf(ids[0]!);
    expect(record.stage).toBe('DIPLOMA_ISSUED');
    expect(record.certificates).toEqual([
      expect.objectContaining({ kind: 'DIPLOMA', state: 'VALID', issuedOn: '2029-05-10' }),
    ]);

    const outbox = await selectRows<{ type: string; key: string }>(
      g.service.dataSource,
      `SELECT event_type AS type, message_key AS key FROM outbox_message WHERE message_key = ANY($1)`,
      [ids],
    );
    expect(outbox.filter((e) => e.type === 'xueji.graduation.diploma.issued.v1')).toHaveLength(3);

    // GR-4: one diploma per student and programme: a second list with the same student is refused.
    const again = await submit(A.schoolId, [ids[0]!], registrarOf(A));
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'GR-4' });
  });

  it('GR-1: a student short of a condition is refused on the list, naming the rule; another school’s registrar is forbidden', async () => {
    const id = randomUUID();
    await g.publish('enrolment', enrolled(A, id));
    await g.publish('assessment', assessed(A, id, { internshipPassed: false }));
    await holdsSkillCertificate(g, A, id);
    const refused = await submit(A.schoolId, [id], registrarOf(A));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'GR-1' });
    const foreign = await submit(A.schoolId, [id], registrarOf(B));
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('concurrent approvals of one school never share a number (the sequence row is locked; UNIQUE behind it)', async () => {
    const lists: string[] = [];
    for (let i = 0; i < 4; i++) {
      const ids = await graduates(3);
      const s = await submit(A.schoolId, ids, registrarOf(A));
      expect(s.errors).toBeUndefined();
      lists.push(s.data!.submitGraduateList.id);
    }
    const results = await Promise.all(
      lists.map((id) =>
        graphql<{ approveGraduateList: { entries: { diplomaNumber: string }[] } }>(
          g.url,
          APPROVE_LIST,
          { id, sheet: `验印单-${id.slice(0, 4)}` },
          reviewer,
        ),
      ),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const numbers = results.flatMap((r) => r.data!.approveGraduateList.entries.map((e) => e.diplomaNumber));
    expect(numbers).toHaveLength(12);
    expect(new Set(numbers).size).toBe(12);
    const all = await selectRows<{ number: string }>(
      g.service.dataSource,
      `SELECT number FROM certificate WHERE school_id = $1 AND kind = 'DIPLOMA' ORDER BY number`,
      [A.schoolId],
    );
    // One unbroken sequence: 0001 … n.
    expect(all.map((r) => Number(r.number.slice(-4)))).toEqual(all.map((_, i) => i + 1));
  });

  it('GR-3: the city hands out no numbered blanks under fujian: allocating is refused', async () => {
    const r = await graphql(
      g.url,
      `
        mutation ($input: DiplomaBlanksInput!) {
          allocateDiplomaBlanks(input: $input) {
            id
          }
        }
      `,
      { input: { schoolId: A.schoolId, year: 2029, count: 10 } },
      reviewer,
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'GR-3' });
  });

  it('GR-3: after mid-May the spring batch is closed (fujian)', async () => {
    const ids = await graduates(1);
    const s = await submit(A.schoolId, ids, registrarOf(A));
    expect(s.errors).toBeUndefined();
    g.setToday('2029-05-16');
    try {
      const late = await graphql(g.url, APPROVE_LIST, { id: s.data!.submitGraduateList.id, sheet: '验印单' }, reviewer);
      expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'GR-3' });
      const autumn = await submit(A.schoolId, [randomUUID()], registrarOf(A), '2029-autumn');
      expect(autumn.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    } finally {
      g.setToday('2029-05-10');
    }
  });
});

describe('graduate lists to read (GR-3)', () => {
  const LISTS = `query ($state: GraduateListState, $after: String) {
    graduateLists(state: $state, first: 2, after: $after) {
      edges { cursor node { id schoolId state term entries { studentId } } }
      pageInfo { hasNextPage endCursor }
    } }`;
  type Lists = {
    graduateLists: {
      edges: { node: { id: string; schoolId: string; state: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };

  it('a registrar reads the school’s lists, a reviewer those its region reviews, oldest first in keyset pages', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof graphql<Lists>>> = await graphql<Lists>(
        g.url,
        LISTS,
        { state: 'APPROVED', after },
        reviewer,
      );
      expect(page.errors).toBeUndefined();
      seen.push(...page.data!.graduateLists.edges.map((e) => e.node.id));
      for (const e of page.data!.graduateLists.edges) expect(e.node.state).toBe('APPROVED');
      if (!page.data!.graduateLists.pageInfo.hasNextPage) break;
      after = page.data!.graduateLists.pageInfo.endCursor;
    }
    expect(seen.length).toBeGreaterThanOrEqual(5); // the lists approved above
    expect(new Set(seen).size).toBe(seen.length);
    const own = await graphql<Lists>(g.url, LISTS, {}, registrarOf(B));
    expect(own.data!.graduateLists.edges).toEqual([]); // B submitted none
    const other = await graphql<Lists>(g.url, LISTS, {}, reviewerOf('220100'));
    expect(other.data!.graduateLists.edges).toEqual([]); // another province's reviewer sees none
    const one = await graphql<{ graduateList: { id: string } | null }>(
      g.url,
      `
        query ($id: ID!) {
          graduateList(id: $id) {
            id
          }
        }
      `,
      { id: seen[0] },
      registrarOf(B),
    );
    expect(one.data!.graduateList).toBeNull();
  });
});

describe('completion (GR-6)', () => {
  it('short of credits at the end: a certificate of completion; after make-ups the authority exchanges it for a diploma dated that day', async () => {
    const id = randomUUID();
    await g.publish('enrolment', enrolled(A, id));
    await g.publish('assessment', assessed(A, id, { creditsShort: true }));
    await holdsSkillCertificate(g, A, id);
    expect((await recordOf(id)).audit).toMatchObject({ outcome: 'COMPLETION', lacking: ['RESULTS'] });

    const ISSUE = `mutation ($id: ID!) { issueCompletionCertificate(studentId: $id) { kind number issuedOn } }`;
    const issued = await graphql<{ issueCompletionCertificate: Cert }>(g.url, ISSUE, { id }, registrarOf(A));
    expect(issued.errors).toBeUndefined();
    expect(issued.data!.issueCompletionCertificate).toMatchObject({ kind: 'COMPLETION', issuedOn: '2029-05-10' });
    expect(issued.data!.issueCompletionCertificate.number).toMatch(/^JY20291234\d{4}$/);
    await g.publish('status-change', [
      createEvent('xueji.status-change.status.changed.v1', id, {
        studentId: id,
        kind: 'COMPLETION',
        effectiveDate: '2029-05-10',
        previousStatus: 'ACTIVE',
        newStatus: 'COMPLETED',
        schoolId: A.schoolId,
        regionCode: A.regionCode,
      }),
    ]);

    const EXCHANGE = `mutation ($id: ID!) { exchangeCompletionCertificate(studentId: $id, verificationSheetRef: "验印单-换发") { kind number issuedOn replacesId } }`;
    // Before the make-ups the results still fall short.
    const early = await graphql(g.url, EXCHANGE, { id }, reviewer);
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'GR-1' });

    g.setToday('2030-01-15');
    try {
      await g.publish('assessment', [madeUp(A, id, '2030-01-10T08:00:00.000Z')]);
      const exchanged = await graphql<{ exchangeCompletionCertificate: Cert }>(g.url, EXCHANGE, { id }, reviewer);
      expect(exchanged.errors).toBeUndefined();
      expect(exchanged.data!.exchangeCompletionCertificate).toMatchObject({ kind: 'DIPLOMA', issuedOn: '2030-01-15' });
      expect(exchanged.data!.exchangeCompletionCertificate.number).toMatch(/^20301234\d{4}$/);
      const record = await recordOf(id);
      expect(record.certificates.map((c) => [c.kind, c.state])).toEqual([
        ['COMPLETION', 'EXCHANGED'],
        ['DIPLOMA', 'VALID'],
      ]);
      expect(record.stage).toBe('DIPLOMA_ISSUED');
    } finally {
      g.setToday('2029-05-10');
    }
  });
});

describe('races decided by the constraints (GR-4)', () => {
  it('two completions of one student at once: one certificate, the other call refused', async () => {
    const id = randomUUID();
    await g.publish('enrolment', enrolled(A, id));
    await g.publish('assessment', assessed(A, id, { creditsShort: true }));
    await holdsSkillCertificate(g, A, id);
    const ISSUE = `mutation ($id: ID!) { issueCompletionCertificate(studentId: $id) { number } }`;
    const [one, two] = await Promise.all([
      graphql(g.url, ISSUE, { id }, registrarOf(A)),
      graphql(g.url, ISSUE, { id }, registrarOf(A)),
    ]);
    const refused = [one, two].filter((r) => r.errors);
    expect(refused).toHaveLength(1);
    expect(['CONFLICT', 'POLICY_VIOLATION']).toContain(refused[0]!.errors![0]!.extensions!.code);
    const rows = await selectRows<{ n: number }>(
      g.service.dataSource,
      `SELECT count(*)::int AS n FROM certificate WHERE student_id = $1`,
      [id],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('two submissions naming the same student at once: one open list, the other refused', async () => {
    const [id] = await graduates(1);
    const [one, two] = await Promise.all([
      submit(A.schoolId, [id!], registrarOf(A)),
      submit(A.schoolId, [id!], registrarOf(A)),
    ]);
    expect([one, two].filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(1);
  });
});

describe('leaving early (GR-7, SC-18)', () => {
  const withdrawal = (id: string, effectiveDate: string) =>
    createEvent('xueji.status-change.status.changed.v1', id, {
      studentId: id,
      kind: 'WITHDRAWAL',
      effectiveDate,
      previousStatus: 'ACTIVE',
      newStatus: 'WITHDRAWN',
      schoolId: A.schoolId,
      regionCode: A.regionCode,
    });

  it('a withdrawal after more than a year with passing results: a study record and a partial-study certificate stating the years', async () => {
    const id = randomUUID();
    await g.publish('enrolment', enrolled(A, id));
    await g.publish('assessment', [madeUp(A, id, '2027-11-20T08:00:00.000Z')]);
    const event = withdrawal(id, '2027-12-01');
    await g.publish('status-change', [event]);
    const record = await recordOf(id);
    expect(record.certificates.map((c) => [c.kind, c.issuedOn])).toEqual([
      ['STUDY_RECORD', '2027-12-01'],
      ['PARTIAL_STUDY', '2027-12-01'],
    ]);
    const [studyRecord, partial] = record.certificates as (Cert & { statedDuration: string })[];
    expect(studyRecord!.number).toMatch(/^XS20271234\d{4}$/);
    expect(partial!.number).toMatch(/^YY20271234\d{4}$/);
    expect(partial!.statedDuration).toContain('肄业 1年3个月');
    // One unit of work, one audit row naming the event; a second withdrawal event issues nothing more.
    const audit = await selectRows<{ action: string }>(
      g.service.dataSource,
      `SELECT action FROM audit_entry WHERE actor = $1`,
      [`xueji.status-change.status.changed.v1#${event.id}`],
    );
    expect(audit).toEqual([{ action: 'RECORD_STATUS_CHANGE' }]);
    await g.publish('status-change', [withdrawal(id, '2027-12-02')]);
    expect((await recordOf(id)).certificates).toHaveLength(2);
  });

  it('a withdrawal within the first year: the study record only', async () => {
    const id = randomUUID();
    await g.publish('enrolment', enrolled(A, id));
    await g.publish('assessment', [madeUp(A, id, '2027-03-20T08:00:00.000Z')]);
    await g.publish('status-change', [withdrawal(id, '2027-04-01')]);
    expect((await recordOf(id)).certificates.map((c) => c.kind)).toEqual(['STUDY_RECORD']);
  });
});

/**
 * GR-8 and GR-12 through graduation's own GraphQL, on real PostgreSQL and Kafka.
 *
 * GR-8: a lost diploma is never reissued; an academic credential certificate (学历证明书) of equal force
 * stands for it, numbered `ZM…`, with its own credential; the lost one becomes REPLACED (the lookup names
 * its replacement, its credential verifies REVOKED). Fujian: once only, by the authority after a notice
 * of loss; jilin: by the authority with the ID checked, the notice and the verification sheet; national:
 * by the school. GR-9's recall reaches the credential certificate too.
 *
 * GR-12 (fujian): a correction of verification data submitted by the issuing school and approved by the
 * authority changes what the lookup and the credential show, keeps what was shown before, and leaves the
 * older credential REVOKED; a rejected one changes nothing. National refuses it (GR-12).
 */
import { createEvent } from '@xueji/events';
import { graphql, ok, refusedWith, resolveStudents } from '@xueji/testkit';
import {
  APPROVE_LIST,
  completionHolder,
  holder,
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
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

jest.setTimeout(120_000);

// The authority's keys of this test run, not the machine's.
process.env.XUEJI_CREDENTIAL_KEYS_DIR = path.join(mkdtempSync(path.join(tmpdir(), 'graduation-keys-')), 'keys');

const HOLDER = '王小东';

type Cert = {
  id: string;
  kind: string;
  state: string;
  number: string;
  credential: string | null;
  standsForId: string | null;
};
const CERTS = `graduation { certificates { id kind state number credential standsForId } }`;

const ISSUE_CREDENTIAL = /* GraphQL */ `
  mutation ($input: CredentialCertificateInput!) {
    issueCredentialCertificate(input: $input) {
      id
      kind
      state
      number
      standsForId
      statedDuration
      credential
    }
  }
`;
const LOOKUP = /* GraphQL */ `
  query ($number: String!, $name: String!) {
    certificateLookup(number: $number, name: $name) {
      number
      kind
      state
      name
      replacedByNumber
      replacesNumber
    }
  }
`;
const VERIFY = `query ($c: String!) { verifyCredential(credential: $c) { outcome certificate { number state name } } }`;
const REQUEST = /* GraphQL */ `
  mutation ($input: VerificationDataCorrectionInput!) {
    requestVerificationDataCorrection(input: $input) {
      id
      state
      certificateNumber
      requested {
        name
        birthDate
      }
      before {
        name
      }
    }
  }
`;
const APPROVE = `mutation ($id: ID!) { approveVerificationDataCorrection(id: $id) { id state before { name } requested { name } decidedBy } }`;
const REJECT = `mutation ($id: ID!, $reason: String!) { rejectVerificationDataCorrection(id: $id, reason: $reason) { id state decisionReason } }`;
const QUEUE = /* GraphQL */ `
  query ($state: VerificationCorrectionState, $after: String) {
    verificationDataCorrections(state: $state, first: 1, after: $after) {
      edges {
        node {
          id
          state
          certificateNumber
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

type Check = {
  number: string;
  kind: string;
  state: string;
  name: string;
  replacedByNumber: string | null;
  replacesNumber: string | null;
};
const lookup = async (g: Running, number: string, name = HOLDER) =>
  ok(await graphql<{ certificateLookup: Check | null }>(g.url, LOOKUP, { number, name })).certificateLookup;
const verify = async (g: Running, c: string) =>
  ok(
    await graphql<{
      verifyCredential: { outcome: string; certificate: { number: string; state: string; name: string } | null };
    }>(g.url, VERIFY, { c }),
  ).verifyCredential;

async function certificatesOf(g: Running, school: School, id: string): Promise<Cert[]> {
  const r = await resolveStudents<{ graduation: { certificates: Cert[] } }>(g.url, registrarOf(school), [id], CERTS);
  expect(r.errors).toBeUndefined();
  return r.data!._entities[0]!.graduation.certificates;
}

/** A certificate of completion (GR-6), the quickest certificate to issue. */
async function completion(g: Running, school: School): Promise<{ studentId: string; cert: Cert }> {
  const { studentId } = await completionHolder(g, school, HOLDER);
  return { studentId, cert: (await certificatesOf(g, school, studentId))[0]! };
}

describe('GR-8 and GR-12 under fujian', () => {
  let g: Running;
  const A = newSchool('350102', '3501021234', '350100');
  const B = newSchool('350103', '3501035678', '350100');
  const reviewer = reviewerOf('350100');
  const proofs = { identityDocumentChecked: true, lossNoticeRef: '福州日报 2029-05-08 遗失声明' };
  beforeAll(async () => {
    g = await startGraduation('lost_fujian', 'fujian', '2029-05-10');
    await g.publish('enrolment', [schoolEvent(A), schoolEvent(B)]);
  });
  afterAll(() => g?.stop());

  it('a lost diploma: a credential certificate ZM… stands for it; the old number answers REPLACED naming it; once only', async () => {
    const id = await holder(g, A, HOLDER);
    const list = ok(
      await graphql<{ submitGraduateList: { id: string } }>(
        g.url,
        SUBMIT_LIST,
        { input: { schoolId: A.schoolId, term: '2029-spring', studentIds: [id] } },
        registrarOf(A),
      ),
    ).submitGraduateList;
    ok(await graphql(g.url, APPROVE_LIST, { id: list.id, sheet: '验印单-1' }, reviewer));
    const [diploma] = await certificatesOf(g, A, id);
    expect(diploma).toMatchObject({ kind: 'DIPLOMA', state: 'VALID' });

    // The school's registrar does not issue it under fujian; another school's is not even in scope.
    const input = { certificateId: diploma!.id, ...proofs, reason: '搬家遗失' };
    refusedWith(await graphql(g.url, ISSUE_CREDENTIAL, { input }, registrarOf(A)), 'POLICY_VIOLATION', 'GR-8');
    refusedWith(await graphql(g.url, ISSUE_CREDENTIAL, { input }, registrarOf(B)), 'FORBIDDEN');
    // Without the newspaper notice: refused.
    refusedWith(
      await graphql(g.url, ISSUE_CREDENTIAL, { input: { ...input, lossNoticeRef: null } }, reviewer),
      'POLICY_VIOLATION',
      'GR-8',
    );

    const issued = ok(
      await graphql<{ issueCredentialCertificate: Cert & { statedDuration: string } }>(
        g.url,
        ISSUE_CREDENTIAL,
        { input },
        reviewer,
      ),
    ).issueCredentialCertificate;
    expect(issued).toMatchObject({ kind: 'CREDENTIAL_CERTIFICATE', state: 'VALID', standsForId: diploma!.id });
    expect(issued.number).toMatch(/^ZM\d{12}$/);
    expect(issued.statedDuration).toContain(diploma!.number);

    expect(await lookup(g, diploma!.number)).toEqual({
      number: diploma!.number,
      kind: 'DIPLOMA',
      state: 'REPLACED',
      name: HOLDER,
      replacedByNumber: issued.number,
      replacesNumber: null,
    });
    expect(await lookup(g, issued.number)).toEqual({
      number: issued.number,
      kind: 'CREDENTIAL_CERTIFICATE',
      state: 'VALID',
      name: HOLDER,
      replacedByNumber: null,
      replacesNumber: diploma!.number,
    });
    // The lost diploma's credential is revoked; the credential certificate's own verifies.
    expect((await verify(g, diploma!.credential!)).outcome).toBe('REVOKED');
    expect(await verify(g, issued.credential!)).toEqual({
      outcome: 'VALID',
      certificate: { number: issued.number, state: 'VALID', name: HOLDER },
    });

    // Once only: neither for the diploma again nor for the credential certificate lost in turn.
    refusedWith(await graphql(g.url, ISSUE_CREDENTIAL, { input }, reviewer), 'POLICY_VIOLATION', 'GR-8');
    refusedWith(
      await graphql(g.url, ISSUE_CREDENTIAL, { input: { ...input, certificateId: issued.id } }, reviewer),
      'POLICY_VIOLATION',
      'GR-8',
    );

    // GR-9: a cancelled admission recalls the credential certificate too.
    await g.publish('status-change', [
      createEvent('xueji.status-change.status.changed.v1', id, {
        studentId: id,
        kind: 'CANCELLATION',
        effectiveDate: '2029-05-20',
        previousStatus: 'GRADUATED',
        newStatus: 'CANCELLED',
        schoolId: A.schoolId,
        regionCode: A.regionCode,
      }),
    ]);
    expect((await lookup(g, issued.number))!.state).toBe('RECALLED');
    expect((await verify(g, issued.credential!)).outcome).toBe('REVOKED');
  });

  it('GR-12: a correction approved: the lookup shows the corrected name, the history the old one, the old credential REVOKED', async () => {
    const { studentId, cert } = await completion(g, A);
    const request = (input: Record<string, unknown>, token = registrarOf(A)) =>
      graphql<{ requestVerificationDataCorrection: { id: string; state: string } }>(
        g.url,
        REQUEST,
        { input: { certificateId: cert.id, reason: '录入错字', evidenceRef: '户口簿复印件', ...input } },
        token,
      );
    // Coded refusals: another school's registrar, a reviewer, a name with digits, nothing to correct.
    refusedWith(await request({ name: '王晓东' }, registrarOf(B)), 'FORBIDDEN');
    refusedWith(await request({ name: '王晓东' }, reviewer), 'FORBIDDEN');
    refusedWith(await request({ name: '王晓东2' }), 'BAD_USER_INPUT');
    refusedWith(await request({ name: HOLDER }), 'BAD_USER_INPUT');
    refusedWith(await request({ name: '王晓东', birthDate: '2031-01-01' }), 'BAD_USER_INPUT');

    const submitted = ok(await request({ name: '王晓东', birthDate: '2011-02-03' })).requestVerificationDataCorrection;
    expect(submitted).toMatchObject({
      state: 'SUBMITTED',
      certificateNumber: cert.number,
      requested: { name: '王晓东', birthDate: '2011-02-03' },
      before: null,
    });
    // One at a time per certificate.
    refusedWith(await request({ name: '王晓冬' }), 'CONFLICT');
    // The reviewers' queue, in pages.
    const queue = ok(
      await graphql<{
        verificationDataCorrections: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } };
      }>(g.url, QUEUE, { state: 'SUBMITTED' }, reviewer),
    ).verificationDataCorrections;
    expect(queue.edges.map((e) => e.node.id)).toEqual([submitted.id]);
    // Another region's reviewer does not decide it.
    refusedWith(await graphql(g.url, APPROVE, { id: submitted.id }, reviewerOf('350200')), 'FORBIDDEN');
    expect(await lookup(g, cert.number)).toMatchObject({ name: HOLDER, state: 'VALID' });

    const approved = ok(
      await graphql<{ approveVerificationDataCorrection: Record<string, unknown> }>(
        g.url,
        APPROVE,
        { id: submitted.id },
        reviewer,
      ),
    ).approveVerificationDataCorrection;
    expect(approved).toMatchObject({
      state: 'APPROVED',
      before: { name: HOLDER },
      requested: { name: '王晓东' },
      decidedBy: 'reviewer-350100',
    });
    refusedWith(await graphql(g.url, APPROVE, { id: submitted.id }, reviewer), 'CONFLICT');

    expect(await lookup(g, cert.number, '王晓东')).toMatchObject({ name: '王晓东', state: 'VALID' });
    expect(await lookup(g, cert.number, HOLDER)).toBeNull();
    // The older credential is no longer the register's; the new one states the corrected name.
    expect((await verify(g, cert.credential!)).outcome).toBe('REVOKED');
    const [now] = await certificatesOf(g, A, studentId);
    expect(now!.credential).not.toBe(cert.credential);
    expect(await verify(g, now!.credential!)).toEqual({
      outcome: 'VALID',
      certificate: { number: cert.number, state: 'VALID', name: '王晓东' },
    });
    // The history: what was shown before, who asked and who decided.
    const history = await resolveStudents<{
      graduation: {
        certificates: { corrections: { state: string; before: { name: string }; requestedBy: string }[] }[];
      };
    }>(
      g.url,
      reviewer,
      [studentId],
      `graduation { certificates { corrections { state before { name } requestedBy } } }`,
    );
    expect(history.errors).toBeUndefined();
    expect(history.data!._entities[0]!.graduation.certificates[0]!.corrections).toEqual([
      { state: 'APPROVED', before: { name: HOLDER }, requestedBy: `registrar-${A.schoolId}` },
    ]);
  });

  it('GR-12: a correction rejected leaves the data as they were', async () => {
    const { cert } = await completion(g, A);
    const submitted = ok(
      await graphql<{ requestVerificationDataCorrection: { id: string } }>(
        g.url,
        REQUEST,
        { input: { certificateId: cert.id, name: '王晓东', reason: '录入错字', evidenceRef: '户口簿复印件' } },
        registrarOf(A),
      ),
    ).requestVerificationDataCorrection;
    refusedWith(await graphql(g.url, REJECT, { id: submitted.id, reason: ' ' }, reviewer), 'BAD_USER_INPUT');
    expect(
      ok(
        await graphql<{ rejectVerificationDataCorrection: Record<string, unknown> }>(
          g.url,
          REJECT,
          { id: submitted.id, reason: '证明材料不足' },
          reviewer,
        ),
      ).rejectVerificationDataCorrection,
    ).toMatchObject({ state: 'REJECTED', decisionReason: '证明材料不足' });
    expect(await lookup(g, cert.number)).toMatchObject({ name: HOLDER, state: 'VALID' });
    expect(await lookup(g, cert.number, '王晓东')).toBeNull();
    expect((await verify(g, cert.credential!)).outcome).toBe('VALID');
  });
});

describe('GR-8 under jilin: by the authority, with the ID, the notice of loss and the verification sheet', () => {
  let g: Running;
  const A = newSchool('220102', '2201021234', '220100');
  beforeAll(async () => {
    g = await startGraduation('lost_jilin', 'jilin', '2029-06-20');
    await g.publish('enrolment', [schoolEvent(A)]);
  });
  afterAll(() => g?.stop());

  it('refused without the notice of loss, or by the school; issued by the authority with every proof', async () => {
    const { cert } = await completion(g, A);
    const input = {
      certificateId: cert.id,
      identityDocumentChecked: true,
      lossNoticeRef: '吉林日报 2029-06-01 遗失声明',
      verificationSheetRef: '验印单-2029-001',
    };
    const reviewer = reviewerOf('220100');
    const noNotice = await graphql(g.url, ISSUE_CREDENTIAL, { input: { ...input, lossNoticeRef: null } }, reviewer);
    refusedWith(noNotice, 'POLICY_VIOLATION', 'GR-8');
    expect(noNotice.errors![0]!.extensions).toMatchObject({
      details: { breaches: [expect.objectContaining({ field: 'lossNoticeRef' })] },
    });
    refusedWith(await graphql(g.url, ISSUE_CREDENTIAL, { input }, registrarOf(A)), 'POLICY_VIOLATION', 'GR-8');
    const issued = ok(
      await graphql<{ issueCredentialCertificate: Cert }>(g.url, ISSUE_CREDENTIAL, { input }, reviewer),
    ).issueCredentialCertificate;
    expect(issued.number).toMatch(/^ZM\d{16}$/);
    expect((await lookup(g, cert.number))!.state).toBe('REPLACED');
    // GR-12 is fujian's: refused here.
    refusedWith(
      await graphql(
        g.url,
        REQUEST,
        { input: { certificateId: issued.id, name: '王晓东', reason: '错字', evidenceRef: '户口簿' } },
        registrarOf(A),
      ),
      'POLICY_VIOLATION',
      'GR-12',
    );
  });
});

describe('GR-8 under national: by the school, on the identity checked', () => {
  let g: Running;
  const A = newSchool('430102', '4301021234', '430100');
  beforeAll(async () => {
    g = await startGraduation('lost_national', 'national', '2029-06-20');
    await g.publish('enrolment', [schoolEvent(A)]);
  });
  afterAll(() => g?.stop());

  it('issued by the registrar; the lost one, once replaced, is not replaced again (its replacement is)', async () => {
    const { cert } = await completion(g, A);
    const input = { certificateId: cert.id, identityDocumentChecked: true };
    refusedWith(
      await graphql(g.url, ISSUE_CREDENTIAL, { input: { certificateId: cert.id } }, registrarOf(A)),
      'POLICY_VIOLATION',
      'GR-8',
    );
    const first = ok(
      await graphql<{ issueCredentialCertificate: Cert }>(g.url, ISSUE_CREDENTIAL, { input }, registrarOf(A)),
    ).issueCredentialCertificate;
    refusedWith(await graphql(g.url, ISSUE_CREDENTIAL, { input }, registrarOf(A)), 'POLICY_VIOLATION', 'GR-8');
    const second = ok(
      await graphql<{ issueCredentialCertificate: Cert }>(
        g.url,
        ISSUE_CREDENTIAL,
        { input: { ...input, certificateId: first.id } },
        registrarOf(A),
      ),
    ).issueCredentialCertificate;
    expect(second.standsForId).toBe(first.id);
    expect(await lookup(g, first.number)).toMatchObject({ state: 'REPLACED', replacedByNumber: second.number });
  });

  it('GR-6 after GR-8: the credential certificate of a lost completion certificate is exchanged for the diploma', async () => {
    const { studentId, cert } = await completion(g, A);
    const replacement = ok(
      await graphql<{ issueCredentialCertificate: Cert }>(
        g.url,
        ISSUE_CREDENTIAL,
        { input: { certificateId: cert.id, identityDocumentChecked: true } },
        registrarOf(A),
      ),
    ).issueCredentialCertificate;
    await g.publish('assessment', [madeUp(A, studentId, '2029-06-20T10:00:00.000Z')]);
    const diploma = ok(
      await graphql<{ exchangeCompletionCertificate: { kind: string; replacesId: string } }>(
        g.url,
        `
          mutation ($id: ID!) {
            exchangeCompletionCertificate(studentId: $id, verificationSheetRef: "验印单") {
              kind
              replacesId
            }
          }
        `,
        { id: studentId },
        reviewerOf('430100'),
      ),
    ).exchangeCompletionCertificate;
    expect(diploma).toEqual({ kind: 'DIPLOMA', replacesId: replacement.id });
    expect((await lookup(g, replacement.number))!.state).toBe('EXCHANGED');
  });
});

/**
 * Every write is one audited unit of work: each mutation of the schema, called over HTTP once with
 * success and once refused, leaves exactly one new audit row (who, role, what, which record) or none;
 * so does a consumed event.
 */
import { randomUUID } from 'node:crypto';
import {
  type AuditRow,
  auditRows,
  type GraphQLResponse,
  graphql,
  mutationNamesOf,
  ok,
  refusedOutOfScope,
  refusedWith,
  tokenFor,
} from '@xueji/testkit';
import { SCHEMA_PATH } from '../src/service';
import {
  APPROVE_LIST,
  assessed,
  enrolled,
  holdsSkillCertificate,
  madeUp,
  newSchool,
  RECORD_CERTIFICATE,
  registrarOf,
  reviewerOf,
  schoolEvent,
  startGraduation,
  SUBMIT_LIST,
  type Running,
  type School,
} from './support';

const A = newSchool('220102', 'A-0102', '220100');
const B = newSchool('220202', 'B-0202', '220200');
const reviewer = reviewerOf('220100');
const foreignReviewer = reviewerOf('220200');
/** Issue 10: the same `sub` as `registrarOf(school)`, in a token of another school. */
const registrarAt = (school: School, elsewhere: School) =>
  tokenFor({ subject: `registrar-${school.schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId: elsewhere.schoolId });
/** Issue 10: the same `sub` as `reviewerOf(regionCode)`, in a token of another region. */
const reviewerAt = (regionCode: string, elsewhere: string) =>
  tokenFor({ subject: `reviewer-${regionCode}`, role: 'AUTHORITY_REVIEWER', regionCode: elsewhere });

interface Expected {
  action: string;
  actor: string;
  role: string;
  entity: string;
  entityId?: string;
}

/** One call and what it needs first; the preparation's own audit rows are not the call's. */
interface Step<R> {
  /** The service it runs on: national unless told (beijing's numbered blanks, GR-3). */
  on?(): Running;
  prepare?(): Promise<string>;
  run(fixture: string): Promise<R>;
}

interface Case {
  success: Step<Expected>;
  refusal: Step<void>;
  /** Issue 10: the same `sub` with another school's or region's token: refused, nothing written. */
  outOfScope: Step<void>;
}

const mutationNames = mutationNamesOf(SCHEMA_PATH);

describe('the audit of every write (real PostgreSQL and Kafka)', () => {
  let g: Running;

  /** Beijing: the city hands numbered diploma blanks to schools (GR-3). */
  let bj: Running;
  const C = newSchool('110105', 'C-0105', '110105');
  const cityReviewer = reviewerOf('110000');
  /** Fujian: corrections of verification data (GR-12). */
  let fj: Running;
  const F = newSchool('350102', '3501021234', '350100');
  const fujianReviewer = reviewerOf('350100');
  const newRows = async (before: number, on = g): Promise<AuditRow[]> =>
    (await auditRows(on.service.dataSource)).slice(before);
  const count = async (on = g) => (await auditRows(on.service.dataSource)).length;

  /** A student of A (national: passing results, conduct and internship graduates; creditsShort completes). */
  async function student(options: { creditsShort?: boolean } = {}): Promise<string> {
    const id = randomUUID();
    await g.publish('enrolment', enrolled(A, id));
    await g.publish('assessment', assessed(A, id, options));
    return id;
  }
  async function submittedList(): Promise<string> {
    const id = await student();
    const data = ok(
      await graphql<{ submitGraduateList: { id: string } }>(
        g.url,
        SUBMIT_LIST,
        { input: { schoolId: A.schoolId, term: '2029-spring', studentIds: [id] } },
        registrarOf(A),
      ),
    );
    return data.submitGraduateList.id;
  }
  const ISSUE = `mutation ($id: ID!) { issueCompletionCertificate(studentId: $id) { id } }`;
  const EXCHANGE = `mutation ($id: ID!) { exchangeCompletionCertificate(studentId: $id, verificationSheetRef: "验印单") { id } }`;
  async function completed(): Promise<string> {
    const id = await student({ creditsShort: true });
    ok(await graphql(g.url, ISSUE, { id }, registrarOf(A)));
    return id;
  }
  const REJECT = `mutation ($id: ID!, $reason: String!) { rejectGraduateList(id: $id, reason: $reason) { id state } }`;

  beforeAll(async () => {
    g = await startGraduation('audit', 'national', '2029-06-20');
    await g.publish('enrolment', [schoolEvent(A), schoolEvent(B)]);
    bj = await startGraduation('audit_bj', 'beijing', '2029-06-20');
    await bj.publish('enrolment', [schoolEvent(C)]);
    fj = await startGraduation('audit_fj', 'fujian', '2029-06-20');
    await fj.publish('enrolment', [schoolEvent(F)]);
  });
  afterAll(async () => {
    await g?.stop();
    await bj?.stop();
    await fj?.stop();
  });
  const ISSUE_CREDENTIAL = `mutation ($input: CredentialCertificateInput!) { issueCredentialCertificate(input: $input) { id } }`;
  /** A certificate of completion of A (national); its id. */
  async function completionCertificate(): Promise<string> {
    const id = await student({ creditsShort: true });
    return ok(await graphql<{ issueCompletionCertificate: { id: string } }>(g.url, ISSUE, { id }, registrarOf(A)))
      .issueCompletionCertificate.id;
  }
  const REQUEST_CORRECTION = `mutation ($input: VerificationDataCorrectionInput!) { requestVerificationDataCorrection(input: $input) { id } }`;
  const APPROVE_CORRECTION = `mutation ($id: ID!) { approveVerificationDataCorrection(id: $id) { id } }`;
  const REJECT_CORRECTION = `mutation ($id: ID!) { rejectVerificationDataCorrection(id: $id, reason: "证明不足") { id } }`;
  /** A certificate of completion of F (fujian: PE passed and a skill certificate held); its id. */
  async function fujianCertificate(): Promise<string> {
    const id = randomUUID();
    await fj.publish('enrolment', enrolled(F, id));
    await fj.publish('assessment', assessed(F, id, { creditsShort: true }));
    await holdsSkillCertificate(fj, F, id);
    return ok(await graphql<{ issueCompletionCertificate: { id: string } }>(fj.url, ISSUE, { id }, registrarOf(F)))
      .issueCompletionCertificate.id;
  }
  const correctionInput = (certificateId: string) => ({
    input: { certificateId, name: '王晓东', reason: '录入错字', evidenceRef: '户口簿复印件' },
  });
  /** A correction of F's certificate awaiting the authority (GR-12); its id. */
  async function submittedCorrection(): Promise<string> {
    const certificate = await fujianCertificate();
    return ok(
      await graphql<{ requestVerificationDataCorrection: { id: string } }>(
        fj.url,
        REQUEST_CORRECTION,
        correctionInput(certificate),
        registrarOf(F),
      ),
    ).requestVerificationDataCorrection.id;
  }
  const ALLOCATE = `mutation ($input: DiplomaBlanksInput!) { allocateDiplomaBlanks(input: $input) { id } }`;
  const VOID = `mutation ($school: ID!, $number: String!) { voidDiplomaBlank(schoolId: $school, number: $number, reason: "污损") { id } }`;
  const VERIFY = `mutation ($id: ID!) { recordDiplomaVerification(listId: $id) { id state } }`;
  async function approvedList(): Promise<string> {
    const list = await submittedList();
    ok(await graphql(g.url, APPROVE_LIST, { id: list, sheet: '验印单-2' }, reviewer));
    return list;
  }
  /** C's blanks: the number of the first of a new range. */
  async function blanksOfC(): Promise<string> {
    const data = ok(
      await graphql<{ allocateDiplomaBlanks: { id: string; first: string } }>(
        bj.url,
        `
          mutation ($input: DiplomaBlanksInput!) {
            allocateDiplomaBlanks(input: $input) {
              id
              first
            }
          }
        `,
        { input: { schoolId: C.schoolId, year: 2029, count: 2 } },
        cityReviewer,
      ),
    );
    return data.allocateDiplomaBlanks.first;
  }

  /** Who an audit row names: a school's registrar, or a region's reviewer. */
  const registrarActor = (school: School) => ({ actor: `registrar-${school.schoolId}`, role: 'SCHOOL_REGISTRAR' });
  const reviewerActor = (regionCode: string) => ({ actor: `reviewer-${regionCode}`, role: 'AUTHORITY_REVIEWER' });
  /** A decision on what `prepare` made (a list, a correction): one call, its audit row naming what was decided. */
  const decided = (
    prepare: () => Promise<string>,
    call: (id: string) => Promise<GraphQLResponse>,
    expected: Omit<Expected, 'entityId'>,
    on?: () => Running,
  ): Step<Expected> => ({
    ...(on ? { on } : {}),
    prepare,
    async run(id) {
      ok(await call(id));
      return { ...expected, entityId: id };
    },
  });

  const cases: Record<string, Case> = {
    recordHeldCertificate: {
      success: {
        prepare: () => student(),
        async run(id) {
          const data = ok(
            await graphql<{ recordHeldCertificate: { id: string } }>(
              g.url,
              RECORD_CERTIFICATE,
              {
                input: {
                  studentId: id,
                  kind: 'VOCATIONAL_QUALIFICATION',
                  title: '电工（四级）',
                  number: 'V-001',
                  issuedOn: '2029-01-01',
                },
              },
              registrarOf(A),
            ),
          );
          return {
            action: 'RECORD_HELD_CERTIFICATE',
            ...registrarActor(A),
            entity: 'held_certificate',
            entityId: data.recordHeldCertificate.id,
          };
        },
      },
      refusal: {
        prepare: () => student(),
        async run(id) {
          refusedWith(
            await graphql(
              g.url,
              RECORD_CERTIFICATE,
              {
                input: {
                  studentId: id,
                  kind: 'SKILL_CERTIFICATE',
                  title: 'x',
                  number: 'V 001 !',
                  issuedOn: '2029-01-01',
                },
              },
              registrarOf(A),
            ),
            'BAD_USER_INPUT',
          );
        },
      },
      outOfScope: {
        prepare: () => student(),
        async run(id) {
          const input = {
            studentId: id,
            kind: 'VOCATIONAL_QUALIFICATION',
            title: '电工（四级）',
            number: 'V-002',
            issuedOn: '2029-01-01',
          };
          refusedOutOfScope(await graphql(g.url, RECORD_CERTIFICATE, { input }, registrarAt(A, B)));
        },
      },
    },
    submitGraduateList: {
      success: {
        prepare: () => student(),
        async run(id) {
          const data = ok(
            await graphql<{ submitGraduateList: { id: string } }>(
              g.url,
              SUBMIT_LIST,
              { input: { schoolId: A.schoolId, term: '2029-spring', studentIds: [id] } },
              registrarOf(A),
            ),
          );
          return {
            action: 'SUBMIT_GRADUATE_LIST',
            ...registrarActor(A),
            entity: 'graduate_list',
            entityId: data.submitGraduateList.id,
          };
        },
      },
      refusal: {
        prepare: () => student({ creditsShort: true }),
        async run(id) {
          refusedWith(
            await graphql(
              g.url,
              SUBMIT_LIST,
              { input: { schoolId: A.schoolId, term: '2029-spring', studentIds: [id] } },
              registrarOf(A),
            ),
            'POLICY_VIOLATION',
            'GR-1',
          );
        },
      },
      outOfScope: {
        prepare: () => student(),
        async run(id) {
          const input = { schoolId: A.schoolId, term: '2029-spring', studentIds: [id] };
          refusedOutOfScope(await graphql(g.url, SUBMIT_LIST, { input }, registrarAt(A, B)));
        },
      },
    },
    approveGraduateList: {
      success: decided(submittedList, (id) => graphql(g.url, APPROVE_LIST, { id, sheet: '验印单-1' }, reviewer), {
        action: 'APPROVE_GRADUATE_LIST',
        ...reviewerActor('220100'),
        entity: 'graduate_list',
      }),
      refusal: {
        prepare: submittedList,
        async run(list) {
          refusedWith(
            await graphql(g.url, APPROVE_LIST, { id: list, sheet: '验印单-1' }, foreignReviewer),
            'FORBIDDEN',
          );
        },
      },
      outOfScope: {
        prepare: submittedList,
        async run(id) {
          refusedOutOfScope(
            await graphql(g.url, APPROVE_LIST, { id, sheet: '验印单-1' }, reviewerAt('220100', '220200')),
          );
        },
      },
    },
    rejectGraduateList: {
      success: decided(submittedList, (id) => graphql(g.url, REJECT, { id, reason: '验印单与名册不符' }, reviewer), {
        action: 'REJECT_GRADUATE_LIST',
        ...reviewerActor('220100'),
        entity: 'graduate_list',
      }),
      refusal: {
        async prepare() {
          const list = await submittedList();
          ok(await graphql(g.url, REJECT, { id: list, reason: '退回' }, reviewer));
          return list;
        },
        async run(list) {
          refusedWith(await graphql(g.url, REJECT, { id: list, reason: '再次退回' }, reviewer), 'CONFLICT');
        },
      },
      outOfScope: {
        prepare: submittedList,
        async run(id) {
          refusedOutOfScope(await graphql(g.url, REJECT, { id, reason: '退回' }, reviewerAt('220100', '220200')));
        },
      },
    },
    recordDiplomaVerification: {
      success: decided(approvedList, (id) => graphql(g.url, VERIFY, { id }, reviewer), {
        action: 'RECORD_DIPLOMA_VERIFICATION',
        ...reviewerActor('220100'),
        entity: 'graduate_list',
      }),
      // Not approved yet: no printed diploma to stamp.
      refusal: {
        prepare: submittedList,
        async run(list) {
          refusedWith(await graphql(g.url, VERIFY, { id: list }, reviewer), 'POLICY_VIOLATION', 'GR-3');
        },
      },
      outOfScope: {
        prepare: approvedList,
        async run(id) {
          refusedOutOfScope(await graphql(g.url, VERIFY, { id }, reviewerAt('220100', '220200')));
        },
      },
    },
    allocateDiplomaBlanks: {
      success: {
        on: () => bj,
        async run() {
          const data = ok(
            await graphql<{ allocateDiplomaBlanks: { id: string } }>(
              bj.url,
              ALLOCATE,
              { input: { schoolId: C.schoolId, year: 2029, count: 5 } },
              cityReviewer,
            ),
          );
          return {
            action: 'ALLOCATE_DIPLOMA_BLANKS',
            ...reviewerActor('110000'),
            entity: 'diploma_blank_range',
            entityId: data.allocateDiplomaBlanks.id,
          };
        },
      },
      // National: the city hands out no blanks.
      refusal: {
        async run() {
          refusedWith(
            await graphql(g.url, ALLOCATE, { input: { schoolId: A.schoolId, year: 2029, count: 5 } }, reviewer),
            'POLICY_VIOLATION',
            'GR-3',
          );
        },
      },
      outOfScope: {
        on: () => bj,
        async run() {
          const input = { schoolId: C.schoolId, year: 2029, count: 5 };
          refusedOutOfScope(await graphql(bj.url, ALLOCATE, { input }, reviewerAt('110000', '220000')));
        },
      },
    },
    voidDiplomaBlank: {
      success: {
        on: () => bj,
        prepare: blanksOfC,
        async run(number) {
          const data = ok(
            await graphql<{ voidDiplomaBlank: { id: string } }>(
              bj.url,
              VOID,
              { school: C.schoolId, number },
              registrarOf(C),
            ),
          );
          return {
            action: 'VOID_DIPLOMA_BLANK',
            ...registrarActor(C),
            entity: 'diploma_blank_range',
            entityId: data.voidDiplomaBlank.id,
          };
        },
      },
      // Voided already.
      refusal: {
        on: () => bj,
        async prepare() {
          const number = await blanksOfC();
          ok(await graphql(bj.url, VOID, { school: C.schoolId, number }, registrarOf(C)));
          return number;
        },
        async run(number) {
          refusedWith(await graphql(bj.url, VOID, { school: C.schoolId, number }, registrarOf(C)), 'CONFLICT');
        },
      },
      outOfScope: {
        on: () => bj,
        prepare: blanksOfC,
        async run(number) {
          refusedOutOfScope(await graphql(bj.url, VOID, { school: C.schoolId, number }, registrarAt(C, A)));
        },
      },
    },
    issueCompletionCertificate: {
      success: {
        prepare: () => student({ creditsShort: true }),
        async run(id) {
          const data = ok(
            await graphql<{ issueCompletionCertificate: { id: string } }>(g.url, ISSUE, { id }, registrarOf(A)),
          );
          return {
            action: 'ISSUE_COMPLETION_CERTIFICATE',
            ...registrarActor(A),
            entity: 'certificate',
            entityId: data.issueCompletionCertificate.id,
          };
        },
      },
      // Meets every condition: a diploma is due, not a certificate of completion.
      refusal: {
        prepare: () => student(),
        async run(id) {
          refusedWith(await graphql(g.url, ISSUE, { id }, registrarOf(A)), 'POLICY_VIOLATION', 'GR-6');
        },
      },
      outOfScope: {
        prepare: () => student({ creditsShort: true }),
        async run(id) {
          refusedOutOfScope(await graphql(g.url, ISSUE, { id }, registrarAt(A, B)));
        },
      },
    },
    exchangeCompletionCertificate: {
      success: {
        async prepare() {
          const id = await completed();
          await g.publish('assessment', [madeUp(A, id, '2029-06-20T10:00:00.000Z')]);
          return id;
        },
        async run(id) {
          const data = ok(
            await graphql<{ exchangeCompletionCertificate: { id: string } }>(g.url, EXCHANGE, { id }, reviewer),
          );
          return {
            action: 'EXCHANGE_COMPLETION_CERTIFICATE',
            ...reviewerActor('220100'),
            entity: 'certificate',
            entityId: data.exchangeCompletionCertificate.id,
          };
        },
      },
      // No make-up yet: still short of the results.
      refusal: {
        prepare: completed,
        async run(id) {
          refusedWith(await graphql(g.url, EXCHANGE, { id }, reviewer), 'POLICY_VIOLATION', 'GR-1');
        },
      },
      outOfScope: {
        async prepare() {
          const id = await completed();
          await g.publish('assessment', [madeUp(A, id, '2029-06-20T10:00:00.000Z')]);
          return id;
        },
        async run(id) {
          refusedOutOfScope(await graphql(g.url, EXCHANGE, { id }, reviewerAt('220100', '220200')));
        },
      },
    },
    issueCredentialCertificate: {
      success: {
        prepare: completionCertificate,
        async run(certificateId) {
          const data = ok(
            await graphql<{ issueCredentialCertificate: { id: string } }>(
              g.url,
              ISSUE_CREDENTIAL,
              { input: { certificateId, identityDocumentChecked: true, reason: '遗失' } },
              registrarOf(A),
            ),
          );
          return {
            action: 'ISSUE_CREDENTIAL_CERTIFICATE',
            ...registrarActor(A),
            entity: 'certificate',
            entityId: data.issueCredentialCertificate.id,
          };
        },
      },
      // National: the identity must be checked (GR-8).
      refusal: {
        prepare: completionCertificate,
        async run(certificateId) {
          refusedWith(
            await graphql(g.url, ISSUE_CREDENTIAL, { input: { certificateId } }, registrarOf(A)),
            'POLICY_VIOLATION',
            'GR-8',
          );
        },
      },
      outOfScope: {
        prepare: completionCertificate,
        async run(certificateId) {
          const input = { certificateId, identityDocumentChecked: true, reason: '遗失' };
          refusedOutOfScope(await graphql(g.url, ISSUE_CREDENTIAL, { input }, registrarAt(A, B)));
        },
      },
    },
    requestVerificationDataCorrection: {
      success: {
        on: () => fj,
        prepare: fujianCertificate,
        async run(certificateId) {
          const data = ok(
            await graphql<{ requestVerificationDataCorrection: { id: string } }>(
              fj.url,
              REQUEST_CORRECTION,
              correctionInput(certificateId),
              registrarOf(F),
            ),
          );
          return {
            action: 'REQUEST_VERIFICATION_DATA_CORRECTION',
            ...registrarActor(F),
            entity: 'verification_correction',
            entityId: data.requestVerificationDataCorrection.id,
          };
        },
      },
      // National does not provide GR-12.
      refusal: {
        prepare: completionCertificate,
        async run(certificateId) {
          refusedWith(
            await graphql(g.url, REQUEST_CORRECTION, correctionInput(certificateId), registrarOf(A)),
            'POLICY_VIOLATION',
            'GR-12',
          );
        },
      },
      outOfScope: {
        on: () => fj,
        prepare: fujianCertificate,
        async run(certificateId) {
          refusedOutOfScope(
            await graphql(fj.url, REQUEST_CORRECTION, correctionInput(certificateId), registrarAt(F, A)),
          );
        },
      },
    },
    approveVerificationDataCorrection: {
      success: decided(
        submittedCorrection,
        (id) => graphql(fj.url, APPROVE_CORRECTION, { id }, fujianReviewer),
        {
          action: 'APPROVE_VERIFICATION_DATA_CORRECTION',
          ...reviewerActor('350100'),
          entity: 'verification_correction',
        },
        () => fj,
      ),
      // Another region's reviewer.
      refusal: {
        on: () => fj,
        prepare: submittedCorrection,
        async run(id) {
          refusedWith(await graphql(fj.url, APPROVE_CORRECTION, { id }, reviewerOf('350200')), 'FORBIDDEN');
        },
      },
      outOfScope: {
        on: () => fj,
        prepare: submittedCorrection,
        async run(id) {
          refusedOutOfScope(await graphql(fj.url, APPROVE_CORRECTION, { id }, reviewerAt('350100', '350200')));
        },
      },
    },
    rejectVerificationDataCorrection: {
      success: decided(
        submittedCorrection,
        (id) => graphql(fj.url, REJECT_CORRECTION, { id }, fujianReviewer),
        {
          action: 'REJECT_VERIFICATION_DATA_CORRECTION',
          ...reviewerActor('350100'),
          entity: 'verification_correction',
        },
        () => fj,
      ),
      // Decided already.
      refusal: {
        on: () => fj,
        async prepare() {
          const id = await submittedCorrection();
          ok(await graphql(fj.url, APPROVE_CORRECTION, { id }, fujianReviewer));
          return id;
        },
        async run(id) {
          refusedWith(await graphql(fj.url, REJECT_CORRECTION, { id }, fujianReviewer), 'CONFLICT');
        },
      },
      outOfScope: {
        on: () => fj,
        prepare: submittedCorrection,
        async run(id) {
          refusedOutOfScope(await graphql(fj.url, REJECT_CORRECTION, { id }, reviewerAt('350100', '350200')));
        },
      },
    },
  };

  it('covers every mutation of the schema', () => {
    expect(Object.keys(cases).sort()).toEqual(mutationNames);
  });

  describe.each(mutationNames)('%s', (mutation) => {
    it('writes exactly one audit row when it succeeds', async () => {
      const step = cases[mutation]!.success;
      const on = step.on?.() ?? g;
      const fixture = (await step.prepare?.()) ?? '';
      const before = await count(on);
      const expected = await step.run(fixture);
      expect(await newRows(before, on)).toEqual([expect.objectContaining(expected)]);
    });

    it('writes none when it is refused', async () => {
      const step = cases[mutation]!.refusal;
      const on = step.on?.() ?? g;
      const fixture = (await step.prepare?.()) ?? '';
      const before = await count(on);
      await step.run(fixture);
      expect(await newRows(before, on)).toEqual([]);
    });

    it('is refused to a token of the same subject and another school or region, and writes nothing (issue 10)', async () => {
      const step = cases[mutation]!.outOfScope;
      const on = step.on?.() ?? g;
      const fixture = (await step.prepare?.()) ?? '';
      const outbox = async () =>
        ((await on.service.dataSource.query('SELECT count(*)::int AS n FROM outbox_message')) as { n: number }[])[0]!.n;
      const [before, events] = [await count(on), await outbox()];
      await step.run(fixture);
      expect(await newRows(before, on)).toEqual([]);
      expect(await outbox()).toBe(events);
    });
  });

  it('a consumed event is one unit of work: one audit row naming the event', async () => {
    const id = randomUUID();
    const [registered] = enrolled(A, id);
    const before = await count();
    await g.publish('enrolment', [registered!]);
    expect(await newRows(before)).toEqual([
      expect.objectContaining({
        actor: `xueji.enrolment.student.registered.v1#${registered!.id}`,
        role: 'SYSTEM',
        action: 'RECORD_REGISTRATION',
        entity: 'graduation_student',
        entityId: id,
      }),
    ]);
  });
});

/**
 * Every write is one audited unit of work: each mutation of the schema, called over HTTP once with
 * success and once refused, leaves exactly one new audit row (who, role, what, which record) or none;
 * so does a consumed event.
 */
import { randomUUID } from 'node:crypto';
import { type AuditRow, auditRows, graphql, mutationNamesOf, ok, refusedWith } from '@xueji/testkit';
import { SCHEMA_PATH } from '../src/service';
import {
  APPROVE_LIST,
  assessed,
  enrolled,
  madeUp,
  newSchool,
  RECORD_CERTIFICATE,
  registrarOf,
  reviewerOf,
  schoolEvent,
  startGraduation,
  SUBMIT_LIST,
  type Running,
} from './support';

const A = newSchool('220102', 'A-0102', '220100');
const B = newSchool('220202', 'B-0202', '220200');
const reviewer = reviewerOf('220100');
const foreignReviewer = reviewerOf('220200');

interface Expected {
  action: string;
  actor: string;
  role: string;
  entity: string;
  entityId?: string;
}

/** One call and what it needs first; the preparation's own audit rows are not the call's. */
interface Step<R> {
  prepare?(): Promise<string>;
  run(fixture: string): Promise<R>;
}

interface Case {
  success: Step<Expected>;
  refusal: Step<void>;
}

const mutationNames = mutationNamesOf(SCHEMA_PATH);

describe('the audit of every write (real PostgreSQL and Kafka)', () => {
  let g: Running;

  const newRows = async (before: number): Promise<AuditRow[]> => (await auditRows(g.service.dataSource)).slice(before);
  const count = async () => (await auditRows(g.service.dataSource)).length;

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
  });
  afterAll(async () => {
    await g?.stop();
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
            actor: `registrar-${A.schoolId}`,
            role: 'SCHOOL_REGISTRAR',
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
            actor: `registrar-${A.schoolId}`,
            role: 'SCHOOL_REGISTRAR',
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
    },
    approveGraduateList: {
      success: {
        prepare: submittedList,
        async run(list) {
          ok(await graphql(g.url, APPROVE_LIST, { id: list, sheet: '验印单-1' }, reviewer));
          return {
            action: 'APPROVE_GRADUATE_LIST',
            actor: 'reviewer-220100',
            role: 'AUTHORITY_REVIEWER',
            entity: 'graduate_list',
            entityId: list,
          };
        },
      },
      refusal: {
        prepare: submittedList,
        async run(list) {
          refusedWith(
            await graphql(g.url, APPROVE_LIST, { id: list, sheet: '验印单-1' }, foreignReviewer),
            'FORBIDDEN',
          );
        },
      },
    },
    rejectGraduateList: {
      success: {
        prepare: submittedList,
        async run(list) {
          ok(await graphql(g.url, REJECT, { id: list, reason: '验印单与名册不符' }, reviewer));
          return {
            action: 'REJECT_GRADUATE_LIST',
            actor: 'reviewer-220100',
            role: 'AUTHORITY_REVIEWER',
            entity: 'graduate_list',
            entityId: list,
          };
        },
      },
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
            actor: `registrar-${A.schoolId}`,
            role: 'SCHOOL_REGISTRAR',
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
            actor: 'reviewer-220100',
            role: 'AUTHORITY_REVIEWER',
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
    },
  };

  it('covers every mutation of the schema', () => {
    expect(Object.keys(cases).sort()).toEqual(mutationNames);
  });

  describe.each(mutationNames)('%s', (mutation) => {
    it('writes exactly one audit row when it succeeds', async () => {
      const step = cases[mutation]!.success;
      const fixture = (await step.prepare?.()) ?? '';
      const before = await count();
      const expected = await step.run(fixture);
      expect(await newRows(before)).toEqual([expect.objectContaining(expected)]);
    });

    it('writes none when it is refused', async () => {
      const step = cases[mutation]!.refusal;
      const fixture = (await step.prepare?.()) ?? '';
      const before = await count();
      await step.run(fixture);
      expect(await newRows(before)).toEqual([]);
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

/**
 * Every write of subsidy is one audited unit of work: each mutation of the schema (one success,
 * one refusal, real operations over HTTP), the audited roster export (ADM-5), each consumed event
 * and each step of the new-period job. A success writes exactly one audit row; a refusal none.
 */
import { randomUUID } from 'node:crypto';
import { fixedOrRealClock } from '@xueji/config';
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { selectRows } from '@xueji/db';
import { loadPolicyProfile } from '@xueji/policy';
import { auditRows, graphql, refusedOutOfScope, tokenFor, type AuditRow, type GraphQLResponse } from '@xueji/testkit';
import { systemActor } from '@xueji/service-kit';
import { openPaymentPeriod } from '../src/application/open-period';
import { openNewPeriods } from '../src/jobs/open-periods';
import { SCHEMA_PATH } from '../src/service';
import { changed, enrolled, entitlements, SCHOOL, startSubsidy, type Running } from './support';

jest.setTimeout(90_000);

const OFFICER = tokenFor({ subject: 'officer-1', role: 'SUBSIDY_OFFICER', regionCode: '420300' });
const OFFICER_ELSEWHERE = tokenFor({ subject: 'officer-2', role: 'SUBSIDY_OFFICER', regionCode: '220000' });
const PARTNER = tokenFor({ subject: 'partner-1', role: 'PARTNER' });
/** Issue 10: officer-1's own `sub`, in a token of another region. */
const OFFICER_1_ELSEWHERE = tokenFor({ subject: 'officer-1', role: 'SUBSIDY_OFFICER', regionCode: '220000' });

const MARK_PAID = `mutation ($ids: [ID!]!) { markEntitlementsPaid(ids: $ids) { id state } }`;
const REVIEW = `
  mutation ($id: ID!, $decision: FraudSignalDecision!, $reason: String!) {
    reviewFraudSignal(id: $id, decision: $decision, reason: $reason) { id state }
  }`;
const EXPORT = `
  query ($filter: EligibilityRosterFilter!) { eligibilityRosterFile(filter: $filter) { fileName rows } }`;

/** What the audit row of a success must say. */
type Expected = Pick<AuditRow, 'action' | 'actor' | 'role' | 'entityId'>;

/** One successful call and one refused call of a write, over HTTP. */
interface Case {
  success(): Promise<{ response: GraphQLResponse; expected: Expected }>;
  refusal(): Promise<{ response: GraphQLResponse; code: string }>;
  /** Issue 10: the same `sub` with another region's token; refused (FORBIDDEN or NOT_FOUND), nothing written. */
  outOfScope(): Promise<GraphQLResponse>;
}

let r: Running;
// A payable student, and two records of one person (SB-4 double status: their payments are held).
const [payable, twinA, twinB] = [randomUUID(), randomUUID(), randomUUID()];
const enrolment = [
  ...enrolled(payable),
  ...enrolled(twinA, { idNumber: '420302201009017777' }),
  ...enrolled(twinB, { idNumber: '420302201009017777', schoolId: randomUUID() }),
];

async function signalOf(studentId: string): Promise<string> {
  const [signal] = await selectRows<{ id: string }>(
    r.service.dataSource,
    `SELECT id FROM fraud_signal WHERE student_id = $1`,
    [studentId],
  );
  return signal!.id;
}

/** The audit rows a piece of work added. */
async function auditedBy<T>(work: () => Promise<T>): Promise<{ result: T; rows: AuditRow[] }> {
  const before = (await auditRows(r.service.dataSource)).length;
  const result = await work();
  return { result, rows: (await auditRows(r.service.dataSource)).slice(before) };
}

const table: Record<string, Case> = {
  markEntitlementsPaid: {
    async success() {
      const [pending] = await entitlements(r.service, payable);
      const response = await graphql(r.service.url, MARK_PAID, { ids: [pending!.id] }, OFFICER);
      return {
        response,
        expected: { action: 'MARK_ENTITLEMENTS_PAID', actor: 'officer-1', role: 'SUBSIDY_OFFICER', entityId: 'batch' },
      };
    },
    async refusal() {
      // SB-4: an open double-status signal holds the student's payments.
      const [held] = await entitlements(r.service, twinA);
      return {
        response: await graphql(r.service.url, MARK_PAID, { ids: [held!.id] }, OFFICER),
        code: 'POLICY_VIOLATION',
      };
    },
    async outOfScope() {
      const [pending] = await entitlements(r.service, payable);
      return graphql(r.service.url, MARK_PAID, { ids: [pending!.id] }, OFFICER_1_ELSEWHERE);
    },
  },
  reviewFraudSignal: {
    async success() {
      const id = await signalOf(twinB);
      const response = await graphql(
        r.service.url,
        REVIEW,
        { id, decision: 'CONFIRM', reason: '两校均核实为同一学生' },
        OFFICER,
      );
      return {
        response,
        expected: { action: 'CONFIRM_FRAUD_SIGNAL', actor: 'officer-1', role: 'SUBSIDY_OFFICER', entityId: id },
      };
    },
    async refusal() {
      // Outside the officer's region: refused inside the unit of work, after the signal was locked.
      const id = await signalOf(twinA);
      return {
        response: await graphql(r.service.url, REVIEW, { id, decision: 'DISMISS', reason: '误报' }, OFFICER_ELSEWHERE),
        code: 'FORBIDDEN',
      };
    },
    async outOfScope() {
      const id = await signalOf(twinA);
      return graphql(r.service.url, REVIEW, { id, decision: 'DISMISS', reason: '误报' }, OFFICER_1_ELSEWHERE);
    },
  },
};

beforeAll(async () => {
  r = await startSubsidy('audit', '2026-11-20');
  await r.publish('enrolment', enrolment);
});

afterAll(async () => {
  await r?.stop();
});

it('has a success and a refusal for every mutation of the schema', () => {
  const schema = buildSubgraphSchema({ typeDefs: parse(readFileSync(SCHEMA_PATH, 'utf8')) });
  const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
  expect(mutations.length).toBeGreaterThan(0);
  expect(Object.keys(table).sort()).toEqual(mutations.sort());
});

describe.each(Object.keys(table))('%s', (mutation) => {
  it('writes exactly one audit row when it succeeds', async () => {
    const { result, rows } = await auditedBy(() => table[mutation]!.success());
    expect(result.response.errors).toBeUndefined();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject(result.expected);
  });

  it('writes none when it is refused', async () => {
    const { result, rows } = await auditedBy(() => table[mutation]!.refusal());
    expect(result.response.errors?.[0]?.extensions?.code).toBe(result.code);
    expect(rows).toEqual([]);
  });

  it('is refused to a token of the same subject and another region, and writes nothing (issue 10)', async () => {
    const state = () =>
      r.service.dataSource.query(
        `SELECT (SELECT json_agg(e ORDER BY e.id) FROM entitlement e) AS entitlements,
                (SELECT json_agg(f ORDER BY f.id) FROM fraud_signal f) AS signals`,
      ) as Promise<unknown[]>;
    const before = await state();
    const { result, rows } = await auditedBy(() => table[mutation]!.outOfScope());
    refusedOutOfScope(result);
    expect(rows).toEqual([]);
    expect(await state()).toEqual(before);
  });
});

it('audits each roster export once (ADM-5), and no refused one', async () => {
  const filter = { period: '2026-autumn', schoolId: SCHOOL };
  const exported = await auditedBy(() => graphql(r.service.url, EXPORT, { filter }, OFFICER));
  expect(exported.result.errors).toBeUndefined();
  expect(exported.rows).toEqual([
    expect.objectContaining({
      action: 'EXPORT_ELIGIBILITY_ROSTER',
      actor: 'officer-1',
      role: 'SUBSIDY_OFFICER',
      entity: 'eligibility_roster',
      entityId: `${SCHOOL}-2026-autumn`,
    }),
  ]);
  const refused = await auditedBy(() => graphql(r.service.url, EXPORT, { filter }, PARTNER));
  expect(refused.result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(refused.rows).toEqual([]);
});

it('writes one audit row per consumed event, naming the event as the actor', async () => {
  const rows = (await auditRows(r.service.dataSource)).filter((row) => row.role === 'SYSTEM');
  expect(rows.map((row) => [row.action, row.entityId, row.actor.split('#')[0]]).sort()).toEqual(
    [payable, twinA, twinB]
      .flatMap((id) => [
        ['RECORD_REGISTRATION', id, 'xueji.enrolment.student.registered.v1'],
        ['RECORD_REGISTRATION_APPROVAL', id, 'xueji.enrolment.registration.approved.v1'],
      ])
      .sort(),
  );
  expect(new Set(rows.map((row) => row.actor))).toEqual(new Set(enrolment.map((e) => `${e.type}#${e.id}`)));

  const suspension = changed(payable, 'SUSPENSION', '2026-11-01', '2026-11-01T08:00:00.000Z');
  const applied = await auditedBy(() => r.publish('status-change', [suspension]));
  expect(applied.rows).toEqual([
    {
      action: 'RECORD_STATUS_CHANGE',
      actor: `xueji.status-change.status.changed.v1#${suspension.id}`,
      role: 'SYSTEM',
      entity: 'subsidy_student',
      entityId: payable,
      reason: null,
    },
  ]);
});

it('writes one audit row per student a new period is opened for, naming the job', async () => {
  const env = {
    dataSource: r.service.dataSource,
    profile: loadPolicyProfile('national'),
    topics: r.service.topics,
    logger: r.service.logger,
    ...fixedOrRealClock('2027-03-05', false),
  };
  const opened = await auditedBy(() => openNewPeriods(env));
  expect(opened.result).toBe(3);
  expect(opened.rows.map((row) => [row.action, row.actor, row.role, row.entityId]).sort()).toEqual(
    [payable, twinA, twinB].map((id) => ['OPEN_PAYMENT_PERIOD', 'open-new-periods', 'SYSTEM', id]).sort(),
  );
  // Nothing left to open: no work, no audit row; a student already brought up to the period is
  // nothing to do (as when two instances run the job at once).
  expect((await auditedBy(() => openNewPeriods(env))).rows).toEqual([]);
  const again = await auditedBy(() =>
    openPaymentPeriod.runAsSystem(env.dataSource, env, systemActor('open-new-periods'), {
      studentId: payable,
      period: '2027-spring',
      startsOn: '2027-03-01',
    }),
  );
  expect(again).toEqual({ result: null, rows: [] });
});

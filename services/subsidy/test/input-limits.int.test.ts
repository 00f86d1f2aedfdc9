/**
 * Issue 10: `markEntitlementsPaid(ids: [""])` and other malformed input were database errors or
 * stored as given; the limits of `@xueji/rules` refuse them with BAD_USER_INPUT naming the field.
 */
import { randomUUID } from 'node:crypto';
import { graphql, tokenFor } from '@xueji/testkit';
import { enrolled, entitlements, startSubsidy, type Running } from './support';

jest.setTimeout(60_000);

const OFFICER = tokenFor({ subject: 'officer-1', role: 'SUBSIDY_OFFICER', regionCode: '420300' });
const MARK_PAID = `mutation ($ids: [ID!]!) { markEntitlementsPaid(ids: $ids) { id state } }`;
const REVIEW = `mutation ($id: ID!, $reason: String!) { reviewFraudSignal(id: $id, decision: DISMISS, reason: $reason) { id } }`;

let r: Running;
beforeAll(async () => {
  r = await startSubsidy('limits');
});
afterAll(() => r?.stop());

const audits = async () =>
  (
    (await r.service.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE actor = 'officer-1'`)) as {
      n: number;
    }[]
  )[0]!.n;

describe('subsidy input limits (real PostgreSQL and Kafka)', () => {
  it('markEntitlementsPaid refuses an empty or malformed id with BAD_USER_INPUT, and pays nothing', async () => {
    const student = randomUUID();
    await r.publish('enrolment', enrolled(student));
    const pending = (await entitlements(r.service, student)).filter((e) => e.state === 'PENDING');
    expect(pending.length).toBeGreaterThan(0);
    for (const [ids, field] of [
      [[''], 'ids[0]'],
      [[pending[0]!.id, 'not-a-uuid'], 'ids[1]'],
      [[pending[0]!.id, `${pending[0]!.id}\u0000`], 'ids[1]'],
      [Array.from({ length: 10_000 }, () => pending[0]!.id), 'ids'],
    ] as const) {
      const answer = await graphql(r.service.url, MARK_PAID, { ids }, OFFICER);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field } });
    }
    expect((await entitlements(r.service, student)).filter((e) => e.state === 'PAID')).toEqual([]);
    expect(await audits()).toBe(0);
  });

  it('reviewFraudSignal refuses a reason with control or bidi characters before looking the signal up', async () => {
    for (const reason of ['核实\u0000', '核实\u202E', '核'.repeat(100_000)]) {
      const answer = await graphql(r.service.url, REVIEW, { id: randomUUID(), reason }, OFFICER);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'reason' } });
    }
    expect(await audits()).toBe(0);
  });
});

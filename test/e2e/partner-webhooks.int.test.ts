/**
 * Issue 14, webhook delivery through the whole system: a withdrawal approved through the gateway
 * reaches a partner's endpoint as a signed CloudEvent within seconds (status-change → partner topic →
 * partners' inbox → delivery job); a receiver that first fails twice still accepts exactly one
 * delivery per event; a partner granted another region receives nothing; a paused one nothing until
 * resumed; and "changes since" answers the partner the same events in order, nothing ungranted.
 */
import { graphql, ok, tokenFor, waitFor } from '@xueji/testkit';
import { partnersService } from '../../services/partners/src/service';
import { startReceiver, type Receiver } from '../../services/partners/test/receiver';
import {
  CHANGES,
  FAST_DELIVERY,
  partnerToken,
  REGISTER,
  STATUS_TYPE,
  ELIGIBILITY_TYPE,
  type ChangesPage,
  type PartnerView,
} from '../../services/partners/test/support';
import { school, seedSchools } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';
import { formalStudent, withdrawStudent } from '../support/students';

jest.setTimeout(180_000);

describe('partner webhooks through the gateway (real PostgreSQL and Kafka)', () => {
  let stack: Stack;
  let A: string;
  const receivers: Receiver[] = [];
  const admin = tokenFor({ subject: 'admin', role: 'ADMINISTRATOR' });
  const registrar = (schoolId: string) =>
    tokenFor({ subject: `registrar-${schoolId}`, role: 'SCHOOL_REGISTRAR', schoolId });
  const reviewer = tokenFor({ subject: 'reviewer-220102', role: 'AUTHORITY_REVIEWER', regionCode: '220102' });

  async function partner(regionCode: string, eventTypes: string[]) {
    const hooks = await startReceiver();
    receivers.push(hooks);
    const { registerPartner } = ok(
      await graphql<{ registerPartner: { secret: string; partner: PartnerView } }>(
        stack.gatewayUrl,
        REGISTER,
        { input: { name: `Partner ${regionCode}`, eventTypes, regionCode, endpointUrl: hooks.url } },
        admin,
      ),
    );
    return { hooks, id: registerPartner.partner.id, secret: registerPartner.secret };
  }

  const adminCall = (name: string, partnerId: string) =>
    graphql(stack.gatewayUrl, `mutation ($id: ID!) { ${name}(partnerId: $id) { state } }`, { id: partnerId }, admin);

  beforeAll(async () => {
    stack = await startStack({ today: '2026-03-10', definitions: { partners: partnersService(FAST_DELIVERY) } });
    [A] = (await seedSchools(stack.services.enrolment, [school('PW-A01', '220102')])) as [string];
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('delivers a withdrawal to the partners granted it, once each, signed; changes-since agrees', async () => {
    const student = await formalStudent(
      stack,
      { schoolId: A, regionCode: '220102', registrar: registrar(A), reviewer },
      301,
      { entryDate: '2026-03-01', intake: 'SPRING' },
    );
    stack.setToday('2026-09-15');

    const city = await partner('220100', [STATUS_TYPE, ELIGIBILITY_TYPE]); // covers the school's county
    const elsewhere = await partner('220200', [STATUS_TYPE, ELIGIBILITY_TYPE]); // another city
    const paused = await partner('220000', [STATUS_TYPE]); // the province, but paused
    ok(await adminCall('pausePartner', paused.id));
    city.hooks.failNext(2);

    await withdrawStudent(stack, student, { registrar: registrar(A), reviewer }, '2026-09-15');
    const approvedAt = Date.now();

    // Within seconds, after two refusals: the withdrawal's partner event, signed.
    const withdrawal = await waitFor(
      async () =>
        city.hooks.received.find((r) => r.accepted && r.body.type === STATUS_TYPE && r.body.subject === student),
      { what: 'the withdrawal at the city partner', timeoutMs: 15_000 },
    );
    expect(Date.now() - approvedAt).toBeLessThan(15_000);
    expect(city.hooks.verify(withdrawal, city.secret)).toBe(true);
    expect(withdrawal.headers['webhook-id']).toBe(withdrawal.body.id);
    expect(withdrawal.body.data).toMatchObject({ studentId: student, newStatus: 'WITHDRAWN', regionCode: '220102' });
    expect(JSON.stringify(withdrawal.body)).not.toMatch(/idNumber|studentNumber/);
    expect(city.hooks.received.filter((r) => !r.accepted)).toHaveLength(2);

    // The changes-since view of the same partner: the same events, in the same order (one student's
    // deliveries keep their order), each once — from the first one delivered: the log also holds
    // events taken in before the partner was registered (the student's earlier eligibility, when
    // subsidy's event reached partners first), which no webhook carries.
    const changes = async () =>
      ok(await graphql<ChangesPage>(stack.gatewayUrl, CHANGES, { first: 100 }, partnerToken(city.id))).partnerChanges
        .edges;
    const sinceRegistered = (edges: Awaited<ReturnType<typeof changes>>) =>
      edges.slice(
        Math.max(
          0,
          edges.findIndex((e) => e.node.id === city.hooks.accepted()[0]?.id),
        ),
      );
    const logged = await waitFor(
      async () => {
        const edges = await changes();
        return edges.length > 0 && sinceRegistered(edges).length === city.hooks.accepted().length ? edges : null;
      },
      { what: 'every logged event delivered', timeoutMs: 30_000 },
    );
    expect(city.hooks.accepted().map((b) => b.id)).toEqual(sinceRegistered(logged).map((e) => e.node.id));
    expect(new Set(logged.map((e) => e.node.id)).size).toBe(logged.length);
    for (const { node } of logged) {
      expect([STATUS_TYPE, ELIGIBILITY_TYPE]).toContain(node.type);
      expect(node.data.regionCode).toBe('220102');
    }

    // Another region: nothing; paused: nothing until resumed, then the withdrawal.
    expect(elsewhere.hooks.received).toHaveLength(0);
    expect(
      ok(await graphql<ChangesPage>(stack.gatewayUrl, CHANGES, { first: 100 }, partnerToken(elsewhere.id)))
        .partnerChanges.edges,
    ).toEqual([]);
    expect(paused.hooks.received).toHaveLength(0);
    ok(await adminCall('resumePartner', paused.id));
    const caughtUp = await waitFor(async () => paused.hooks.accepted().find((b) => b.subject === student), {
      what: 'the resumed partner to catch up',
      timeoutMs: 10_000,
    });
    expect(caughtUp.id).toBe(withdrawal.body.id);
    expect(paused.hooks.accepted().every((b) => b.type === STATUS_TYPE)).toBe(true);
  });
});

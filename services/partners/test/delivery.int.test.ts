/**
 * Issue 14: partner events taken once from the partner topics, logged, and delivered to each partner
 * whose grants cover them — signed (Standard Webhooks), at least once, in order per student, retried
 * with backoff and dead-lettered after the limit — and read back by a partner as "changes since".
 */
import { randomUUID } from 'node:crypto';
import { graphql, ok, refusedWith, waitFor } from '@xueji/testkit';
import { startReceiver, type Receiver } from './receiver';
import {
  admin,
  CHANGES,
  eligibilityChanged,
  ELIGIBILITY_TYPE,
  partnerToken,
  partnerView,
  registered,
  startPartners,
  STATUS_TYPE,
  statusChanged,
  type ChangesPage,
  type Running,
} from './support';

jest.setTimeout(60_000);

describe('webhook delivery and changes since (real PostgreSQL and Kafka)', () => {
  let p: Running;
  const receivers: Receiver[] = [];
  const receiver = async () => {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  };

  beforeAll(async () => {
    p = await startPartners('delivery');
  });
  afterAll(async () => {
    await p?.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('delivers a granted event of its region as a signed CloudEvent, and nothing else', async () => {
    const hooks = await receiver();
    const { partner, secret } = await registered(p.url, { endpointUrl: hooks.url, regionCode: '220100' });
    expect(secret).toMatch(/^whsec_/);
    const student = randomUUID();
    const granted = statusChanged(student, '220102');
    await p.publish(
      statusChanged(randomUUID(), '220202'), // another region
      eligibilityChanged(randomUUID(), '220102'), // another type
      statusChanged(randomUUID(), null), // no region: no one's
      granted,
    );
    await waitFor(async () => hooks.accepted().length === 1, { what: 'the delivery' });
    const [request] = hooks.received;
    expect(request!.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    expect(request!.headers['webhook-id']).toBe(granted.id);
    expect(hooks.verify(request!, secret)).toBe(true);
    expect(hooks.verify(request!, `whsec_${Buffer.alloc(32, 1).toString('base64')}`)).not.toBe(true);
    expect(request!.body).toMatchObject({
      specversion: '1.0',
      id: granted.id,
      type: STATUS_TYPE,
      source: '/xueji/status-change',
      subject: student,
      data: { studentId: student, regionCode: '220102' },
    });
    await waitFor(async () => (await partnerView(p.url, partner.id)).delivery.lastSuccessAt !== null);
    expect((await partnerView(p.url, partner.id)).delivery).toMatchObject({ pending: 0, failures: 0, lagSeconds: 0 });
    // Nothing more arrives.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hooks.received).toHaveLength(1);
  });

  it('retries with backoff, keeps one student in order, and lets other students go on', async () => {
    const hooks = await receiver();
    const { partner } = await registered(p.url, { endpointUrl: hooks.url, regionCode: '220000' });
    const student = randomUUID();
    const other = randomUUID();
    hooks.failNext(2);
    const first = statusChanged(student, '220102', 'SUSPENSION');
    const second = statusChanged(student, '220102', 'RESUMPTION');
    await p.publish(first, second);
    await waitFor(async () => hooks.accepted().length === 2, { what: 'both deliveries' });
    // Two refusals, then each event accepted once, the student's in order.
    expect(hooks.received.map((r) => [r.body.id, r.accepted])).toEqual([
      [first.id, false],
      [first.id, false],
      [first.id, true],
      [second.id, true],
    ]);
    const view = await partnerView(p.url, partner.id);
    expect(view.delivery).toMatchObject({ pending: 0, failures: 2, deadLettered: 0, lastError: 'HTTP 503: not now' });
    expect(view.delivery.lastErrorAt).not.toBeNull();
    // Counted: xueji_webhook_deliveries_total{outcome}.
    const metrics = await (await fetch(p.url.replace(/\/graphql$/, '/metrics'))).text();
    const count = (outcome: string) =>
      Number(
        new RegExp(`^xueji_webhook_deliveries_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)`, 'm').exec(
          metrics,
        )?.[1],
      );
    expect(count('failed')).toBeGreaterThanOrEqual(2);
    expect(count('delivered')).toBeGreaterThanOrEqual(3);
    expect(metrics).toMatch(/^xueji_webhook_pending\{[^}]*\} 0$/m);

    // A dead-lettered event (4 attempts here) no longer holds the student's later events.
    hooks.failNext(4);
    const lost = statusChanged(other, '220102');
    const after = statusChanged(other, '220102', 'RESUMPTION');
    await p.publish(lost, after);
    await waitFor(async () => hooks.accepted().some((b) => b.id === after.id), { what: 'the later event' });
    expect(hooks.accepted().some((b) => b.id === lost.id)).toBe(false);
    expect((await partnerView(p.url, partner.id)).delivery).toMatchObject({ deadLettered: 1, pending: 0 });

    // Retried on request: delivered with the same webhook-id.
    const retry = ok(
      await graphql<{ retryDeadLetteredDeliveries: { requeued: number } }>(
        p.url,
        `
          mutation ($id: ID!) {
            retryDeadLetteredDeliveries(partnerId: $id) {
              requeued
            }
          }
        `,
        { id: partner.id },
        admin,
      ),
    );
    expect(retry.retryDeadLetteredDeliveries.requeued).toBe(1);
    await waitFor(async () => hooks.accepted().some((b) => b.id === lost.id), { what: 'the retried event' });
    expect(hooks.received.filter((r) => r.accepted && r.body.id === lost.id)).toHaveLength(1);
  });

  it('holds a paused partner’s deliveries, sends them when resumed, and replays from a time', async () => {
    const hooks = await receiver();
    const { partner } = await registered(p.url, {
      endpointUrl: hooks.url,
      regionCode: '220100',
      eventTypes: [STATUS_TYPE, ELIGIBILITY_TYPE],
    });
    const mutate = (name: string) =>
      graphql<Record<string, { state: string }>>(
        p.url,
        `mutation ($id: ID!) { ${name}(partnerId: $id) { state } }`,
        { id: partner.id },
        admin,
      );
    expect(ok(await mutate('pausePartner')).pausePartner!.state).toBe('PAUSED');
    refusedWith(await mutate('pausePartner'), 'CONFLICT');
    const since = new Date();
    const events = [statusChanged(randomUUID(), '220102'), eligibilityChanged(randomUUID(), '220103')];
    await p.publish(...events);
    await waitFor(async () => (await partnerView(p.url, partner.id)).delivery.pending === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hooks.received).toHaveLength(0);
    expect((await partnerView(p.url, partner.id)).delivery.lagSeconds).toBeGreaterThan(0);

    expect(ok(await mutate('resumePartner')).resumePartner!.state).toBe('ACTIVE');
    await waitFor(async () => hooks.accepted().length === 2, { what: 'the held deliveries' });
    expect(
      hooks
        .accepted()
        .map((b) => b.id)
        .sort(),
    ).toEqual(events.map((e) => e.id).sort());

    const replay = ok(
      await graphql<{ replayPartnerDeliveries: { requeued: number } }>(
        p.url,
        `
          mutation ($id: ID!, $from: DateTime!) {
            replayPartnerDeliveries(partnerId: $id, from: $from) {
              requeued
            }
          }
        `,
        { id: partner.id, from: new Date(since.getTime() - 60_000).toISOString() },
        admin,
      ),
    );
    // Every logged event of its grants in that time: these two (others of its region may be there too).
    expect(replay.replayPartnerDeliveries.requeued).toBeGreaterThanOrEqual(2);
    await waitFor(async () => events.every((e) => hooks.accepted().filter((b) => b.id === e.id).length === 2), {
      what: 'the replayed deliveries, with the same ids',
    });
  });

  it('changes since: the calling partner’s types and region, in log order, page by page', async () => {
    const hooks = await receiver();
    const { partner } = await registered(p.url, { endpointUrl: hooks.url, regionCode: '350100' });
    const mine = [statusChanged(randomUUID(), '350102'), statusChanged(randomUUID(), '350103')];
    await p.publish(
      mine[0]!,
      eligibilityChanged(randomUUID(), '350102'), // not granted
      statusChanged(randomUUID(), '350202'), // another city
      mine[1]!,
    );
    const token = partnerToken(partner.id);
    const first = ok(await graphql<ChangesPage>(p.url, CHANGES, { first: 1 }, token)).partnerChanges;
    expect(first.edges.map((e) => e.node.id)).toEqual([mine[0]!.id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = ok(
      await graphql<ChangesPage>(p.url, CHANGES, { first: 10, after: first.pageInfo.endCursor }, token),
    ).partnerChanges;
    expect(rest.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({
        id: mine[1]!.id,
        type: STATUS_TYPE,
        data: expect.objectContaining({ regionCode: '350103' }),
      }),
    ]);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    // Not a partner, an unregistered one, a bad cursor.
    refusedWith(await graphql(p.url, CHANGES, { first: 10 }, admin), 'FORBIDDEN');
    refusedWith(await graphql(p.url, CHANGES, { first: 10 }, partnerToken(randomUUID())), 'FORBIDDEN');
    refusedWith(await graphql(p.url, CHANGES, { first: 10, after: 'nonsense' }, token), 'BAD_USER_INPUT');
  });
});

import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@xueji/events';
import type { RunningService } from '@xueji/service-kit';
import { graphql, tokenFor } from '@xueji/testkit';
import { changed, current, enrolled, entitlements, SCHOOL, startSubsidy, type Running } from './support';

jest.setTimeout(90_000);

/** Suspended in autumn 2026, resumed for autumn 2027 (published in spring 2028). */
function history(studentId: string): EventEnvelope[] {
  return [
    changed(studentId, 'SUSPENSION', '2026-10-01', '2027-03-05T10:00:00.000Z'),
    changed(studentId, 'RESUMPTION', '2027-08-20', '2028-03-05T10:00:00.000Z'),
  ];
}

/** Every decision row, superseded ones included, without ids. */
async function allDecisions(service: RunningService, withTimes: boolean) {
  return service.dataSource.query(
    `SELECT student_id, period, period_starts_on::text, grant_eligible, waiver_eligible, reasons, facts
            ${withTimes ? ', decided_at, superseded_at' : ''}
       FROM eligibility_decision ${withTimes ? '' : 'WHERE superseded_at IS NULL'}
      ORDER BY student_id, period_starts_on, decided_at, superseded_at NULLS LAST`,
  ) as Promise<unknown[]>;
}

/** Every fraud signal, without ids; with the times they were raised and checked when asked. */
async function allSignals(service: RunningService, withTimes: boolean) {
  return (await service.dataSource.query(
    `SELECT student_id, kind, subject_key, period, evidence, still_holds, state${withTimes ? ', raised_at, checked_at' : ''}
       FROM fraud_signal ORDER BY student_id, kind, subject_key`,
  )) as { kind: string }[];
}

const MARK_PAID = /* GraphQL */ `
  mutation ($ids: [ID!]!) {
    markEntitlementsPaid(ids: $ids) {
      id
      period
      state
      amountCny
    }
  }
`;

describe('subsidy eligibility timeline and entitlements (real PostgreSQL and Kafka)', () => {
  const started: Running[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });
  const start = async (label: string) => {
    const s = await startSubsidy(label);
    started.push(s);
    return s;
  };

  it('SB-1: a student entering 2027-03-01 has nothing for 2026-autumn, on a day of it or after a re-approval moved the entry', async () => {
    const { service, publish } = await start('entry');
    const officer = tokenFor({ subject: 'o1', role: 'SUBSIDY_OFFICER', regionCode: '420300' });
    const springIntake = { entryDate: '2027-03-01', approvedAt: '2027-02-25T09:00:00.000Z' };
    const later = randomUUID();
    await publish('enrolment', enrolled(later, { ...springIntake, registeredAt: '2027-02-20T08:00:00.000Z' }));
    const ask = (id: string, asOf: string) =>
      graphql<{
        _entities: {
          subsidyEligibility: {
            period: string;
            grant: { eligible: boolean; reasons: { rule: string; met: boolean; messageEn: string }[] };
            tuitionWaiver: { eligible: boolean };
          };
          subsidyTimeline: { period: string; grant: { eligible: boolean } }[];
        }[];
      }>(
        service.url,
        `
          query ($r: [_Any!]!, $asOf: String) {
            _entities(representations: $r) {
              ... on Student {
                subsidyEligibility(asOf: $asOf) {
                  period
                  grant {
                    eligible
                    reasons {
                      rule
                      met
                      messageEn
                    }
                  }
                  tuitionWaiver {
                    eligible
                  }
                }
                subsidyTimeline {
                  period
                  grant {
                    eligible
                  }
                }
              }
            }
          }
        `,
        { r: [{ __typename: 'Student', id }], asOf },
        officer,
      );
    const autumn = (await ask(later, '2026-10-01')).data!._entities[0]!;
    expect(autumn.subsidyEligibility).toMatchObject({
      period: '2026-autumn',
      grant: { eligible: false },
      tuitionWaiver: { eligible: false },
    });
    expect(autumn.subsidyEligibility.grant.reasons[0]).toEqual({
      rule: 'SB-1',
      met: false,
      messageEn: 'Not yet enrolled on 2026-10-01 (entry on 2027-03-01): no benefits before entry',
    });
    expect(autumn.subsidyTimeline).toEqual([{ period: '2027-spring', grant: { eligible: true } }]);
    expect((await ask(later, '2027-03-01')).data!._entities[0]!.subsidyEligibility.grant.eligible).toBe(true);

    // Approved first for 2026-09-01, then approved again for a spring entry: 2026-autumn is decided again.
    const deferred = randomUUID();
    await publish('enrolment', enrolled(deferred));
    expect(await current(service, deferred)).toEqual([{ period: '2026-autumn', grant: true, waiver: true }]);
    await publish('enrolment', enrolled(deferred, springIntake).slice(1));
    expect(await current(service, deferred)).toEqual([
      { period: '2026-autumn', grant: false, waiver: false },
      { period: '2027-spring', grant: true, waiver: true },
    ]);
    expect((await entitlements(service, deferred)).map((e) => [e.period, e.state])).toEqual([
      ['2026-autumn', 'CANCELLED'],
      ['2027-spring', 'PENDING'],
    ]);
  });

  it('decides each period from the events, keeps entitlements in step, and a withdrawal cancels or flags them (SB-2, SB-3)', async () => {
    const { service, publish } = await start('chain');
    const id = randomUUID();
    await publish('enrolment', enrolled(id));
    expect(await current(service, id)).toEqual([{ period: '2026-autumn', grant: true, waiver: true }]);

    await publish('status-change', history(id));
    expect(await current(service, id)).toEqual([
      { period: '2026-autumn', grant: true, waiver: true },
      { period: '2027-spring', grant: false, waiver: false },
      { period: '2027-autumn', grant: true, waiver: true },
      { period: '2028-spring', grant: true, waiver: true },
    ]);
    const [spring] = (await service.dataSource.query(
      `SELECT reasons, facts FROM eligibility_decision WHERE student_id = $1 AND period = '2027-spring' AND superseded_at IS NULL`,
      [id],
    )) as { reasons: { grant: { rule: string; met: boolean }[] }; facts: Record<string, unknown> }[];
    expect(spring!.reasons.grant).toContainEqual(expect.objectContaining({ rule: 'SB-2', met: false }));
    expect(spring!.facts).toMatchObject({ studentStatus: 'SUSPENDED', statusSince: '2026-10-01', studyYear: 1 });
    expect((await entitlements(service, id)).map((e) => [e.period, e.state, e.amount])).toEqual([
      ['2026-autumn', 'PENDING', 1000],
      ['2027-autumn', 'PENDING', 1000],
      ['2028-spring', 'PENDING', 1000],
    ]);

    // Only a subsidy officer whose region covers the student marks entitlements paid.
    const autumn2027 = (await entitlements(service, id)).find((e) => e.period === '2027-autumn')!;
    const elsewhere = tokenFor({ subject: 'o2', role: 'SUBSIDY_OFFICER', regionCode: '220000' });
    const registrar = tokenFor({ subject: 'r', role: 'SCHOOL_REGISTRAR', schoolId: SCHOOL });
    for (const token of [elsewhere, registrar]) {
      const denied = await graphql(service.url, MARK_PAID, { ids: [autumn2027.id] }, token);
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const officer = tokenFor({ subject: 'o1', role: 'SUBSIDY_OFFICER', regionCode: '420300' });
    const paid = await graphql<{ markEntitlementsPaid: { state: string }[] }>(
      service.url,
      MARK_PAID,
      { ids: [autumn2027.id] },
      officer,
    );
    expect(paid.errors).toBeUndefined();
    expect(paid.data!.markEntitlementsPaid).toEqual([
      { id: autumn2027.id, period: '2027-autumn', state: 'PAID', amountCny: 1000 },
    ]);

    // A withdrawal effective before autumn 2027 ends every later period (SB-3).
    const beforeWithdrawal = new Date().toISOString();
    await publish('status-change', [changed(id, 'WITHDRAWAL', '2027-08-25', '2028-03-10T10:00:00.000Z')]);
    expect(await current(service, id)).toEqual([
      { period: '2026-autumn', grant: true, waiver: true },
      { period: '2027-spring', grant: false, waiver: false },
      { period: '2027-autumn', grant: false, waiver: false },
      { period: '2028-spring', grant: false, waiver: false },
    ]);
    expect((await entitlements(service, id)).map((e) => [e.period, e.state, e.recovery])).toEqual([
      ['2026-autumn', 'PENDING', false],
      ['2027-autumn', 'PAID', true],
      ['2028-spring', 'CANCELLED', false],
    ]);

    // The changes went out through the outbox: internal with reasons, partner copy without.
    const outbox = (await service.dataSource.query(
      `SELECT topic, event_type, payload FROM outbox_message WHERE message_key = $1 ORDER BY seq`,
      [id],
    )) as { topic: string; event_type: string; payload: string }[];
    const internal = outbox.filter((m) => m.event_type === 'xueji.subsidy.eligibility.changed.v1');
    const partner = outbox.filter((m) => m.event_type === 'xueji.subsidy.partner.eligibility-changed.v1');
    expect(internal.length).toBeGreaterThan(0);
    expect(partner).toHaveLength(internal.length);
    expect(partner.every((m) => m.topic.endsWith('xueji.partner.eligibility'))).toBe(true);
    const lastPartner = JSON.parse(partner.at(-1)!.payload) as Record<string, unknown>;
    // Issue 14: the partner copy names the student's school and its county (region-scoped partners), no reasons.
    expect(Object.keys(lastPartner).sort()).toEqual(
      ['decidedAt', 'grantEligible', 'period', 'regionCode', 'schoolId', 'studentId', 'waiverEligible'].sort(),
    );
    expect(lastPartner).toMatchObject({ studentId: id, schoolId: SCHOOL, regionCode: '420302' });
    expect(JSON.parse(internal.at(-1)!.payload)).toMatchObject({
      studentId: id,
      grantEligible: false,
      grantReasons: expect.arrayContaining([expect.objectContaining({ rule: 'SB-3', met: false })]),
    });
    expect(
      outbox
        .filter((m) => m.event_type === 'xueji.subsidy.waiver.granted.v1')
        .map((m) => (JSON.parse(m.payload) as { period: string }).period),
    ).toEqual(['2026-autumn', '2027-autumn', '2028-spring']);

    // As it stood before the withdrawal's event: autumn 2027 and spring 2028 still eligible, and why.
    const asOf = await graphql<{
      _entities: {
        subsidyTimeline: { period: string; grant: { eligible: boolean }; facts: { studentStatus: string } }[];
      }[];
    }>(
      service.url,
      `
        query ($r: [_Any!]!, $asOf: DateTime) {
          _entities(representations: $r) {
            ... on Student {
              subsidyTimeline(asOf: $asOf) {
                period
                grant {
                  eligible
                }
                facts {
                  studentStatus
                }
              }
            }
          }
        }
      `,
      { r: [{ __typename: 'Student', id }], asOf: '2028-03-09T00:00:00Z' },
      officer,
    );
    expect(
      asOf.data!._entities[0]!.subsidyTimeline.map((p) => [p.period, p.grant.eligible, p.facts.studentStatus]),
    ).toEqual([
      ['2026-autumn', true, null],
      ['2027-spring', false, 'SUSPENDED'],
      ['2027-autumn', true, 'ACTIVE'],
      ['2028-spring', true, 'ACTIVE'],
    ]);
    // Before the student was known to subsidy, nothing was in force.
    const before = await graphql<{ _entities: { subsidyTimeline: unknown[] }[] }>(
      service.url,
      `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on Student {
              subsidyTimeline(asOf: "2026-01-01T00:00:00Z") {
                period
              }
            }
          }
        }
      `,
      { r: [{ __typename: 'Student', id }] },
      officer,
    );
    expect(before.data!._entities[0]!.subsidyTimeline).toEqual([]);

    // Reconciliation: what was recorded since a time (not the events' own times), in the caller's region only.
    const since = await graphql<{ eligibilityChangedSince: { studentId: string; period: string }[] }>(
      service.url,
      `
        query ($since: DateTime!) {
          eligibilityChangedSince(since: $since) {
            studentId
            period
            grant {
              eligible
            }
          }
        }
      `,
      { since: beforeWithdrawal },
      officer,
    );
    expect(since.data!.eligibilityChangedSince.map((p) => p.period)).toEqual(['2027-autumn', '2028-spring']);
    const other = await graphql<{ eligibilityChangedSince: unknown[] }>(
      service.url,
      `
        query {
          eligibilityChangedSince(since: "2020-01-01T00:00:00Z") {
            period
          }
        }
      `,
      {},
      elsewhere,
    );
    expect(other.data!.eligibilityChangedSince).toEqual([]);
  });

  it('the same events twice, in reverse order, and replayed into a fresh database give the same decisions and signals', async () => {
    const students = [randomUUID(), randomUUID()];
    // Two records of one person (SB-4 double status), and a term-registration lapse while claimed (ghost student).
    const twins = [randomUUID(), randomUUID()];
    const enrolment = [
      ...students.flatMap((id) => enrolled(id)),
      ...twins.flatMap((id) => enrolled(id, { idNumber: '420302201009015678' })),
      createEvent(
        'xueji.enrolment.term-registration.lapsed.v1',
        students[1]!,
        {
          studentId: students[1]!,
          schoolId: SCHOOL,
          regionCode: '420302',
          term: '2026-autumn',
          termStartsOn: '2026-09-01',
          detectedAt: '2026-09-16T01:00:00.000Z',
        },
        { time: new Date('2026-09-16T01:00:00.000Z') },
      ),
    ];
    const changes = students.flatMap((id) => [
      ...history(id),
      changed(id, 'WITHDRAWAL', '2027-08-25', '2028-03-10T10:00:00.000Z'),
    ]);
    // One at a time: three consumers creating their topics at once trip the single test broker.
    const forward = await start('forward');
    const reverse = await start('reverse');
    const replay = await start('replay');

    await forward.publish('enrolment', enrolment);
    await forward.publish('status-change', changes);
    // Delivered again: the inbox drops the duplicates, nothing changes.
    const before = await allDecisions(forward.service, true);
    await forward.publish('enrolment', enrolment);
    await forward.publish('status-change', changes);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await allDecisions(forward.service, true)).toEqual(before);

    // Reverse order: the withdrawal before the registration it refers to.
    await reverse.publish('status-change', [...changes].reverse());
    await reverse.publish('enrolment', [...enrolment].reverse());
    expect(await allDecisions(reverse.service, false)).toEqual(await allDecisions(forward.service, false));
    const forwardSignals = await allSignals(forward.service, false);
    expect(forwardSignals.map((f) => f.kind).sort()).toEqual(['DOUBLE_STATUS', 'DOUBLE_STATUS', 'GHOST_STUDENT']);
    expect(await allSignals(reverse.service, false)).toEqual(forwardSignals);

    // A full replay of the topics into a fresh database rebuilds identical rows, times included.
    await replay.publish('enrolment', enrolment);
    await replay.publish('status-change', changes);
    expect(await allDecisions(replay.service, true)).toEqual(await allDecisions(forward.service, true));
    expect(await allSignals(replay.service, true)).toEqual(await allSignals(forward.service, true));
    expect(await current(replay.service, students[0]!)).toHaveLength(4);
  });
});

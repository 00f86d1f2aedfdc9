/**
 * Replay identity (issue 10, "Services that disagree"): subsidy's read model rebuilt from the
 * topics alone — a new database, every event applied again by `replayReadModel` — holds the same
 * rows as the live run: decisions with their times, superseded ones included, entitlements
 * cancelled and restored, the waiver history, fraud signals. Only what says when this copy was
 * written differs (`recorded_at`, surrogate ids, the inbox and outbox bookkeeping).
 */
import { randomUUID } from 'node:crypto';
import { createEvent, type EventEnvelope } from '@xueji/events';
import { replayReadModel, ReplayRefused, startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  deliverEvents,
  dropTestDatabase,
  testServiceConfig,
  testTopicPrefix,
  waitFor,
} from '@xueji/testkit';
import { subsidy } from '../src/service';
import { at, changed, enrolled } from './support';

jest.setTimeout(120_000);

/** Bookkeeping of this copy, not facts: never compared. */
const NOT_FACTS = new Set(['inbox_message', 'outbox_message', 'audit_entry', 'migrations', 'typeorm_metadata']);
/** Columns saying when or under which surrogate key this copy wrote a row. */
const LOCAL_COLUMNS = new Set(['id', 'recorded_at']);

/** Every fact table, every row, without local columns, in a stable order. */
async function dump(service: RunningService): Promise<Record<string, string[]>> {
  const tables = (await service.dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  )) as { table_name: string }[];
  const result: Record<string, string[]> = {};
  for (const { table_name: table } of tables) {
    if (NOT_FACTS.has(table)) continue;
    const rows = (await service.dataSource.query(`SELECT * FROM "${table}"`)) as Record<string, unknown>[];
    result[table] = rows
      .map((row) => JSON.stringify(Object.entries(row).filter(([column]) => !LOCAL_COLUMNS.has(column))))
      .sort();
  }
  return result;
}

describe('subsidy replayed from the topics gives the live run’s rows (SB-1 … SB-7, SB-4)', () => {
  const topicPrefix = testTopicPrefix();
  const topic = (producer: string) => `${topicPrefix}xueji.${producer}.events`;
  const databases: string[] = [];
  const running: RunningService[] = [];
  afterAll(async () => {
    await Promise.all(running.map((s) => s.stop()));
    await Promise.all(databases.map((d) => dropTestDatabase(d)));
  });

  it('the same rows after a full replay; the replayed service goes on from where the replay ended', async () => {
    const live = await createTestDatabase('subsidy_replay_live');
    databases.push(live);
    const config = (databaseUrl: string) =>
      testServiceConfig('subsidy', { databaseUrl, topicPrefix, relay: false, today: '2027-03-15' });
    const first = await startService(subsidy, config(live));
    running.push(first);

    const [s1, s2, s3, s4, s5, s6] = Array.from({ length: 6 }, () => randomUUID());
    const otherSchool = randomUUID();
    // The live run meets events as they happen: in time order, across the topics.
    const happened: [string, EventEnvelope][] = [
      ...enrolled(s1).map((e) => ['enrolment', e] as [string, EventEnvelope]),
      ...enrolled(s2).map((e) => ['enrolment', e] as [string, EventEnvelope]),
      ...enrolled(s3).map((e) => ['enrolment', e] as [string, EventEnvelope]),
      ...enrolled(s4).map((e) => ['enrolment', e] as [string, EventEnvelope]),
      ...enrolled(s5, { idNumber: '420302201009011234' }).map((e) => ['enrolment', e] as [string, EventEnvelope]),
      ['status-change', changed(s2, 'SUSPENSION', '2026-09-05', '2026-09-04T02:00:00.000Z')],
      ['status-change', changed(s4, 'WITHDRAWAL', '2026-09-06', '2026-09-05T02:00:00.000Z')],
      // SB-1: approved again for a spring entry, so nothing before it: the autumn entitlement is cancelled.
      ...enrolled(s3, { entryDate: '2027-03-01', approvedAt: '2026-12-05T02:00:00.000Z' })
        .slice(1)
        .map((e) => ['enrolment', e] as [string, EventEnvelope]),
      // SB-4: the same person claimed at a second school.
      ...enrolled(s6, {
        idNumber: '420302201009011234',
        schoolId: otherSchool,
        registeredAt: '2026-12-10T02:00:00.000Z',
        approvedAt: '2026-12-12T02:00:00.000Z',
      }).map((e) => ['enrolment', e] as [string, EventEnvelope]),
      [
        'assessment',
        createEvent(
          'xueji.assessment.truancy.recorded.v1',
          s1,
          { studentId: s1, semester: '2026-2027-1', truantHours: 95, recordedAt: '2026-12-20T02:00:00.000Z' },
          at('2026-12-20T02:00:00.000Z'),
        ),
      ],
      [
        'enrolment',
        createEvent(
          'xueji.enrolment.personal-data.corrected.v1',
          s1,
          {
            studentId: s1,
            requestId: randomUUID(),
            effectiveDate: '2027-01-05',
            corrections: [{ field: 'household', newValue: 'URBAN_ECONOMIC_DIFFICULTY' }],
            correctedAt: '2027-01-05T02:00:00.000Z',
          },
          at('2027-01-05T02:00:00.000Z'),
        ),
      ],
      ['status-change', changed(s2, 'RESUMPTION', '2027-03-01', '2027-02-28T02:00:00.000Z')],
    ];
    for (const [producer, event] of happened) await deliverEvents(first, topic(producer), [event]);
    const before = await dump(first);
    // What the replay must reproduce is there: superseded decisions, a cancelled entitlement, signals.
    expect(before.eligibility_decision!.some((r) => r.includes('"superseded_at",null') === false)).toBe(true);
    expect(before.entitlement!.some((r) => r.includes('"CANCELLED"'))).toBe(true);
    expect(before.fraud_signal!.length).toBeGreaterThan(0);
    await first.stop();
    running.pop();

    // Never over a database that holds applied events: it would mix two histories.
    await expect(replayReadModel(subsidy, config(live))).rejects.toThrow(ReplayRefused);

    // A new database, rebuilt from the topics alone; the service's group moved to where it ended.
    const rebuilt = await createTestDatabase('subsidy_replay_rebuilt');
    databases.push(rebuilt);
    const summary = await replayReadModel(subsidy, config(rebuilt));
    expect(summary.outcomes).toEqual({ APPLIED: happened.length, DUPLICATE: 0, IGNORED: 0, DEAD_LETTERED: 0 });
    const second = await startService(subsidy, config(rebuilt));
    running.push(second);
    expect(await dump(second)).toEqual(before);

    // It goes on from there: the next event is applied, nothing read before is applied again.
    await deliverEvents(second, topic('status-change'), [
      changed(s1, 'WITHDRAWAL', '2027-03-10', '2027-03-09T02:00:00.000Z'),
    ]);
    await waitFor(
      async () =>
        ((await second.dataSource.query(`SELECT count(*)::int AS n FROM inbox_message`)) as { n: number }[])[0]!.n ===
        happened.length + 1,
      { what: 'the replayed service to apply the next event only' },
    );
  });
});

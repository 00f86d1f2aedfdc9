import { randomUUID } from 'node:crypto';
import { fixedOrRealClock } from '@xueji/config';
import { createEvent } from '@xueji/events';
import { loadPolicyProfile } from '@xueji/policy';
import { readSheet } from '@xueji/spreadsheet';
import { graphql, tokenFor } from '@xueji/testkit';
import { openNewPeriods } from '../src/jobs/open-periods';
import { at, changed, current, enrolled, entitlements, SCHOOL, startSubsidy, type Running } from './support';

jest.setTimeout(90_000);

const OFFICER = tokenFor({ subject: 'officer-1', role: 'SUBSIDY_OFFICER', regionCode: '420300' });
const OFFICER_ELSEWHERE = tokenFor({ subject: 'officer-2', role: 'SUBSIDY_OFFICER', regionCode: '220000' });
const REGISTRAR = tokenFor({ subject: 'registrar-1', role: 'SCHOOL_REGISTRAR', schoolId: SCHOOL });
const PARTNER = tokenFor({ subject: 'partner-1', role: 'PARTNER' });

interface SignalRow {
  student_id: string;
  kind: string;
  subject_key: string;
  still_holds: boolean;
  state: string;
}

async function signals(r: Running, studentIds: string[]): Promise<SignalRow[]> {
  return (await r.service.dataSource.query(
    `SELECT student_id, kind, subject_key, still_holds, state FROM fraud_signal
      WHERE student_id = ANY($1::uuid[]) ORDER BY student_id, kind, subject_key`,
    [studentIds],
  )) as SignalRow[];
}

const MARK_PAID = `mutation ($ids: [ID!]!) { markEntitlementsPaid(ids: $ids) { id state } }`;
const REVIEW = `
  mutation ($id: ID!, $decision: FraudSignalDecision!, $reason: String!) {
    reviewFraudSignal(id: $id, decision: $decision, reason: $reason) { id state reviewedBy reviewReason stillHolds }
  }`;
const SIGNALS = `
  query ($filter: FraudSignalFilter) {
    fraudSignals(filter: $filter) { id studentId kind period messageZh messageEn stillHolds state evidence { key value } }
  }`;

function schoolCatalogue(schoolId: string, time: string, majors: string[], points: string[]) {
  return createEvent(
    'xueji.enrolment.school.registered.v1',
    schoolId,
    {
      schoolId,
      code: `S${schoolId.slice(0, 6)}`,
      name: `测试学校${schoolId.slice(0, 4)}`,
      regionCode: '420302',
      authorityRegionCode: '420302',
      nationalKey: false,
      status: 'ACTIVE',
      approvedMajorCodes: majors,
      teachingPointIds: points,
    },
    at(time),
  );
}

describe('SB-4 fraud signals, rosters and new periods (real PostgreSQL and Kafka)', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startSubsidy('signals', '2026-11-20');
  });
  afterAll(async () => {
    await r.stop();
  });

  it('SB-4 double status: raised on both records, holds payment until reviewed, ends when one leaves', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const otherSchool = randomUUID();
    await r.publish('enrolment', [
      ...enrolled(a, { idNumber: '420302201009011234' }),
      ...enrolled(b, {
        idNumber: '420302201009011234',
        schoolId: otherSchool,
        registeredAt: '2026-09-02T08:00:00.000Z',
        approvedAt: '2026-09-05T09:00:00.000Z',
      }),
    ]);
    expect(await signals(r, [a, b])).toEqual(
      [
        { student_id: a, kind: 'DOUBLE_STATUS', subject_key: b, still_holds: true, state: 'OPEN' },
        { student_id: b, kind: 'DOUBLE_STATUS', subject_key: a, still_holds: true, state: 'OPEN' },
      ].sort((x, y) => x.student_id.localeCompare(y.student_id)),
    );
    const raised = (await r.service.dataSource.query(
      `SELECT payload FROM outbox_message WHERE event_type = 'xueji.subsidy.fraud-signal.raised.v1' AND message_key = ANY($1)`,
      [[a, b]],
    )) as { payload: string }[];
    expect(raised.map((m) => (JSON.parse(m.payload) as { kind: string }).kind)).toEqual([
      'DOUBLE_STATUS',
      'DOUBLE_STATUS',
    ]);

    // The officer sees it with its evidence, in the region only.
    const listed = await graphql<{
      fraudSignals: { id: string; studentId: string; evidence: { key: string; value: string }[] }[];
    }>(r.service.url, SIGNALS, { filter: { kind: 'DOUBLE_STATUS', state: 'OPEN' } }, OFFICER);
    const signalOfA = listed.data!.fraudSignals.find((s) => s.studentId === a)!;
    expect(signalOfA.evidence).toContainEqual({ key: 'otherSchoolId', value: otherSchool });
    const elsewhere = await graphql<{ fraudSignals: unknown[] }>(r.service.url, SIGNALS, {}, OFFICER_ELSEWHERE);
    expect(elsewhere.data!.fraudSignals).toEqual([]);
    expect((await graphql(r.service.url, SIGNALS, {}, PARTNER)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // SB-4: payment to a student under an open signal is refused, the whole batch unwritten.
    const pending = (await entitlements(r.service, a)).filter((e) => e.state === 'PENDING');
    expect(pending.length).toBeGreaterThan(0);
    const held = await graphql(r.service.url, MARK_PAID, { ids: pending.map((e) => e.id) }, OFFICER);
    expect(held.errors?.[0]?.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'SB-4' });
    expect((await entitlements(r.service, a)).filter((e) => e.state === 'PAID')).toEqual([]);

    // Review: officers of the region only, with a reason, once.
    const review = (token: string, reason = '经核实为同一学生在两校重复注册，已要求乙校注销') =>
      graphql<{ reviewFraudSignal: { state: string; reviewedBy: string; reviewReason: string } }>(
        r.service.url,
        REVIEW,
        { id: signalOfA.id, decision: 'DISMISS', reason },
        token,
      );
    expect((await review(REGISTRAR)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await review(OFFICER_ELSEWHERE)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await review(OFFICER, '   ')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const dismissed = await review(OFFICER);
    expect(dismissed.data!.reviewFraudSignal).toMatchObject({ state: 'DISMISSED', reviewedBy: 'officer-1' });
    expect((await review(OFFICER)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(
      await r.service.dataSource.query(`SELECT actor, action, reason FROM audit_entry WHERE entity_id = $1`, [
        signalOfA.id,
      ]),
    ).toEqual([
      { actor: 'officer-1', action: 'DISMISS_FRAUD_SIGNAL', reason: '经核实为同一学生在两校重复注册，已要求乙校注销' },
    ]);

    // Dismissed: payment goes ahead.
    const paid = await graphql<{ markEntitlementsPaid: { state: string }[] }>(
      r.service.url,
      MARK_PAID,
      { ids: [pending[0]!.id] },
      OFFICER,
    );
    expect(paid.data!.markEntitlementsPaid).toEqual([{ id: pending[0]!.id, state: 'PAID' }]);

    // B withdraws: neither record holds a double status any more; the reviews stay.
    await r.publish('status-change', [changed(b, 'WITHDRAWAL', '2026-10-08', '2026-10-08T10:00:00.000Z', otherSchool)]);
    expect(
      (await signals(r, [a, b])).map((s) => [s.student_id === a ? 'a' : 'b', s.still_holds, s.state]).sort(),
    ).toEqual([
      ['a', false, 'DISMISSED'],
      ['b', false, 'OPEN'],
    ]);
  });

  it('SB-4 ghost students: aid claimed while term registration lapsed, or truant at SC-17’s limit', async () => {
    const [lapsed, truant, almost] = [randomUUID(), randomUUID(), randomUUID()];
    await r.publish('enrolment', [...enrolled(lapsed), ...enrolled(truant), ...enrolled(almost)]);
    await r.publish('enrolment', [
      createEvent(
        'xueji.enrolment.term-registration.lapsed.v1',
        lapsed,
        {
          studentId: lapsed,
          schoolId: SCHOOL,
          regionCode: '420302',
          term: '2026-autumn',
          termStartsOn: '2026-09-01',
          detectedAt: '2026-09-16T01:00:00.000Z',
        },
        at('2026-09-16T01:00:00.000Z'),
      ),
    ]);
    const truancy = (studentId: string, hours: number) =>
      createEvent(
        'xueji.assessment.truancy.recorded.v1',
        studentId,
        { studentId, semester: '2026-2027-1', truantHours: hours, recordedAt: '2026-11-02T08:00:00.000Z' },
        at('2026-11-02T08:00:00.000Z'),
      );
    await r.publish('assessment', [truancy(truant, 90), truancy(almost, 89)]);
    expect(
      (await signals(r, [lapsed, truant, almost])).map((s) => [s.student_id, s.kind, s.subject_key]).sort(),
    ).toEqual(
      [
        [lapsed, 'GHOST_STUDENT', '2026-autumn'],
        [truant, 'GHOST_STUDENT', '2026-autumn'],
      ].sort(),
    );
  });

  it('SB-4 registration after the window, unapproved major and unnamed teaching point — whichever arrives first', async () => {
    const school = randomUUID();
    const [named, unnamed] = [randomUUID(), randomUUID()];
    const late = randomUUID();
    // The student arrives before the school's catalogue: judged again when it comes.
    await r.publish('enrolment', [
      ...enrolled(late, {
        schoolId: school,
        majorCode: '660301',
        teachingPointId: unnamed,
        registeredAt: '2026-12-05T02:00:00.000Z',
        approvedAt: '2026-12-06T02:00:00.000Z',
      }),
    ]);
    expect((await signals(r, [late])).map((s) => s.kind)).toEqual(['LATE_REGISTRATION']);
    await r.publish('enrolment', [schoolCatalogue(school, '2026-12-07T00:00:00.000Z', ['710201'], [named])]);
    expect((await signals(r, [late])).map((s) => [s.kind, s.subject_key, s.still_holds])).toEqual([
      ['LATE_REGISTRATION', 'registration', true],
      ['OFF_SITE_POINT', unnamed, true],
      ['UNAPPROVED_MAJOR', '660301', true],
    ]);
    // The school is approved for the major and names the point: those signals no longer hold.
    await r.publish('enrolment', [
      schoolCatalogue(school, '2026-12-20T00:00:00.000Z', ['710201', '660301'], [named, unnamed]),
    ]);
    expect((await signals(r, [late])).map((s) => [s.kind, s.still_holds])).toEqual([
      ['LATE_REGISTRATION', true],
      ['OFF_SITE_POINT', false],
      ['UNAPPROVED_MAJOR', false],
    ]);
    // An older catalogue arriving late changes nothing.
    await r.publish('enrolment', [schoolCatalogue(school, '2026-12-10T00:00:00.000Z', ['710201'], [named])]);
    expect((await signals(r, [late])).filter((s) => s.still_holds).map((s) => s.kind)).toEqual(['LATE_REGISTRATION']);
  });
});

describe('eligibility rosters, eligibility on a day, waiver history and new periods', () => {
  let r: Running;
  const school = randomUUID();
  const [eligible, partTime, farm] = [randomUUID(), randomUUID(), randomUUID()];
  const outside = randomUUID();
  beforeAll(async () => {
    r = await startSubsidy('roster', '2026-11-20');
    await r.publish('enrolment', [
      schoolCatalogue(school, '2026-08-01T00:00:00.000Z', ['710201', '610103'], []),
      ...enrolled(eligible, { schoolId: school, name: '张三' }),
      ...enrolled(partTime, { schoolId: school, studyForm: 'PART_TIME', name: '李四' }),
      ...enrolled(farm, { schoolId: school, majorCode: '610103', agricultureRelated: true, name: '王五' }),
      ...enrolled(outside, { regionCode: '420303', name: '赵六' }),
    ]);
  });
  afterAll(async () => {
    await r.stop();
  });

  const ROSTER = `
    query ($filter: EligibilityRosterFilter!, $first: Int, $after: String) {
      eligibilityRoster(filter: $filter, first: $first, after: $after) {
        period totalCount grantEligibleCount waiverEligibleCount grantTotalCny nextCursor
        entries { studentId studentNumber name schoolName grantEligible waiverEligible unmetRules grantAmountCny entitlementState fraudSignals }
      }
    }`;
  type Roster = {
    eligibilityRoster: {
      totalCount: number;
      grantEligibleCount: number;
      waiverEligibleCount: number;
      grantTotalCny: number;
      nextCursor: string | null;
      entries: { studentId: string; name: string; grantEligible: boolean; unmetRules: string[]; schoolName: string }[];
    };
  };
  const roster = (filter: Record<string, unknown>, token = OFFICER, page: { first?: number; after?: string } = {}) =>
    graphql<Roster>(r.service.url, ROSTER, { filter: { period: '2026-autumn', ...filter }, ...page }, token);

  it('lists a school’s or region’s period with totals, filters and pages; scoped to the caller', async () => {
    const all = await roster({ schoolId: school });
    expect(all.errors).toBeUndefined();
    expect(all.data!.eligibilityRoster).toMatchObject({
      totalCount: 3,
      grantEligibleCount: 2,
      waiverEligibleCount: 2,
      grantTotalCny: 2000,
    });
    const byId = new Map(all.data!.eligibilityRoster.entries.map((e) => [e.studentId, e]));
    expect(byId.get(partTime)).toMatchObject({ name: '李四', grantEligible: false, unmetRules: ['SB-6'] });
    expect(byId.get(eligible)!.schoolName).toBe(`测试学校${school.slice(0, 4)}`);

    const notEligible = await roster({ schoolId: school, grantEligible: false });
    expect(notEligible.data!.eligibilityRoster.entries.map((e) => e.studentId)).toEqual([partTime]);
    // The county 420303 is inside the officer's city; the county 420302 roster leaves it out.
    expect(
      (await roster({ regionCode: '420302' })).data!.eligibilityRoster.entries.map((e) => e.studentId),
    ).not.toContain(outside);
    expect((await roster({})).data!.eligibilityRoster.entries.map((e) => e.studentId)).toContain(outside);
    // Nothing was recorded after now.
    expect(
      (await roster({ changedSince: new Date(Date.now() + 60_000).toISOString() })).data!.eligibilityRoster.totalCount,
    ).toBe(0);

    // Pages by cursor cover every entry once.
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await roster({ schoolId: school }, OFFICER, { first: 1, after });
      seen.push(...page.data!.eligibilityRoster.entries.map((e) => e.studentId));
      if (!page.data!.eligibilityRoster.nextCursor) break;
      after = page.data!.eligibilityRoster.nextCursor;
    }
    expect(seen.sort()).toEqual([eligible, partTime, farm].sort());

    // Refused: another region, another school for a registrar, partners, a malformed period or cursor.
    expect((await roster({ regionCode: '220102' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await roster({ schoolId: school }, REGISTRAR)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await roster({}, REGISTRAR)).data!.eligibilityRoster.entries.map((e) => e.studentId)).toEqual(
      expect.arrayContaining([outside]),
    );
    expect((await roster({}, PARTNER)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await roster({ period: 'autumn-2026' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await roster({}, OFFICER, { after: 'nonsense' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('exports the roster as .xlsx, every entry, student numbers as text', async () => {
    const file = await graphql<{ eligibilityRosterFile: { fileName: string; contentBase64: string; rows: number } }>(
      r.service.url,
      `
        query ($filter: EligibilityRosterFilter!) {
          eligibilityRosterFile(filter: $filter) {
            fileName
            contentType
            contentBase64
            rows
          }
        }
      `,
      { filter: { period: '2026-autumn', schoolId: school } },
      OFFICER,
    );
    expect(file.errors).toBeUndefined();
    expect(file.data!.eligibilityRosterFile.rows).toBe(3);
    expect(file.data!.eligibilityRosterFile.fileName).toBe(`eligibility-roster-${school}-2026-autumn.xlsx`);
    const sheet = await readSheet(Buffer.from(file.data!.eligibilityRosterFile.contentBase64, 'base64'));
    expect(sheet[0]![0]).toBe('2026-autumn 国家助学金和免学费资格名单');
    expect(sheet[1]!.slice(0, 3)).toEqual(['序号', '学籍号', '姓名']);
    expect(
      sheet
        .slice(2)
        .map((row) => row[2])
        .sort(),
    ).toEqual(['张三', '李四', '王五'].sort());
    const partTimeRow = sheet.find((row) => row[1] === `G${partTime}`)!;
    expect([partTimeRow[5], partTimeRow[6], partTimeRow[7]]).toEqual(['否', '否', 'SB-6']);
    // ADM-5: who took the names out, and which.
    const [exported] = (await r.service.dataSource.query(
      `SELECT actor, role, details FROM audit_entry WHERE action = 'EXPORT_ELIGIBILITY_ROSTER'`,
    )) as { actor: string; role: string; details: { rows: number } }[];
    expect(exported).toMatchObject({ actor: 'officer-1', role: 'SUBSIDY_OFFICER', details: { rows: 3 } });
  });

  it('eligibility on a day follows the status of that day; the timeline keeps the period decided on its first day', async () => {
    await r.publish('status-change', [
      changed(eligible, 'WITHDRAWAL', '2026-11-10', '2026-11-10T08:00:00.000Z', school),
    ]);
    const query = `
      query ($r: [_Any!]!, $asOf: String) {
        _entities(representations: $r) {
          ... on Student {
            subsidyEligibility(asOf: $asOf) { asOf period grant { eligible reasons { rule met } } facts { studentStatus } }
            subsidyTimeline { period grant { eligible } }
          }
        }
      }`;
    type Entity = {
      subsidyEligibility: { period: string; grant: { eligible: boolean; reasons: { rule: string; met: boolean }[] } };
      subsidyTimeline: { period: string; grant: { eligible: boolean } }[];
    };
    const ask = (asOf?: string) =>
      graphql<{ _entities: Entity[] }>(
        r.service.url,
        query,
        { r: [{ __typename: 'Student', id: eligible }], asOf },
        OFFICER,
      );
    const before = (await ask('2026-11-09')).data!._entities[0]!;
    expect(before.subsidyEligibility).toMatchObject({ period: '2026-autumn', grant: { eligible: true } });
    const today = (await ask()).data!._entities[0]!;
    expect(today.subsidyEligibility.grant.eligible).toBe(false);
    expect(today.subsidyEligibility.grant.reasons).toContainEqual({ rule: 'SB-3', met: false });
    expect(today.subsidyTimeline).toEqual([{ period: '2026-autumn', grant: { eligible: true } }]);
    expect((await ask('2026-13-01')).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('SB-5 / ENR-18: the waiver history of an agriculture-related major locks it against a change of major', async () => {
    const query = `
      query ($r: [_Any!]!) {
        _entities(representations: $r) {
          ... on Student { waiverHistory { agricultureRelatedMajor lockedAgainstMajorChange periods { period stillGranted } } }
        }
      }`;
    const history = async (id: string) =>
      (
        await graphql<{ _entities: { waiverHistory: Record<string, unknown> }[] }>(
          r.service.url,
          query,
          { r: [{ __typename: 'Student', id }] },
          OFFICER,
        )
      ).data!._entities[0]!.waiverHistory;
    expect(await history(farm)).toEqual({
      agricultureRelatedMajor: true,
      lockedAgainstMajorChange: true,
      periods: [{ period: '2026-autumn', stillGranted: true }],
    });
    expect(await history(partTime)).toEqual({
      agricultureRelatedMajor: false,
      lockedAgainstMajorChange: false,
      periods: [],
    });
  });

  it('a new semester opens a period for every student holding a status, once, stamped with its first day', async () => {
    const env = {
      dataSource: r.service.dataSource,
      profile: loadPolicyProfile('national'),
      topics: r.service.topics,
      logger: r.service.logger,
      ...fixedOrRealClock('2027-03-05', false),
    };
    expect((await current(r.service, farm)).map((p) => p.period)).toEqual(['2026-autumn']);
    // farm, partTime, outside hold a status; eligible withdrew.
    expect(await openNewPeriods(env)).toBe(3);
    expect(await current(r.service, farm)).toEqual([
      { period: '2026-autumn', grant: true, waiver: true },
      { period: '2027-spring', grant: true, waiver: true },
    ]);
    expect((await entitlements(r.service, farm)).map((e) => [e.period, e.state])).toEqual([
      ['2026-autumn', 'PENDING'],
      ['2027-spring', 'PENDING'],
    ]);
    const [spring] = (await r.service.dataSource.query(
      `SELECT decided_at FROM eligibility_decision WHERE student_id = $1 AND period = '2027-spring'`,
      [farm],
    )) as { decided_at: Date }[];
    expect(spring!.decided_at.toISOString()).toBe('2027-02-28T16:00:00.000Z');
    expect((await current(r.service, eligible)).map((p) => p.period)).toEqual(['2026-autumn']);
    expect(await openNewPeriods(env)).toBe(0);
  });
});

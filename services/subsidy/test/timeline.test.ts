import { buildProfile, loadPolicyProfile, PROFILE_IDS } from '@xueji/policy';
import {
  decideOn,
  decideTimeline,
  eligibilityOn,
  periodOf,
  periodsBetween,
  type StatusChange,
  type StudentFacts,
} from '../src/domain/timeline';

const national = loadPolicyProfile('national');
const formal: StudentFacts = {
  registrationStatus: 'APPROVED',
  entryDate: '2026-09-01',
  studyForm: 'FULL_TIME',
  household: 'RURAL',
  majorWaiverExcluded: false,
  statusHistory: [],
};
const change = (eventId: string, kind: string, effectiveDate: string, newStatus: string): StatusChange => ({
  eventId,
  kind,
  effectiveDate,
  newStatus,
  time: `${effectiveDate}T10:00:00.000`,
});
const summary = (facts: StudentFacts, horizon: string) =>
  decideTimeline(facts, horizon, national).map((d) => [d.period, d.grant.eligible, d.tuitionWaiver.eligible]);

describe('payment periods (CALENDAR)', () => {
  it('names semesters by the profile’s starts', () => {
    expect(periodOf('2026-09-01', national).name).toBe('2026-autumn');
    expect(periodOf('2027-02-28', national).name).toBe('2026-autumn');
    expect(periodOf('2027-03-01', national).name).toBe('2027-spring');
    expect(periodsBetween('2026-09-10', '2027-09-01', national).map((p) => p.name)).toEqual([
      '2026-autumn',
      '2027-spring',
      '2027-autumn',
    ]);
  });
});

describe('the decision timeline', () => {
  it('SB-1: nothing for any period until the status is formal; approval counts from entry', () => {
    const pending = decideTimeline({ ...formal, registrationStatus: 'SUBMITTED' }, '2027-04-01', national);
    expect(pending.every((d) => !d.grant.eligible && !d.tuitionWaiver.eligible)).toBe(true);
    expect(pending[0]!.grant.reasons).toContainEqual(expect.objectContaining({ rule: 'SB-1', met: false }));
    expect(summary(formal, '2027-04-01')).toEqual([
      ['2026-autumn', true, true],
      ['2027-spring', true, true],
    ]);
    expect(decideTimeline({ ...formal, entryDate: null }, '2027-04-01', national)).toEqual([]);
  });

  it('SB-2: a suspension stops the periods it covers; resumption restores from its date', () => {
    const history = [
      change('a', 'SUSPENSION', '2026-10-01', 'SUSPENDED'),
      change('b', 'RESUMPTION', '2027-08-20', 'ACTIVE'),
    ];
    const timeline = decideTimeline({ ...formal, statusHistory: history }, '2027-09-05', national);
    expect(timeline.map((d) => [d.period, d.grant.eligible])).toEqual([
      ['2026-autumn', true],
      ['2027-spring', false],
      ['2027-autumn', true],
    ]);
    expect(timeline[1]!.grant.reasons).toContainEqual(expect.objectContaining({ rule: 'SB-2', met: false }));
    expect(timeline[1]!.facts).toMatchObject({ studentStatus: 'SUSPENDED', statusSince: '2026-10-01' });
  });

  it('SB-3: a withdrawal ends eligibility from its effective date; earlier periods stay', () => {
    const timeline = decideTimeline(
      { ...formal, statusHistory: [change('w', 'WITHDRAWAL', '2026-12-15', 'WITHDRAWN')] },
      '2027-10-01',
      national,
    );
    expect(timeline.map((d) => [d.period, d.grant.eligible, d.tuitionWaiver.eligible])).toEqual([
      ['2026-autumn', true, true],
      ['2027-spring', false, false],
      ['2027-autumn', false, false],
    ]);
    expect(timeline[2]!.grant.reasons).toContainEqual(
      expect.objectContaining({ rule: 'SB-3', met: false, en: 'Status WITHDRAWN since 2026-12-15: eligibility ended' }),
    );
  });

  it('SB-3: a transfer keeps the student eligible and records the receiving school', () => {
    const transfer = { ...change('t', 'TRANSFER', '2027-02-01', 'ACTIVE'), toSchoolId: 'school-b' };
    const [, spring] = decideTimeline({ ...formal, statusHistory: [transfer] }, '2027-04-01', national);
    expect(spring!.grant.eligible).toBe(true);
    expect(spring!.facts.schoolTransferredTo).toBe('school-b');
  });

  it('SB-6: in year 3 the student keeps the waiver but not the grant', () => {
    const timeline = decideTimeline({ ...formal, entryDate: '2024-09-01' }, '2026-09-10', national);
    const year3 = timeline.find((d) => d.period === '2026-autumn')!;
    expect(year3.facts.studyYear).toBe(3);
    expect(year3.grant.eligible).toBe(false);
    expect(year3.grant.reasons).toContainEqual(expect.objectContaining({ rule: 'SB-6', met: false }));
    expect(year3.tuitionWaiver.eligible).toBe(true);
    expect(timeline.find((d) => d.period === '2026-spring')!.grant.eligible).toBe(true);
    expect(year3.grantAmountCny).toBe(1000);
  });

  it('SB-7: every period carries its reasons and the facts it used, the same whatever the order of events', () => {
    const history = [
      change('a', 'SUSPENSION', '2026-10-01', 'SUSPENDED'),
      change('b', 'RESUMPTION', '2027-02-20', 'ACTIVE'),
      change('c', 'WITHDRAWAL', '2027-06-01', 'WITHDRAWN'),
    ];
    const forward = decideTimeline({ ...formal, statusHistory: history }, '2027-09-05', national);
    const reversed = decideTimeline({ ...formal, statusHistory: [...history].reverse() }, '2027-09-05', national);
    expect(reversed).toEqual(forward);
    for (const d of forward) {
      expect(d.grant.reasons.map((r) => r.rule)).toEqual(expect.arrayContaining(['SB-6']));
      expect(d.facts).toMatchObject({
        entryDate: '2026-09-01',
        registrationStatus: 'APPROVED',
        studyForm: 'FULL_TIME',
      });
    }
    expect(forward[2]!.facts).toMatchObject({ referenceDay: '2027-09-01', studentStatus: 'WITHDRAWN' });
  });
});

describe('eligibility on a day and per period agree (SB-7)', () => {
  it('the decision on a period’s reference day is the period’s decision; mid-period changes show on the day only', () => {
    const facts: StudentFacts = { ...formal, statusHistory: [change('w', 'WITHDRAWAL', '2026-11-10', 'WITHDRAWN')] };
    for (const period of decideTimeline(facts, '2027-06-01', national)) {
      const onDay = decideOn({ ...facts, entryDate: '2026-09-01' }, period.facts.referenceDay, national);
      expect([onDay.period.name, onDay.grant, onDay.tuitionWaiver, onDay.facts]).toEqual([
        period.period,
        period.grant,
        period.tuitionWaiver,
        period.facts,
      ]);
    }
    // The autumn 2026 period was decided on entry (eligible); on 2026-11-20 the student has withdrawn (SB-3).
    const later = decideOn({ ...facts, entryDate: '2026-09-01' }, '2026-11-20', national);
    expect([later.period.name, later.grant.eligible]).toEqual(['2026-autumn', false]);
    expect(later.grant.reasons).toContainEqual(expect.objectContaining({ rule: 'SB-3', met: false }));
  });
});

describe('SB-1: nothing before entry (a student entering 2027-03-01)', () => {
  const spring: StudentFacts & { entryDate: string } = { ...formal, entryDate: '2027-03-01' };
  const periods = (facts: StudentFacts, horizon: string, profile = national, decidedFrom?: string) =>
    decideTimeline(facts, horizon, profile, decidedFrom).map((d) => [
      d.period,
      d.grant.eligible,
      d.tuitionWaiver.eligible,
      d.facts.referenceDay,
    ]);
  const notEnrolled = {
    rule: 'SB-1',
    met: false,
    zh: '2026-10-01 尚未入学（入学日期 2027-03-01），入学前不享受资助',
    en: 'Not yet enrolled on 2026-10-01 (entry on 2027-03-01): no benefits before entry',
  };

  it.each(PROFILE_IDS.map((id) => [id]))(
    '%s: not eligible on a day of 2026-autumn; the timeline starts with 2027-spring, decided on the entry day',
    (id) => {
      const profile = loadPolicyProfile(id);
      const autumn = eligibilityOn(spring, '2026-10-01', profile);
      expect(periodOf('2026-10-01', profile).name).toBe('2026-autumn');
      expect(autumn.grant.eligible).toBe(false);
      expect(autumn.tuitionWaiver.eligible).toBe(false);
      expect(autumn.grant.reasons[0]).toEqual(notEnrolled);
      expect(autumn.tuitionWaiver.reasons[0]).toEqual(notEnrolled);
      expect(eligibilityOn(spring, '2027-03-01', profile).grant.eligible).toBe(true);
      expect(periods(spring, '2027-09-30', profile)).toEqual([
        ['2027-spring', true, true, '2027-03-01'],
        ['2027-autumn', true, true, '2027-09-01'],
      ]);
      // Decided before under an earlier entry date: 2026-autumn is decided again, on its first day, and refused.
      const again = decideTimeline(spring, '2027-04-01', profile, '2026-09-01');
      expect(again.map((d) => [d.period, d.grant.eligible, d.tuitionWaiver.eligible])).toEqual([
        ['2026-autumn', false, false],
        ['2027-spring', true, true],
      ]);
      expect(again[0]!.grant.reasons[0]).toMatchObject({ rule: 'SB-1', met: false });
      expect(again[0]!.facts.referenceDay).toBe('2026-09-01');
    },
  );

  it('a calendar whose spring semester starts later: the period the student entered in is decided on the entry day; earlier ones give nothing', () => {
    const lateSpring = buildProfile({
      id: 'late-spring',
      name: { zh: '春季三月十日开学', en: 'Spring from 10 March' },
      provinceCode: null,
      source: 'test',
      rules: { CALENDAR: { autumnSemesterStarts: '09-01', springSemesterStarts: '03-10' } },
    });
    // 2027-03-01 falls in 2026-autumn here (until 9 March): the student is enrolled on its reference day.
    expect(periodOf('2027-03-01', lateSpring).name).toBe('2026-autumn');
    expect(periods(spring, '2027-03-10', lateSpring, '2026-03-10')).toEqual([
      ['2026-spring', false, false, '2026-03-10'],
      ['2026-autumn', true, true, '2027-03-01'],
      ['2027-spring', true, true, '2027-03-10'],
    ]);
    expect(eligibilityOn(spring, '2027-02-28', lateSpring).grant.eligible).toBe(false);
    expect(decideOn(spring, '2026-09-01', lateSpring).grant.reasons[0]).toMatchObject({ rule: 'SB-1', met: false });
  });
});

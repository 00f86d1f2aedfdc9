/** AS-7, AS-9, AS-17 as pure rules, per profile where their values differ. No I/O. */
import { loadPolicyProfile, PROFILE_IDS } from '@xueji/policy';
import {
  assessmentProblems,
  graduationInputProblems,
  placementMonths,
  placementProblems,
  rewardProblems,
  type PlacementFacts,
  type RewardFacts,
} from '../src/domain/rewards';

const profile = (id: string) => loadPolicyProfile(id);
const rules = (violations: { rule: string }[]) => violations.map((v) => v.rule);

describe('AS-9: rewards', () => {
  const title: RewardFacts = { level: 'CITY', form: 'TITLE', scope: 'OVERALL', amountCny: null, postingRef: null };

  it('national, jilin, fujian, hubei-shiyan: 国家、省、市、县、校; no industry level', () => {
    for (const id of ['national', 'jilin', 'fujian', 'hubei-shiyan']) {
      expect(rewardProblems(title, profile(id))).toEqual([]);
      expect(rules(rewardProblems({ ...title, level: 'INDUSTRY' }, profile(id)))).toEqual(['AS-9']);
    }
  });

  it('beijing: 全国、市、区、行业、学校 (no city level of its own), posted publicly', () => {
    const beijing = profile('beijing');
    expect(rules(rewardProblems({ ...title, postingRef: 'P' }, beijing))).toEqual(['AS-9']);
    expect(rewardProblems({ ...title, level: 'INDUSTRY', postingRef: 'P' }, beijing)).toEqual([]);
    expect(rules(rewardProblems({ ...title, level: 'SCHOOL' }, beijing))).toEqual(['AS-9']);
  });

  it('a scholarship has its amount, a title none', () => {
    const national = profile('national');
    expect(rewardProblems({ ...title, form: 'SCHOLARSHIP', amountCny: 2000 }, national)).toEqual([]);
    expect(rewardProblems({ ...title, form: 'SCHOLARSHIP' }, national)[0]).toMatchObject({ rule: 'AS-9', input: true });
    expect(rewardProblems({ ...title, amountCny: 100 }, national)[0]).toMatchObject({ rule: 'AS-9', input: true });
  });
});

describe('AS-7: placement internships', () => {
  const facts: PlacementFacts = {
    startsOn: '2027-03-01',
    endsOn: '2027-06-30',
    appliedOn: '2027-02-14',
    planCompletedPercent: 67,
    otherPlacementMonths: 0,
  };

  it('a school year of placements is 12 months', () => {
    expect(placementMonths('2026-09-01', '2027-08-31')).toBe(12);
    expect(placementMonths('2027-03-01', '2027-06-30')).toBe(4);
  });

  it('hubei-shiyan: after 2/3 of the plan, applied 15 days ahead, at most a school year off campus', () => {
    const shiyan = profile('hubei-shiyan');
    expect(placementProblems(facts, shiyan)).toEqual([]);
    expect(rules(placementProblems({ ...facts, planCompletedPercent: 66 }, shiyan))).toEqual(['AS-7']);
    expect(rules(placementProblems({ ...facts, planCompletedPercent: null }, shiyan))).toEqual(['AS-7']);
    expect(rules(placementProblems({ ...facts, appliedOn: '2027-02-15' }, shiyan))).toEqual(['AS-7']);
    expect(rules(placementProblems({ ...facts, appliedOn: null }, shiyan))).toEqual(['AS-7']);
    expect(rules(placementProblems({ ...facts, otherPlacementMonths: 9 }, shiyan))).toEqual(['AS-7']);
    expect(placementProblems({ ...facts, otherPlacementMonths: 8 }, shiyan)).toEqual([]);
  });

  it('elsewhere none of these conditions, only a period that runs forward', () => {
    for (const id of ['national', 'jilin', 'beijing', 'fujian']) {
      expect(
        placementProblems(
          { ...facts, appliedOn: null, planCompletedPercent: null, otherPlacementMonths: 24 },
          profile(id),
        ),
      ).toEqual([]);
      expect(placementProblems({ ...facts, endsOn: '2027-02-01' }, profile(id))[0]).toMatchObject({
        rule: 'AS-7',
        input: true,
      });
    }
  });

  it('assessed once, not before it began', () => {
    expect(assessmentProblems({ startsOn: '2027-03-01', state: 'PLACED' }, '2027-07-01')).toEqual([]);
    expect(rules(assessmentProblems({ startsOn: '2027-03-01', state: 'FAILED' }, '2027-07-01'))).toEqual(['AS-7']);
    expect(assessmentProblems({ startsOn: '2027-03-01', state: 'PLACED' }, '2027-02-01')[0]).toMatchObject({
      input: true,
    });
  });
});

describe('AS-17: graduation inputs', () => {
  it.each(PROFILE_IDS)('%s', (id) => {
    const problems = graduationInputProblems(80, profile(id));
    expect(rules(problems)).toEqual(id === 'hubei-shiyan' ? [] : ['AS-17']);
  });

  it('a score lies within 0–100', () => {
    expect(graduationInputProblems(101, profile('hubei-shiyan'))[0]).toMatchObject({ rule: 'AS-17', input: true });
  });
});

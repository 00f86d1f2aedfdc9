/**
 * Part B's pure rules, per profile where their values differ: AS-8 / SC-17 (truancy and absence),
 * AS-10 … AS-13 (sanctions), AS-12 (revocation), AS-14 (appeal decisions). No I/O.
 */
import { loadPolicyProfile, PROFILE_IDS, rule } from '@xueji/policy';
import {
  absenceLimitReached,
  absencePeriodProblems,
  absenceRunAround,
  truancyInputProblems,
  truancyLimitReached,
} from '../src/domain/attendance';
import {
  afterAppeal,
  ageOn,
  appealDecisionProblems,
  noticeProblems,
  rejectionProblems,
  revocationProblems,
  sanctionDecisionProblems,
  type SanctionDecisionFacts,
} from '../src/domain/sanctions';

const profile = (id: string) => loadPolicyProfile(id);
const rules = (violations: { rule: string }[]) => violations.map((v) => v.rule);

describe('AS-8 / SC-17: attendance', () => {
  it.each(PROFILE_IDS)('%s: 90 truant hours in a semester reach the limit, 89 do not', (id) => {
    expect(truancyLimitReached(profile(id), 89)).toBe(false);
    expect(truancyLimitReached(profile(id), 90)).toBe(true);
  });

  it('hours are whole numbers from 1 to 600', () => {
    expect(truancyInputProblems(4)).toEqual([]);
    expect(rules(truancyInputProblems(0))).toEqual(['AS-8']);
    expect(rules(truancyInputProblems(1.5))).toEqual(['AS-8']);
    expect(rules(truancyInputProblems(601))).toEqual(['AS-8']);
  });

  it('a run of consecutive days, weekends inside it included; two weeks reach SC-17’s absenceDays', () => {
    const days = new Set(['2026-11-02', '2026-11-03', '2026-11-05']);
    expect(absenceRunAround(days, '2026-11-03')).toEqual({ from: '2026-11-02', to: '2026-11-03', days: 2 });
    expect(absenceRunAround(days, '2026-11-04')).toBeNull();
    const fortnight = { from: '2026-11-02', to: '2026-11-15', days: 14 };
    for (const id of PROFILE_IDS) {
      expect(absenceLimitReached(profile(id), fortnight)).toBe(true);
      expect(absenceLimitReached(profile(id), { ...fortnight, days: 13 })).toBe(false);
    }
    expect(absencePeriodProblems('2026-11-02', '2026-12-02')).toEqual([]);
    expect(rules(absencePeriodProblems('2026-11-02', '2026-12-03'))).toEqual(['AS-8']);
  });
});

describe('AS-10 … AS-13: deciding a sanction', () => {
  const adult = '2007-06-01';
  const minor = '2010-01-01';
  const facts = (f: Partial<SanctionDecisionFacts>): SanctionDecisionFacts => ({
    kind: 'EXPULSION',
    decidingBody: 'PRINCIPAL_OFFICE_MEETING',
    decidedOn: '2026-11-20',
    birthDate: adult,
    alreadyExpelled: false,
    ...f,
  });

  it('age on the decision date counts the birthday itself', () => {
    expect(ageOn('2008-11-20', '2026-11-20')).toBe(18);
    expect(ageOn('2008-11-21', '2026-11-20')).toBe(17);
  });

  it('AS-10: the five sanctions in order, in every profile', () => {
    for (const id of PROFILE_IDS) {
      expect(rule(profile(id), 'AS-10').kinds).toEqual([
        'WARNING',
        'SERIOUS_WARNING',
        'DEMERIT',
        'PROBATION',
        'EXPULSION',
      ]);
    }
    expect(
      rules(sanctionDecisionProblems(facts({ kind: 'WARNING', alreadyExpelled: true }), profile('national'))),
    ).toEqual(['AS-10']);
  });

  it('AS-11: an expulsion by the principal’s office meeting (national, jilin, fujian, hubei-shiyan)', () => {
    for (const id of ['national', 'jilin', 'fujian', 'hubei-shiyan']) {
      expect(sanctionDecisionProblems(facts({}), profile(id))).toEqual([]);
      expect(rules(sanctionDecisionProblems(facts({ decidingBody: 'SCHOOL_OFFICE' }), profile(id)))).toEqual(['AS-11']);
    }
  });

  it('AS-11 / AS-13 beijing: the school affairs meeting decides every sanction', () => {
    const beijing = profile('beijing');
    expect(rules(sanctionDecisionProblems(facts({}), beijing))).toEqual(['AS-11']);
    expect(sanctionDecisionProblems(facts({ decidingBody: 'SCHOOL_AFFAIRS_MEETING' }), beijing)).toEqual([]);
    expect(rules(sanctionDecisionProblems(facts({ kind: 'WARNING', decidingBody: 'SCHOOL_OFFICE' }), beijing))).toEqual(
      ['AS-13'],
    );
    expect(
      sanctionDecisionProblems(facts({ kind: 'WARNING', decidingBody: 'SCHOOL_OFFICE' }), profile('national')),
    ).toEqual([]);
  });

  it('AS-11: minors are protected except under jilin; an unknown birth date protects too', () => {
    for (const id of ['national', 'fujian', 'hubei-shiyan']) {
      expect(rules(sanctionDecisionProblems(facts({ birthDate: minor }), profile(id)))).toEqual(['AS-11']);
      expect(rules(sanctionDecisionProblems(facts({ birthDate: null }), profile(id)))).toEqual(['AS-11']);
    }
    expect(
      rules(
        sanctionDecisionProblems(
          facts({ birthDate: minor, decidingBody: 'SCHOOL_AFFAIRS_MEETING' }),
          profile('beijing'),
        ),
      ),
    ).toEqual(['AS-11']);
    expect(sanctionDecisionProblems(facts({ birthDate: minor }), profile('jilin'))).toEqual([]);
    // Not a minor for a warning: age matters only for expulsion.
    expect(
      sanctionDecisionProblems(
        facts({ kind: 'DEMERIT', birthDate: minor, decidingBody: 'SCHOOL_OFFICE' }),
        profile('national'),
      ),
    ).toEqual([]);
  });

  it('AS-11: a filing cannot be rejected; an approval can (beijing)', () => {
    expect(rules(rejectionProblems(rule(profile('national'), 'AS-11').authorityStep))).toEqual(['AS-11']);
    expect(rules(rejectionProblems(rule(profile('jilin'), 'AS-11').authorityStep))).toEqual(['AS-11']);
    expect(rejectionProblems(rule(profile('beijing'), 'AS-11').authorityStep)).toEqual([]);
  });

  it('AS-13: the notice not before the decision; beijing posts it publicly', () => {
    const sanction = { decidedOn: '2026-11-20' };
    expect(noticeProblems(sanction, { deliveredOn: '2026-11-21', postingRef: null }, profile('national'))).toEqual([]);
    expect(
      rules(noticeProblems(sanction, { deliveredOn: '2026-11-19', postingRef: null }, profile('national'))),
    ).toEqual(['AS-13']);
    expect(
      rules(noticeProblems(sanction, { deliveredOn: '2026-11-21', postingRef: null }, profile('beijing'))),
    ).toEqual(['AS-13']);
    expect(noticeProblems(sanction, { deliveredOn: '2026-11-21', postingRef: 'P-1' }, profile('beijing'))).toEqual([]);
  });
});

describe('AS-12: revocation', () => {
  const base = { state: 'EFFECTIVE' as const, effectiveOn: '2026-01-10', applicationRef: null };

  it('after 6 months for warnings, 12 for demerit and probation; never an expulsion', () => {
    const national = profile('national');
    expect(revocationProblems({ ...base, kind: 'WARNING', today: '2026-07-10' }, national)).toEqual([]);
    expect(rules(revocationProblems({ ...base, kind: 'WARNING', today: '2026-07-09' }, national))).toEqual(['AS-12']);
    expect(rules(revocationProblems({ ...base, kind: 'PROBATION', today: '2026-12-01' }, national))).toEqual(['AS-12']);
    expect(revocationProblems({ ...base, kind: 'PROBATION', today: '2027-01-10' }, national)).toEqual([]);
    expect(rules(revocationProblems({ ...base, kind: 'EXPULSION', today: '2030-01-01' }, national))).toEqual(['AS-12']);
    expect(
      rules(revocationProblems({ ...base, kind: 'WARNING', state: 'REVOKED', today: '2027-01-01' }, national)),
    ).toEqual(['AS-12']);
  });

  it('fujian: only on the student’s application', () => {
    const fujian = profile('fujian');
    expect(rules(revocationProblems({ ...base, kind: 'WARNING', today: '2026-12-01' }, fujian))).toEqual(['AS-12']);
    expect(revocationProblems({ ...base, kind: 'WARNING', today: '2026-12-01', applicationRef: 'A' }, fujian)).toEqual(
      [],
    );
  });
});

describe('AS-14: deciding an appeal', () => {
  const national = profile('national');

  it('changes only to a lighter sanction; a new kind only with CHANGE', () => {
    expect(appealDecisionProblems('DEMERIT', { outcome: 'CHANGE', newKind: 'WARNING' }, national)).toEqual([]);
    expect(rules(appealDecisionProblems('DEMERIT', { outcome: 'CHANGE', newKind: 'PROBATION' }, national))).toEqual([
      'AS-14',
    ]);
    expect(rules(appealDecisionProblems('DEMERIT', { outcome: 'CHANGE', newKind: null }, national))).toEqual(['AS-14']);
    expect(rules(appealDecisionProblems('DEMERIT', { outcome: 'UPHOLD', newKind: 'WARNING' }, national))).toEqual([
      'AS-14',
    ]);
    expect(appealDecisionProblems('DEMERIT', { outcome: 'ANNUL', newKind: null }, national)).toEqual([]);
  });

  it('lifts an expulsion in effect when changed or annulled, not one still awaiting the authority', () => {
    const inEffect = { kind: 'EXPULSION' as const, state: 'EFFECTIVE' as const };
    expect(afterAppeal(inEffect, { outcome: 'ANNUL', newKind: null })).toEqual({
      kind: 'EXPULSION',
      state: 'ANNULLED',
      expulsionLifted: true,
    });
    expect(afterAppeal(inEffect, { outcome: 'CHANGE', newKind: 'PROBATION' })).toEqual({
      kind: 'PROBATION',
      state: 'EFFECTIVE',
      expulsionLifted: true,
    });
    expect(afterAppeal(inEffect, { outcome: 'UPHOLD', newKind: null }).expulsionLifted).toBe(false);
    expect(
      afterAppeal({ kind: 'EXPULSION', state: 'PENDING_AUTHORITY' }, { outcome: 'ANNUL', newKind: null })
        .expulsionLifted,
    ).toBe(false);
  });
});

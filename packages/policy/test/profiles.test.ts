import { buildProfile, loadPolicyProfile, PROFILE_IDS, rule } from '@xueji/policy';

describe('policy profiles', () => {
  it.each(PROFILE_IDS)('%s loads and validates', (id) => {
    const profile = loadPolicyProfile(id);
    expect(profile.id).toBe(id);
    expect(profile.rules['SB-6'].grant.annualAmountCny).toBe(2000);
  });

  it('refuses an unknown profile', () => {
    expect(() => loadPolicyProfile('atlantis')).toThrow(/unknown policy profile "atlantis"/);
  });

  it('ENR-4: registration deadlines per profile (autumn 11-20 in jilin, a single 10-31 in beijing)', () => {
    const autumn = (id: string) => rule(loadPolicyProfile(id), 'ENR-4').windows.find((w) => w.intake !== 'spring')!;
    expect(autumn('jilin').deadline).toBe('11-20');
    expect(rule(loadPolicyProfile('jilin'), 'ENR-4').windows.find((w) => w.intake === 'spring')).toMatchObject({
      deadline: '04-20',
      onlyNonFreshGraduates: true,
    });
    expect(rule(loadPolicyProfile('beijing'), 'ENR-4').windows).toEqual([
      expect.objectContaining({ intake: 'any', deadline: '10-31' }),
    ]);
    expect(autumn('fujian')).toMatchObject({ reviewBy: '12-15', deadline: '12-31', entryMonths: [6, 12] });
    expect(autumn('hubei-shiyan').deadline).toBe('11-15');
  });

  it('SC-13: the cumulative suspension cap is 2 years in jilin and 4 in fujian; military service outside it', () => {
    expect(rule(loadPolicyProfile('jilin'), 'SC-13').cumulativeCapMonths).toBe(24);
    expect(rule(loadPolicyProfile('fujian'), 'SC-13').cumulativeCapMonths).toBe(48);
    expect(rule(loadPolicyProfile('beijing'), 'SC-13').periodUnit).toBe('semester');
    for (const id of PROFILE_IDS) expect(rule(loadPolicyProfile(id), 'SC-13').militaryServiceCounts).toBe(false);
  });

  it('ADM-4: monthly reports are due on the 5th under hubei-shiyan, at month end elsewhere', () => {
    expect(rule(loadPolicyProfile('hubei-shiyan'), 'ADM-4').dueDayOfNextMonth).toBe(5);
    expect(rule(loadPolicyProfile('jilin'), 'ADM-4').dueDayOfNextMonth).toBeNull();
  });

  it('an override keeps the baseline wherever it says nothing', () => {
    const jilin = loadPolicyProfile('jilin');
    expect(jilin.rules['SC-17'].truancyHoursPerSemester).toBe(90);
    expect(jilin.rules['SC-17'].mode).toBe('may');
    expect(loadPolicyProfile('beijing').rules['SC-17']).toMatchObject({ mode: 'shall', notifyGuardian: true });
  });

  it('refuses an override with invalid values, naming the field', () => {
    expect(() =>
      buildProfile({
        id: 'broken',
        name: { zh: '坏', en: 'Broken' },
        provinceCode: '990000',
        source: 'test',
        rules: {
          'ENR-4': {
            windows: [
              {
                intake: 'autumn',
                entryMonths: [7, 12],
                reviewBy: null,
                deadline: '13-45',
                onlyNonFreshGraduates: false,
              },
            ],
          },
        },
      }),
    ).toThrow(/rules\.ENR-4\.windows\.0\.deadline/);
  });
});

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
    const autumn = (id: string) => rule(loadPolicyProfile(id), 'ENR-4').windows.find((w) => w.intake !== 'SPRING')!;
    expect(autumn('jilin').deadline).toBe('11-20');
    expect(rule(loadPolicyProfile('jilin'), 'ENR-4').windows.find((w) => w.intake === 'SPRING')).toMatchObject({
      deadline: '04-20',
      onlyNonFreshGraduates: true,
    });
    expect(rule(loadPolicyProfile('beijing'), 'ENR-4').windows).toEqual([
      expect.objectContaining({ intake: 'ANY', deadline: '10-31' }),
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

  it('CALENDAR: every profile’s semester starts agree with its ENR-17 term starts', () => {
    for (const id of PROFILE_IDS) {
      const profile = loadPolicyProfile(id);
      expect(rule(profile, 'CALENDAR')).toEqual({
        autumnSemesterStarts: rule(profile, 'ENR-17').termStarts.autumn,
        springSemesterStarts: rule(profile, 'ENR-17').termStarts.spring,
      });
    }
  });

  it('SC-2 … SC-21: status-change parameters per profile (a sample of each province’s own values)', () => {
    expect(rule(loadPolicyProfile('jilin'), 'SC-2').grounds).toEqual([
      'HOUSEHOLD_MOVE',
      'FAMILY_MOVE',
      'PERSONAL_WISH',
    ]);
    expect(rule(loadPolicyProfile('fujian'), 'SC-3').sameProvince).toEqual(['SENDING_SCHOOL', 'RECEIVING_SCHOOL']);
    expect(rule(loadPolicyProfile('jilin'), 'SC-5').timing).toBe('AT_SEMESTER_START');
    expect(rule(loadPolicyProfile('beijing'), 'SC-5')).toEqual({
      timing: 'BEFORE_SEMESTER_START',
      alsoMajorChange: true,
    });
    expect(rule(loadPolicyProfile('fujian'), 'SC-5').timing).toBe('FIRST_MONTH_OF_SEMESTER');
    expect(rule(loadPolicyProfile('beijing'), 'SC-7').programmes).toEqual(['INTEGRATED']);
    expect(rule(loadPolicyProfile('fujian'), 'SC-9').withinCategoryBy).toEqual({ studyYear: 1, semester: 2 });
    expect(rule(loadPolicyProfile('beijing'), 'SC-12').certificateHospital).toBe('GRADE_2A_OR_ABOVE');
    expect(rule(loadPolicyProfile('fujian'), 'SC-12').workMinAge).toBe(16);
    expect(rule(loadPolicyProfile('fujian'), 'SC-17').imposedGrounds).toContain('BEYOND_MAXIMUM_LENGTH');
    expect(rule(loadPolicyProfile('national'), 'SC-17').imposedGrounds).not.toContain('BEYOND_MAXIMUM_LENGTH');
    expect(rule(loadPolicyProfile('fujian'), 'SC-18').applies).toBe(true);
    expect(rule(loadPolicyProfile('hubei-shiyan'), 'SC-6').diversionAfterHighSchoolMonths).toBe(18);
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
                intake: 'AUTUMN',
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

import type { ProfileOverride } from '../schema';

/** Shiyan City (Hubei) notice on student-status work (003 part 1). */
export const hubeiShiyan: ProfileOverride = {
  id: 'hubei-shiyan',
  name: { zh: '湖北省十堰市', en: 'Shiyan City, Hubei' },
  provinceCode: '420000',
  source: '003a',
  rules: {
    'ENR-4': {
      // 003a 一.2–3
      windows: [
        { intake: 'SPRING', entryMonths: [1, 6], reviewBy: null, deadline: '04-15', onlyNonFreshGraduates: false },
        { intake: 'AUTUMN', entryMonths: [7, 12], reviewBy: null, deadline: '11-15', onlyNonFreshGraduates: false },
      ],
    },
    'ENR-2': { photoRequired: true }, // 003a 一.3: photo captured at registration
    'ENR-15': { nationalKeySchoolsOnly: true }, // 003a 一.5: only national key schools run joint schooling
    'ENR-20': { applies: true, outOfAreaThreshold: 100 }, // 003a 二.1–2
    'ADM-4': { dueDayOfNextMonth: 5 }, // 003a 一.4: due on the 5th, even when empty
    // SC-6: 003a 一.1: after 1.5 years of high school a student is diverted (registered anew at a national key
    // school, others with the city's approval), not transferred.
    'SC-6': { diversionAfterHighSchoolMonths: 18 },
    // AS-7: 003a 一.6: 完成三分之二教学计划任务后 … 提前十五日上报 … 校外实习时间安排不超过1学年.
    'AS-7': { minPlanShare: { numerator: 2, denominator: 3 }, applyDaysAhead: 15, maxOffCampusMonths: 12 },
    // AS-17: 003a 一.7: 文化基础课抽考 (一年级下学期) and 校级专业技能大赛 are graduation conditions.
    'AS-17': { applies: true, cultureTestStudyYear: 1 },
    // GR-1: 003a 一.7: the registration roster is the only basis, plus the sample test and the skills competition.
    'GR-1': {
      conditions: [
        'STATUS',
        'REGISTRATION',
        'CONDUCT',
        'RESULTS',
        'INTERNSHIP',
        'SAMPLE_TEST',
        'SKILLS_COMPETITION',
        'DURATION',
      ],
    },
    // GR-3: 003a 一.7: verification in June–July.
    'GR-3': {
      verificationWindows: [
        { season: 'spring', from: '06-01', to: '07-31' },
        { season: 'autumn', from: '06-01', to: '07-31' },
      ],
    },
  },
};

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
  },
};

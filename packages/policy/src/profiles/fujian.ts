import type { ProfileOverride } from '../schema';

/** Fujian Province measures on student status and assessment (003 part 2). */
export const fujian: ProfileOverride = {
  id: 'fujian',
  name: { zh: '福建省', en: 'Fujian Province' },
  provinceCode: '350000',
  source: '003b',
  rules: {
    'ENR-4': {
      // 003b §6: spring intake (Jan–May) checked by 08-15, filed by 08-31; autumn (Jun–Dec) by 12-15 / 12-31.
      windows: [
        { intake: 'spring', entryMonths: [1, 5], reviewBy: '08-15', deadline: '08-31', onlyNonFreshGraduates: false },
        { intake: 'autumn', entryMonths: [6, 12], reviewBy: '12-15', deadline: '12-31', onlyNonFreshGraduates: false },
      ],
    },
    'ENR-1': { adultsAllowed: true }, // 003b §3: adults (veterans, workers) by diploma, year-round
    'ENR-10': { applies: true, deferralYears: 1 }, // 003b §7
    'ENR-11': { format: 'FUJIAN_10_DIGIT' }, // 003b §8
    'ENR-13': { flexibleYears: { min: 2, max: 7 } }, // 003b §30
    'ENR-16': { admissionByCategory: true }, // 003b §5
    'ENR-17': { applies: true, lapseDays: 14 }, // 003b §9, deferral on request
    'SC-13': { periodUnit: 'year', cumulativeCapMonths: 48 }, // 003b §13
    'SC-17': { mode: 'shall' },
  },
};

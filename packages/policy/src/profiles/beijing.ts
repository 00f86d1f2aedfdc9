import type { ProfileOverride } from '../schema';

/** Beijing Municipal Education Commission measures (002, 京教职成〔2020〕3号). */
export const beijing: ProfileOverride = {
  id: 'beijing',
  name: { zh: '北京市', en: 'Beijing Municipality' },
  provinceCode: '110000',
  source: '002',
  rules: {
    'ENR-3': { applies: true, lateArrivalLimitDays: null }, // 002 §6: the school's deadline
    'ENR-4': {
      // 002 §10: a single deadline.
      windows: [
        { intake: 'any', entryMonths: [1, 12], reviewBy: null, deadline: '10-31', onlyNonFreshGraduates: false },
      ],
    },
    'ENR-9': { recheckWithinMonths: 3 }, // 002 §8
    'ENR-10': { applies: true, deferralYears: 1 }, // 002 §7
    'ENR-12': { studyForms: ['FULL_TIME'] }, // 000 §2 as applied in 002: full-time only in scope
    'ENR-14': { partnerCollegeRequired: true }, // 002 §6: 贯通 students are filed with the partner college
    'ENR-16': { admissionByCategory: true }, // 002 §6
    'ENR-17': { applies: true, lapseDays: 14 }, // 002 §14
    'ENR-18': { extraSections: ['ADMISSION_PAPERS', 'HEALTH_RECORD'] }, // 002 §9
    'ENR-21': { applies: true },
    'SC-13': { periodUnit: 'semester', cumulativeCapMonths: 24 }, // 002 §22
    // 002 §24: "shall"; notify the guardian, failing that a public notice, then automatic.
    'SC-17': { mode: 'shall', notifyGuardian: true, publicNoticeDays: 10 },
  },
};

import type { ProfileOverride } from '../schema';

/** Jilin Province interim measures (001, 吉教职成[2011]17号) and a city's forwarding notice. */
export const jilin: ProfileOverride = {
  id: 'jilin',
  name: { zh: '吉林省', en: 'Jilin Province' },
  provinceCode: '220000',
  source: '001',
  rules: {
    'ENR-3': { applies: true, lateArrivalLimitDays: 14 }, // 001 §5.5: two weeks
    'ENR-4': {
      windows: [
        // 001 §7: spring only for students who are not this year's junior graduates.
        { intake: 'SPRING', entryMonths: [1, 6], reviewBy: null, deadline: '04-20', onlyNonFreshGraduates: true },
        { intake: 'AUTUMN', entryMonths: [7, 12], reviewBy: null, deadline: '11-20', onlyNonFreshGraduates: false },
      ],
    },
    // ENR-11: "provincial system rule" is not spelled out in 001; the national ID-derived number stands.
    'ENR-21': { applies: true },
    'SC-1': { applies: true }, // 001 §13
    'SC-2': { grounds: ['HOUSEHOLD_MOVE', 'FAMILY_MOVE', 'PERSONAL_WISH'] }, // 001 §14
    'SC-5': { timing: 'AT_SEMESTER_START' }, // 001 city notice 四: transfer-in at semester start, never mid-semester
    'SC-10': { applies: true, provincialApprovalException: true }, // 001 §15: unless the provincial authority approves
    // SC-11: 001 §29 leaves repeats to the school (the baseline's null share).
    // SC-12: 001 §16 names illness and leave; §17 provides for suspension for military service, so it stays.
    'SC-12': { grounds: ['ILLNESS', 'PERSONAL_LEAVE', 'MILITARY_SERVICE'] },
    'SC-13': { periodUnit: 'year', cumulativeCapMonths: 24 }, // 001 §17
    'SC-15': { minLeadDays: 30 }, // 001 §19: "一般应于复学前一个月", taken as 30 days
    'SC-17': { mode: 'may' },
  },
};

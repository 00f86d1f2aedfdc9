import type { PolicyProfile } from '../schema';

/** Baseline: the national notice (000) and the national K-12 measures (004). */
export const national: PolicyProfile = {
  id: 'national',
  name: { zh: '全国基准', en: 'National baseline' },
  provinceCode: null,
  source: '000, 004',
  rules: {
    // ENR-1: junior-secondary graduates; arts (75) and sports (77) majors may admit primary graduates.
    'ENR-1': { primaryGraduatesForArtsSports: true, adultsAllowed: false, artsSportsCategories: ['75', '77'] },
    'ENR-2': { photoRequired: false },
    'ENR-3': { applies: false, lateArrivalLimitDays: null },
    // ENR-4: spring and autumn intakes; "当年学籍当年申报, 隔年不得再补".
    'ENR-4': {
      windows: [
        { intake: 'spring', entryMonths: [1, 6], reviewBy: null, deadline: '04-30', onlyNonFreshGraduates: false },
        { intake: 'autumn', entryMonths: [7, 12], reviewBy: null, deadline: '11-30', onlyNonFreshGraduates: false },
      ],
    },
    // ENR-7: no general high-school, university or technical-school (HR system) student at the same time.
    'ENR-7': { excludedStatusKinds: ['GENERAL_HIGH_SCHOOL', 'UNIVERSITY', 'TECHNICAL_SCHOOL'] },
    'ENR-9': { recheckWithinMonths: null },
    'ENR-10': { applies: false, deferralYears: 1 },
    'ENR-11': { format: 'ID_DERIVED' },
    'ENR-12': { studyForms: ['FULL_TIME', 'PART_TIME', 'FLEXIBLE'] },
    'ENR-13': { standardYears: { junior: 3, senior: 1, primaryArts: 6 }, flexibleYears: { min: 3, max: 6 } },
    'ENR-14': { vocationalStageYears: 3, partnerCollegeRequired: false },
    'ENR-15': { nationalKeySchoolsOnly: false },
    'ENR-16': { admissionByCategory: false },
    'ENR-17': { applies: false, lapseDays: 14, termStarts: { autumn: '09-01', spring: '03-01' } },
    'ENR-18': { extraSections: [] },
    'ENR-20': { applies: false, outOfAreaThreshold: 100 },
    'ENR-21': { applies: false },
    'SC-1': { applies: false },
    'SC-13': { periodUnit: 'year', cumulativeCapMonths: 24, militaryServiceCounts: false },
    'SC-17': {
      mode: 'may',
      overdueResumptionDays: 14,
      truancyHoursPerSemester: 90,
      absenceDays: 14,
      notifyGuardian: false,
      publicNoticeDays: null,
    },
    'ADM-4': { dueDayOfNextMonth: null },
    'AS-14': { appealWorkingDays: 15, authorityAnswerWorkingDays: 30 },
    // SB-6: national policy outside the source documents; configurable.
    'SB-6': {
      grant: {
        annualAmountCny: 2000,
        paymentPeriods: ['autumn', 'spring'],
        eligibleStudyYears: [1, 2],
        studyForms: ['FULL_TIME'],
        householdCategories: ['RURAL', 'URBAN_ECONOMIC_DIFFICULTY'],
      },
      waiver: { eligibleStudyYears: [1, 2, 3], studyForms: ['FULL_TIME'], excludeWaiverExcludedMajors: true },
    },
  },
};

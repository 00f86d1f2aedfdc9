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
        { intake: 'SPRING', entryMonths: [1, 6], reviewBy: null, deadline: '04-30', onlyNonFreshGraduates: false },
        { intake: 'AUTUMN', entryMonths: [7, 12], reviewBy: null, deadline: '11-30', onlyNonFreshGraduates: false },
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
    // CALENDAR: not in the sources; the usual school year (the same days as ENR-17's term starts).
    CALENDAR: { autumnSemesterStarts: '09-01', springSemesterStarts: '03-01' },
    'SC-1': { applies: false },
    // SC-2: no national list of grounds; any ground the school accepts.
    'SC-2': { grounds: ['HOUSEHOLD_MOVE', 'FAMILY_MOVE', 'PERSONAL_WISH', 'NO_FOLLOW_ON_CLASS', 'OTHER'] },
    // SC-3: sending school → its authority → receiving school → its authority (001 §14 as the general procedure).
    'SC-3': {
      sameProvince: ['SENDING_SCHOOL', 'SENDING_AUTHORITY', 'RECEIVING_SCHOOL', 'RECEIVING_AUTHORITY'],
      acrossProvinces: ['SENDING_SCHOOL', 'SENDING_AUTHORITY', 'RECEIVING_SCHOOL', 'RECEIVING_AUTHORITY'],
    },
    // SC-4: not within the first semester, not in the graduating year, not while suspended (001 §14; 002 §18).
    'SC-4': { minSemestersStudied: 1, graduatingYearBarred: true },
    'SC-5': { timing: 'ANY', alsoMajorChange: false },
    // SC-6: at least a year and a half at the vocational school (001 §14; 002 §19).
    'SC-6': { minMonthsAtVocationalSchool: 18, intoGraduatingYear: true, diversionAfterHighSchoolMonths: null },
    'SC-7': { programmes: [] },
    // SC-8: aptitude/interest; illness or disability with a hospital certificate; major discontinued (001 §15; 002 §21).
    'SC-8': {
      grounds: ['APTITUDE_OR_INTEREST', 'ILLNESS_OR_DISABILITY', 'MAJOR_DISCONTINUED'],
      certificateHospital: 'COUNTY_OR_ABOVE',
    },
    // SC-9: across categories by the end of year 1 semester 1, within one by the end of year 2 semester 1 (001 §15; 002 §21).
    'SC-9': { acrossCategoriesBy: { studyYear: 1, semester: 1 }, withinCategoryBy: { studyYear: 2, semester: 1 } },
    'SC-10': { applies: false, provincialApprovalException: false },
    // SC-11: the school's own repeat rule; credit-system schools do not repeat (002 §16 as the general rule).
    'SC-11': { failedShare: null, creditSystemRepeats: false, allSchoolsCreditSystem: false },
    // SC-12: illness, personal leave, military service; work/start-up limits used only where WORK is a ground.
    'SC-12': {
      grounds: ['ILLNESS', 'PERSONAL_LEAVE', 'MILITARY_SERVICE'],
      certificateHospital: 'COUNTY_OR_ABOVE',
      workMinAge: 16,
      workMinMonthsStudied: 12,
    },
    // SC-15: apply before the term the student rejoins.
    'SC-15': { minLeadDays: 1, maxLeadDays: null, certificateHospital: 'COUNTY_OR_ABOVE' },
    // SC-16: written application of the student and the guardian (001 §21; 002 §24).
    'SC-16': { guardianSignatureRequired: true },
    'SC-13': { periodUnit: 'year', cumulativeCapMonths: 24, militaryServiceCounts: false },
    'SC-17': {
      mode: 'may',
      overdueResumptionDays: 14,
      truancyHoursPerSemester: 90,
      absenceDays: 14,
      notifyGuardian: false,
      publicNoticeDays: null,
      // 001 §21; 002 §24: overdue resumption, two years suspended, truancy, absence without leave.
      imposedGrounds: ['SUSPENSION_OVERDUE', 'SUSPENDED_TWO_YEARS_UNABLE', 'TRUANCY', 'ABSENT_WITHOUT_LEAVE'],
    },
    'SC-18': { applies: false },
    // SC-19: 000 §3 (joint schooling); 001 §9; 002 §8, §25.
    'SC-19': { grounds: ['INELIGIBLE_AT_RECHECK', 'DEATH', 'MISSING', 'DUPLICATE_STATUS', 'JOINT_SCHOOLING_TRANSFER'] },
    // SC-21: 001 §23; 002 §33.
    'SC-21': { fields: ['name', 'sex', 'birthDate', 'address', 'idNumber', 'household'] },
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

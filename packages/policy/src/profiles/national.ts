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
    // AS-1: results (exam or test) and conduct, passed at 60 of 100 (001 §24; 002 §26–27).
    'AS-1': { passScore: 60, creditSystem: false },
    // AS-2: four grades at the end of each semester (001 §25).
    'AS-2': { form: 'FOUR_GRADES', graduationAppraisal: false },
    // AS-3: make-ups for failed courses, number and timing set by the school (001 §29; 002 §31); ceiling of 2.
    'AS-3': { maxMakeUpsPerCourse: 2 },
    // AS-4, AS-5, AS-6, AS-15: no national rule of their own.
    'AS-4': { applies: false, flexibleStudentsOnly: false },
    'AS-5': { applies: false },
    'AS-6': { medicalExemption: false, certificateHospital: 'COUNTY_OR_ABOVE' },
    'AS-15': { applies: false, makeUpAfterRepentance: false },
    // AS-16: results and conduct into the archive promptly (001 §30; 002 §26).
    'AS-16': { byTerm: false },
    // AS-7: a three-party agreement and a joint assessment everywhere (001 §31–32; 002 §29); no timing rules.
    'AS-7': { minPlanShare: null, applyDaysAhead: null, maxOffCampusMonths: null },
    // AS-9: 国家、省、市、县、校 (001 §34); single or overall awards; no public posting required.
    'AS-9': { levels: ['NATIONAL', 'PROVINCIAL', 'CITY', 'COUNTY', 'SCHOOL'], publicPosting: false },
    // AS-10: 001 §35; 002 §35; 003b §27.
    'AS-10': { kinds: ['WARNING', 'SERIOUS_WARNING', 'DEMERIT', 'PROBATION', 'EXPULSION'] },
    // AS-11: decided by the principal's office meeting and filed with the authority (001 §37); no minor expelled
    // against the law (the Minors Protection Law holds everywhere; see docs/decisions.md).
    'AS-11': {
      decidingBody: 'PRINCIPAL_OFFICE_MEETING',
      authorityStep: 'FILING',
      minorsProtected: true,
      adultAge: 18,
    },
    // AS-12: "经过一段时间的教育" sets no period; 6 months for warnings, 12 for demerit and probation (docs/decisions.md).
    'AS-12': {
      revocableAfterMonths: { WARNING: 6, SERIOUS_WARNING: 6, DEMERIT: 12, PROBATION: 12 },
      onStudentApplication: false,
    },
    // AS-13: the school decides lesser sanctions by its own procedure; the student or guardian is told (001 §38).
    'AS-13': { decidingBody: 'SCHOOL_OFFICE', publicPosting: false },
    // AS-14: 15 working days to appeal a review decision to the authority, 30 for its answer (001 §38; 002 §36).
    'AS-14': { appealWorkingDays: 15, authorityAnswerWorkingDays: 30, authorityAppeal: true },
    // AS-17: hubei-shiyan's alone (003a 一.7).
    'AS-17': { applies: false, cultureTestStudyYear: 1 },
    // GR-1: conduct passed; all courses passed or credits met; internship passed (001 §40; 002 §38); holding status
    // and the plan's length (GR-2) are read as conditions everywhere (docs/decisions.md).
    'GR-1': {
      conditions: ['STATUS', 'CONDUCT', 'RESULTS', 'INTERNSHIP', 'DURATION'],
      integratedAfterVocationalStage: false,
    },
    // GR-2: no early graduation and no late cap in the baseline.
    'GR-2': { earlyYears: 0, lateCapYears: null },
    // GR-3: the school submits the graduate list, the authority verifies it (验印) any time of the year.
    'GR-3': { verificationWindows: null, cityIssuesBlanks: false },
    // GR-4: one student, one diploma, a number unique in the country (docs/decisions.md for its shape).
    'GR-4': { format: 'NATIONAL' },
    'GR-5': { statesStudyFormAndDuration: false },
    // GR-6: a certificate of completion, exchanged after make-ups; no limit in the baseline (001 §45).
    'GR-6': { applies: true, exchangeWithinYears: null },
    // GR-7: a factual study record for a student leaving early (001 §46; 002 §41).
    'GR-7': { studyRecord: true, partialStudyCertificate: false, partialStudyMinYears: 1 },
    // GR-8: a lost diploma is never reissued; the school issues an academic credential certificate of equal force,
    // on the holder's identity checked, as often as one is lost (the baseline of 001 §47, 002 §42, 003b §37;
    // docs/decisions.md).
    'GR-8': { applies: true, issuer: 'SCHOOL', requiredProofs: ['IDENTITY_DOCUMENT'], oncePerCertificate: false },
    // GR-9: recall of certificates after a cancelled admission is fujian's rule (003b §36).
    'GR-9': { applies: false },
    // GR-12: the correction of verification data through the authority is fujian's rule (003b §43).
    'GR-12': { applies: false },
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

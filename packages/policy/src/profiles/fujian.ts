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
        { intake: 'SPRING', entryMonths: [1, 5], reviewBy: '08-15', deadline: '08-31', onlyNonFreshGraduates: false },
        { intake: 'AUTUMN', entryMonths: [6, 12], reviewBy: '12-15', deadline: '12-31', onlyNonFreshGraduates: false },
      ],
    },
    'ENR-1': { adultsAllowed: true }, // 003b §3: adults (veterans, workers) by diploma, year-round
    'ENR-10': { applies: true, deferralYears: 1 }, // 003b §7
    'ENR-11': { format: 'FUJIAN_10_DIGIT' }, // 003b §8
    'ENR-13': { flexibleYears: { min: 2, max: 7 } }, // 003b §30
    'ENR-16': { admissionByCategory: true }, // 003b §5
    'ENR-17': { applies: true, lapseDays: 14 }, // 003b §9, deferral on request
    // SC-2: 003b §10 "有正当理由" (a proper reason); a bare personal wish is not one.
    'SC-2': { grounds: ['HOUSEHOLD_MOVE', 'FAMILY_MOVE', 'NO_FOLLOW_ON_CLASS', 'OTHER'] },
    // SC-3: 003b §11: within the province both schools agree (the receiving school then files);
    // across provinces both schools agree and both authorities approve.
    'SC-3': {
      sameProvince: ['SENDING_SCHOOL', 'RECEIVING_SCHOOL'],
      acrossProvinces: ['SENDING_SCHOOL', 'RECEIVING_SCHOOL', 'SENDING_AUTHORITY', 'RECEIVING_AUTHORITY'],
    },
    // SC-4: 003b §10: after one semester; "毕业年级原则上不得转学" is enforced as a bar (no exception route).
    'SC-4': { minSemestersStudied: 1, graduatingYearBarred: true },
    'SC-5': { timing: 'FIRST_MONTH_OF_SEMESTER' }, // 003b §11: apply within a month after the semester starts
    // SC-8: 003b §10: year-1 students with a proper reason.
    'SC-8': { grounds: ['APTITUDE_OR_INTEREST', 'ILLNESS_OR_DISABILITY', 'MAJOR_DISCONTINUED', 'OTHER'] },
    // SC-9: 003b §10: year 1 only, whatever the category.
    'SC-9': { acrossCategoriesBy: { studyYear: 1, semester: 2 }, withinCategoryBy: { studyYear: 1, semester: 2 } },
    'SC-11': { allSchoolsCreditSystem: true }, // 003b §18 (credit system), §24 (no repeats under it)
    // SC-12: 003b §12's five items: illness (twice), leave, work or a start-up (after a year, aged 16+), national
    // rules such as military service. Going abroad is not among them.
    'SC-12': { grounds: ['ILLNESS', 'PERSONAL_LEAVE', 'MILITARY_SERVICE', 'WORK'] },
    'SC-13': { periodUnit: 'year', cumulativeCapMonths: 48 }, // 003b §13
    'SC-16': { guardianSignatureRequired: false }, // 003b §15: on the student's application; §16 the guardian is told
    'SC-17': {
      mode: 'shall',
      // 003b §15.2: time in study including suspension beyond the maximum length.
      imposedGrounds: [
        'SUSPENSION_OVERDUE',
        'SUSPENDED_TWO_YEARS_UNABLE',
        'TRUANCY',
        'ABSENT_WITHOUT_LEAVE',
        'BEYOND_MAXIMUM_LENGTH',
      ],
    },
    'SC-18': { applies: true }, // 003b §16: 退学的学生不得申请复学
    'AS-11': { minorsProtected: true }, // 003b §28: 不得违反法律和国家规定开除未成年学生
    'AS-12': { onStudentApplication: true }, // 003b §29: 由学生提出申请，经学校审批
    // AS-14: 003b §28: the school reviews the student's appeal and answers; 003b names no appeal to the authority.
    'AS-14': { authorityAppeal: false },
    'AS-1': { creditSystem: true }, // 003b §18: credits and moral assessment (学分制)
    'AS-4': { applies: true, flexibleStudentsOnly: false }, // 003b §22: exemption and the credit bank
    'AS-5': { applies: true }, // 003b §34
    'AS-6': { medicalExemption: false }, // 003b §20: PE is a compulsory course
    'AS-15': { applies: true, makeUpAfterRepentance: true }, // 003b §21
    'AS-16': { byTerm: true }, // 003b §18: results and credits into the archive by term (year)
    // GR-1: 003b §31: holds status, conduct, credits, PE passed, a vocational qualification or skill certificate.
    'GR-1': {
      conditions: ['STATUS', 'CONDUCT', 'RESULTS', 'INTERNSHIP', 'PE', 'CERTIFICATE', 'DURATION'],
    },
    'GR-2': { earlyYears: 1, lateCapYears: 4 }, // 003b §30, §34
    // GR-3: 003b §42: electronic verification twice a year, spring by mid-May, autumn by mid-August.
    'GR-3': {
      verificationWindows: [
        { season: 'spring', from: '01-01', to: '05-15' },
        { season: 'autumn', from: '01-01', to: '08-15' },
      ],
    },
    'GR-4': { format: 'FUJIAN_12_DIGIT' }, // 003b §41
    // GR-7: 003b §33 (SC-18 §16): after at least a year with passing results, a partial-study certificate.
    'GR-7': { partialStudyCertificate: true, partialStudyMinYears: 1 },
    // GR-8: 003b §37: 遗失不予补发，允许补办毕业证明书一次; a newspaper notice of the loss, the application at the
    // school, the procedure at the authority that keeps the school's register.
    'GR-8': { issuer: 'AUTHORITY', requiredProofs: ['IDENTITY_DOCUMENT', 'LOSS_NOTICE'], oncePerCertificate: true },
    'GR-9': { applies: true }, // 003b §36
    'GR-12': { applies: true }, // 003b §43: 由证书颁发单位具文并附相关证明材料报主管学籍教育行政部门审核修正
  },
};

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
        { intake: 'ANY', entryMonths: [1, 12], reviewBy: null, deadline: '10-31', onlyNonFreshGraduates: false },
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
    // SC-2: 002 §17 lists household move, family move, no follow-on class "等正当理由" (other proper reasons,
    // evidenced); a bare personal wish is not listed.
    'SC-2': { grounds: ['HOUSEHOLD_MOVE', 'FAMILY_MOVE', 'NO_FOLLOW_ON_CLASS', 'OTHER'] },
    // SC-3: 002 §17: within the city the receiving school handles it and files; across provinces each side files.
    'SC-3': {
      sameProvince: ['SENDING_SCHOOL', 'RECEIVING_SCHOOL', 'RECEIVING_AUTHORITY'],
      acrossProvinces: ['SENDING_SCHOOL', 'RECEIVING_SCHOOL', 'SENDING_AUTHORITY', 'RECEIVING_AUTHORITY'],
    },
    'SC-5': { timing: 'BEFORE_SEMESTER_START', alsoMajorChange: true }, // 002 §18: 转学或转专业应在每学期开学前办理
    'SC-6': { intoGraduatingYear: false }, // 002 §19
    'SC-7': { programmes: ['INTEGRATED'] }, // 002 §20: 贯通培养 students do not transfer
    'SC-8': { certificateHospital: 'GRADE_2A_OR_ABOVE' }, // 002 §21
    'SC-10': { applies: true, provincialApprovalException: false }, // 002 §21: never
    'SC-11': { failedShare: { numerator: 1, denominator: 3 } }, // 002 §16
    // SC-12: 002 §22: illness or other special hardship (personal leave), military service, going abroad.
    'SC-12': {
      grounds: ['ILLNESS', 'PERSONAL_LEAVE', 'MILITARY_SERVICE', 'ABROAD'],
      certificateHospital: 'GRADE_2A_OR_ABOVE',
    },
    'SC-13': { periodUnit: 'semester', cumulativeCapMonths: 24 }, // 002 §22
    'SC-15': { minLeadDays: 1, maxLeadDays: 14, certificateHospital: 'GRADE_2A_OR_ABOVE' }, // 002 §23: 开学前两周内
    // 002 §24: "shall"; notify the guardian, failing that a public notice, then automatic.
    'SC-17': { mode: 'shall', notifyGuardian: true, publicNoticeDays: 10 },
    // AS-11: 002 §35: the authority approves (核准) an expulsion; no minor expelled against the law. 002 §36: every
    // school-level sanction is decided by the school affairs meeting (校务会).
    'AS-11': { decidingBody: 'SCHOOL_AFFAIRS_MEETING', authorityStep: 'APPROVAL', minorsProtected: true },
    // AS-9: 002 §34: 全国、市、区、行业、学校 (the municipality is the provincial level, its districts the county
    // level); rewards are posted publicly (予以公示).
    'AS-9': { levels: ['NATIONAL', 'PROVINCIAL', 'COUNTY', 'INDUSTRY', 'SCHOOL'], publicPosting: true },
    // AS-13: 002 §36: decided by the school affairs meeting and posted publicly (公示).
    'AS-13': { decidingBody: 'SCHOOL_AFFAIRS_MEETING', publicPosting: true },
    // AS-2: 002 §32: written comments each semester or year, a full appraisal at graduation.
    'AS-2': { form: 'WRITTEN_COMMENTS', graduationAppraisal: true },
    'AS-4': { applies: true, flexibleStudentsOnly: false }, // 002 §27, §30
    // AS-6: 002 §28: PE compulsory; exempt with a certificate of a grade-2 hospital or above (see docs/decisions.md).
    'AS-6': { medicalExemption: true, certificateHospital: 'GRADE_2A_OR_ABOVE' },
    // GR-1: 002 §38: integrated (贯通) students who complete the vocational stage may graduate from it.
    'GR-1': { integratedAfterVocationalStage: true },
    'GR-3': { cityIssuesBlanks: true }, // 002 §39: the city hands numbered blanks to schools
    'GR-4': { format: 'CITY_WIDE' }, // 002 §39: city-wide numbering and watermark
    'GR-6': { exchangeWithinYears: 3 }, // 002 §40
    'GR-8': { issuer: 'SCHOOL' }, // 002 §42: 由学校颁发北京市教育委员会统一印制的学历证明书
  },
};

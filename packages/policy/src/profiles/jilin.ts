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
    // AS-11: 001 §37: the principal's office meeting decides, the authority is told (备案); 001 §36 lists the grounds
    // of expulsion with no exception for minors (see docs/decisions.md).
    'AS-11': { decidingBody: 'PRINCIPAL_OFFICE_MEETING', authorityStep: 'FILING', minorsProtected: false },
    'AS-4': { applies: true, flexibleStudentsOnly: true }, // 001 §26: flexible-study students' work and certificates
    'AS-5': { applies: true }, // 001 §28: on application, approved by the school
    // GR-1: 001 §40: also every registration, transfer-in, resumption, major-change and data-change record approved in time.
    'GR-1': {
      conditions: ['STATUS', 'REGISTRATION', 'RECORDS_IN_TIME', 'CONDUCT', 'RESULTS', 'INTERNSHIP', 'DURATION'],
    },
    'GR-2': { earlyYears: 1, lateCapYears: 3 }, // 001 §12, §41
    'GR-5': { statesStudyFormAndDuration: true }, // 001 §44
    // GR-8: 001 §47: the authority's verification office checks the filed record and the proofs: 身份证原件,
    // 登报作废声明原件, 毕业证书验印单原件.
    'GR-8': { issuer: 'AUTHORITY', requiredProofs: ['IDENTITY_DOCUMENT', 'LOSS_NOTICE', 'VERIFICATION_SHEET'] },
  },
};

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
  },
};

/** Part A's pure rules, per profile where the values differ: AS-1, AS-2, AS-3, AS-15, SC-11 (the fact). */
import { loadPolicyProfile, PROFILE_IDS } from '@xueji/policy';
import { checkConduct } from '../src/domain/conduct';
import { checkEarlyCourse, checkPeExemption, checkRecognition, studyYearOn } from '../src/domain/recognition';
import {
  checkMakeUpNumber,
  checkMakeUpTiming,
  checkMakeUpWindow,
  checkPlanCredits,
  checkSitting,
  creditTotals,
  judgeEntry,
  termOfCourse,
  yearFailures,
  type CourseStanding,
  type PriorSitting,
} from '../src/domain/results';

const national = loadPolicyProfile('national');
const jilin = loadPolicyProfile('jilin');
const beijing = loadPolicyProfile('beijing');
const fujian = loadPolicyProfile('fujian');
const shiyan = loadPolicyProfile('hubei-shiyan');
const every = PROFILE_IDS.map((id) => loadPolicyProfile(id));

const rules = (found: { rule: string }[]) => found.map((f) => f.rule);
const student = '00000000-0000-4000-8000-000000000001';

describe('AS-1: a score or a grade', () => {
  it.each(every.map((p) => [p.id, p] as const))('%s: 60 passes, 59.9 fails; a grade passes unless FAIL', (_, p) => {
    expect(judgeEntry({ studentId: student, score: 60 }, p, 'e').result).toEqual({
      score: 60,
      grade: null,
      passed: true,
    });
    expect(judgeEntry({ studentId: student, score: 59.9 }, p, 'e').result?.passed).toBe(false);
    expect(judgeEntry({ studentId: student, grade: 'PASS' }, p, 'e').result?.passed).toBe(true);
    expect(judgeEntry({ studentId: student, grade: 'FAIL' }, p, 'e').result?.passed).toBe(false);
  });

  it('refuses a score out of range or too precise, both or neither, naming the field', () => {
    for (const score of [-1, 100.5, 88.25]) {
      const { problems } = judgeEntry({ studentId: student, score }, national, 'entries[2]');
      expect(problems).toEqual([expect.objectContaining({ rule: 'AS-1', field: 'entries[2].score', input: true })]);
    }
    expect(rules(judgeEntry({ studentId: student, score: 80, grade: 'GOOD' }, national, 'e').problems)).toEqual([
      'AS-1',
    ]);
    expect(rules(judgeEntry({ studentId: student }, national, 'e').problems)).toEqual(['AS-1']);
  });
});

describe('AS-15: cheating or unapproved absence', () => {
  it('fujian: zero and failed; another score alongside is refused', () => {
    expect(judgeEntry({ studentId: student, irregularity: 'CHEATING' }, fujian, 'e').result).toEqual({
      score: 0,
      grade: null,
      passed: false,
    });
    expect(
      rules(judgeEntry({ studentId: student, irregularity: 'CHEATING', score: 50 }, fujian, 'e').problems),
    ).toEqual(['AS-15']);
  });

  it.each([national, jilin, beijing, shiyan].map((p) => [p.id, p] as const))('%s: no such rule, refused', (_, p) => {
    expect(rules(judgeEntry({ studentId: student, irregularity: 'UNAPPROVED_ABSENCE' }, p, 'e').problems)).toEqual([
      'AS-15',
    ]);
  });

  it('fujian: a make-up after cheating needs repentance the school approved', () => {
    const cheated: PriorSitting[] = [{ attempt: 'REGULAR', sitting: 1, passed: false, irregularity: 'CHEATING' }];
    const makeUp = { attempt: 'MAKE_UP' as const, sitting: 1, assessmentType: 'EXAM' as const, makeUpsPerCourse: 1 };
    expect(rules(checkSitting(makeUp, { studentId: student }, cheated, fujian, 'e'))).toEqual(['AS-15']);
    expect(checkSitting(makeUp, { studentId: student, afterRepentance: true }, cheated, fujian, 'e')).toEqual([]);
  });
});

describe('AS-3: make-ups and retakes', () => {
  const failed: PriorSitting[] = [{ attempt: 'REGULAR', sitting: 1, passed: false, irregularity: null }];
  const passed: PriorSitting[] = [{ attempt: 'REGULAR', sitting: 1, passed: true, irregularity: null }];
  const makeUp = (sitting: number, makeUpsPerCourse = 2) => ({
    attempt: 'MAKE_UP' as const,
    sitting,
    assessmentType: 'EXAM' as const,
    makeUpsPerCourse,
  });

  it('a make-up follows a failed sitting, in order, within the school’s number', () => {
    expect(checkSitting(makeUp(1), { studentId: student }, failed, national, 'e')).toEqual([]);
    expect(rules(checkSitting(makeUp(1), { studentId: student }, passed, national, 'e'))).toEqual(['AS-3']);
    expect(rules(checkSitting(makeUp(1), { studentId: student }, [], national, 'e'))).toEqual(['AS-3']);
    expect(rules(checkSitting(makeUp(2), { studentId: student }, failed, national, 'e'))).toEqual(['AS-3']);
    expect(rules(checkSitting(makeUp(2, 1), { studentId: student }, failed, national, 'e'))).toEqual(['AS-3', 'AS-3']);
    const retake = { ...makeUp(1), attempt: 'RETAKE' as const };
    expect(checkSitting(retake, { studentId: student }, failed, national, 'e')).toEqual([]);
    expect(rules(checkSitting(retake, { studentId: student }, passed, national, 'e'))).toEqual(['AS-3']);
  });

  it('AS-1: fujian’s credit system needs the credits required in the plan; elsewhere they are optional', () => {
    expect(rules(checkPlanCredits(null, fujian))).toEqual(['AS-1']);
    expect(checkPlanCredits(120, fujian)).toEqual([]);
    for (const p of [national, jilin, beijing, shiyan]) expect(checkPlanCredits(null, p)).toEqual([]);
  });

  it.each(every.map((p) => [p.id, p] as const))('%s: the school’s number within the ceiling of 2', (_, p) => {
    expect(checkMakeUpNumber(2, p)).toEqual([]);
    expect(checkMakeUpNumber(0, p)).toEqual([]);
    expect(rules(checkMakeUpNumber(3, p))).toEqual(['AS-3']);
  });
});

describe('SC-11: the repeat fact after make-ups', () => {
  const standing = (id: string, studyYear: number, ...passed: boolean[]): CourseStanding => ({
    courseId: id,
    studyYear,
    credits: 3,
    physicalEducation: false,
    sittings: passed.map((p, i) => ({ attempt: i === 0 ? 'REGULAR' : 'MAKE_UP', sitting: i === 0 ? 1 : i, passed: p })),
  });
  const year = [
    standing('a', 1, false),
    standing('b', 1, false, true),
    standing('c', 1, true),
    standing('d', 2, false),
  ];

  it('beijing: 1 of 3 failed after make-ups reaches 1/3; 0 of 3 does not', () => {
    expect(yearFailures(year, 1, beijing)).toEqual({ failedCourses: 1, totalCourses: 3, reachesRepeatShare: true });
    expect(yearFailures([standing('x', 1, true), ...year.slice(1)], 1, beijing)).toMatchObject({
      failedCourses: 0,
      reachesRepeatShare: false,
    });
  });

  it('national, jilin, hubei-shiyan: the counts, the share left to the school (null)', () => {
    for (const p of [national, jilin, shiyan]) {
      expect(yearFailures(year, 1, p)).toEqual({ failedCourses: 1, totalCourses: 3, reachesRepeatShare: null });
    }
  });

  it('fujian (credit system): never a fact', () => {
    expect(yearFailures(year, 1, fujian)).toBeNull();
  });

  it('credits follow passed courses, wherever passed; PE passed only when every PE course is', () => {
    const pe = { ...standing('pe', 1, true), physicalEducation: true, credits: 2 };
    expect(creditTotals([...year, pe], [{ courseId: 'elsewhere', credits: 1.5 }], 20)).toEqual({
      coursesPassed: 3,
      coursesFailed: 2,
      coursesOutstanding: 0,
      creditsEarned: 3 + 3 + 2 + 1.5,
      creditsRequired: 20,
      pePassed: true,
    });
  });

  it('a cohort’s study year and semester are a school-year term', () => {
    expect(termOfCourse(2025, 2, 1)).toBe('2026-2027-1');
  });
});

describe('AS-2: conduct', () => {
  it.each([national, jilin, fujian, shiyan].map((p) => [p.id, p] as const))('%s: four grades each semester', (_, p) => {
    expect(checkConduct({ period: 'SEMESTER', term: '2026-2027-1', grade: 'PASS' }, p)).toEqual([]);
    expect(rules(checkConduct({ period: 'SEMESTER', term: '2026-2027-1' }, p))).toEqual(['AS-2']);
    expect(rules(checkConduct({ period: 'YEAR', term: '2026-2027', grade: 'PASS' }, p))).toEqual(['AS-2']);
    expect(checkConduct({ period: 'GRADUATION' }, p)).toEqual([]);
  });

  it('beijing: written comments each term or year; a written appraisal at graduation', () => {
    expect(rules(checkConduct({ period: 'SEMESTER', term: '2026-2027-1', grade: 'GOOD' }, beijing))).toEqual(['AS-2']);
    expect(checkConduct({ period: 'YEAR', term: '2026-2027', comment: '表现良好' }, beijing)).toEqual([]);
    expect(rules(checkConduct({ period: 'GRADUATION' }, beijing))).toEqual(['AS-2']);
    expect(checkConduct({ period: 'GRADUATION', comment: '全面鉴定' }, beijing)).toEqual([]);
  });

  it('a term in its form, naming the field', () => {
    expect(checkConduct({ period: 'SEMESTER', term: '2026-2028-1', grade: 'GOOD' }, national)).toEqual([
      expect.objectContaining({ rule: 'AS-2', field: 'term', input: true }),
    ]);
    expect(rules(checkConduct({ period: 'GRADUATION', term: '2026-2027', grade: 'GOOD' }, national))).toEqual(['AS-2']);
  });
});

describe('AS-4, AS-5, AS-6: recognition, early courses, PE', () => {
  it('AS-4: national has no rule; jilin flexible students only; beijing and fujian any student', () => {
    expect(rules(checkRecognition('SKILL_CERTIFICATE', { studyForm: 'FULL_TIME' }, national))).toEqual(['AS-4']);
    expect(rules(checkRecognition('PRIOR_WORK', { studyForm: 'FULL_TIME' }, jilin))).toEqual(['AS-4']);
    expect(checkRecognition('PRIOR_WORK', { studyForm: 'FLEXIBLE' }, jilin)).toEqual([]);
    expect(checkRecognition('VOCATIONAL_QUALIFICATION', { studyForm: 'FULL_TIME' }, beijing)).toEqual([]);
    expect(checkRecognition('VOCATIONAL_QUALIFICATION', { studyForm: 'FULL_TIME' }, fujian)).toEqual([]);
    expect(rules(checkRecognition('MEDICAL_EXEMPTION', { studyForm: 'FULL_TIME' }, beijing))).toEqual(['AS-6']);
  });

  it('AS-5: a later year’s course only where the profile allows it (jilin, fujian)', () => {
    for (const p of [jilin, fujian]) expect(checkEarlyCourse(2, 1, p)).toEqual([]);
    for (const p of [national, beijing, shiyan]) expect(rules(checkEarlyCourse(2, 1, p))).toEqual(['AS-5']);
    expect(checkEarlyCourse(1, 2, national)).toEqual([]);
    expect(studyYearOn(2026, '2026-10-10')).toBe(1);
    expect(studyYearOn(2026, '2027-03-01')).toBe(1);
    expect(studyYearOn(2026, '2027-09-01')).toBe(2);
  });

  it('AS-6: beijing exempts PE on a grade-2A certificate; fujian and the baseline never', () => {
    const pe = { physicalEducation: true };
    expect(checkPeExemption(pe, 'GRADE_2A_OR_ABOVE', beijing)).toEqual([]);
    expect(rules(checkPeExemption(pe, 'COUNTY_OR_ABOVE', beijing))).toEqual(['AS-6']);
    expect(rules(checkPeExemption({ physicalEducation: false }, 'GRADE_2A_OR_ABOVE', beijing))).toEqual(['AS-6']);
    for (const p of [national, jilin, fujian, shiyan]) {
      expect(rules(checkPeExemption(pe, 'GRADE_2A_OR_ABOVE', p))).toEqual(['AS-6']);
    }
  });
});

describe('AS-3: make-up timing set by the school', () => {
  const windows = [
    { startsOn: '2027-02-20', endsOn: '2027-02-28' },
    { startsOn: '2027-08-25', endsOn: '2027-08-31' },
  ];
  it('a make-up inside one of the semester’s periods passes, its first and last days included', () => {
    expect(checkMakeUpTiming('MAKE_UP', '2027-02-20', windows, 'examDate')).toEqual([]);
    expect(checkMakeUpTiming('MAKE_UP', '2027-08-31', windows, 'examDate')).toEqual([]);
  });
  it('a make-up outside every period is refused naming AS-3; one without a date too (as input)', () => {
    const outside = checkMakeUpTiming('MAKE_UP', '2027-03-01', windows, 'examDate');
    expect(rules(outside)).toEqual(['AS-3']);
    expect(outside[0]!.message.zh).toContain('2027-02-20–2027-02-28');
    const undated = checkMakeUpTiming('MAKE_UP', null, windows, 'examDate');
    expect(undated).toEqual([expect.objectContaining({ rule: 'AS-3', input: true, field: 'examDate' })]);
  });
  it('a regular sitting or a retake is not bound; a semester with no period set leaves the date open', () => {
    expect(checkMakeUpTiming('REGULAR', '2027-03-01', windows, 'examDate')).toEqual([]);
    expect(checkMakeUpTiming('RETAKE', null, windows, 'examDate')).toEqual([]);
    expect(checkMakeUpTiming('MAKE_UP', null, [], 'examDate')).toEqual([]);
  });
  it('a period runs forward', () => {
    expect(checkMakeUpWindow({ startsOn: '2027-02-20', endsOn: '2027-02-20' }, 'endsOn')).toEqual([]);
    expect(rules(checkMakeUpWindow({ startsOn: '2027-02-21', endsOn: '2027-02-20' }, 'endsOn'))).toEqual(['AS-3']);
  });
});

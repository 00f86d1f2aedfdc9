import { rule, type PolicyProfile } from '@xueji/policy';
import { inputProblem, violation, type RuleViolation } from '@xueji/rules';
import type { AssessmentType, ExamIrregularity, ResultAttempt, ResultGrade } from '@xueji/vocabulary';

/** One student's entry in a recording of a course's results. */
export interface ResultEntry {
  studentId: string;
  score?: number | null;
  grade?: ResultGrade | null;
  irregularity?: ExamIrregularity | null;
  afterRepentance?: boolean | null;
}

/** The sitting being recorded, and the course's facts the rules need. */
export interface SittingFacts {
  attempt: ResultAttempt;
  sitting: number;
  assessmentType: AssessmentType;
  /** The school's number of make-ups per failed course (the plan's, within AS-3's ceiling). */
  makeUpsPerCourse: number;
}

/** An earlier (or the same) sitting of the same student and course, as recorded. */
export interface PriorSitting {
  attempt: ResultAttempt;
  sitting: number;
  passed: boolean;
  irregularity: ExamIrregularity | null;
}

/** What a judged entry is stored as. */
export interface JudgedResult {
  score: number | null;
  grade: ResultGrade | null;
  passed: boolean;
}

const order = (s: { attempt: ResultAttempt; sitting: number }) =>
  ({ REGULAR: 0, MAKE_UP: 1, RETAKE: 2 })[s.attempt] * 1000 + s.sitting;

/**
 * AS-1 / AS-15: the stored form of one entry. A score on the 100-point scale (one decimal) or a grade
 * (优/良/中/及格/不及格; a test may use PASS/FAIL alone), not both; the profile's pass score decides a
 * score. AS-15 (fujian): cheating or an unapproved absence is recorded as zero, failed.
 */
export function judgeEntry(
  entry: ResultEntry,
  profile: PolicyProfile,
  field: string,
): { result: JudgedResult | null; problems: RuleViolation[] } {
  const hasScore = entry.score !== null && entry.score !== undefined;
  const hasGrade = entry.grade !== null && entry.grade !== undefined;
  if (entry.irregularity) {
    if (!rule(profile, 'AS-15').applies) {
      return {
        result: null,
        problems: [
          violation(
            'AS-15',
            '本省规定不以“作弊/无故缺考”记零分，请录入学校评定的成绩',
            'This profile has no zero-score rule for cheating or unapproved absence; record the score the school gave',
            `${field}.irregularity`,
          ),
        ],
      };
    }
    if ((hasScore && entry.score !== 0) || hasGrade) {
      return {
        result: null,
        problems: [
          inputProblem(
            'AS-15',
            '作弊或无故缺考记零分，不另录成绩',
            'Cheating or unapproved absence scores zero; give no other score or grade',
            `${field}.score`,
          ),
        ],
      };
    }
    return { result: { score: 0, grade: null, passed: false }, problems: [] };
  }
  if (hasScore === hasGrade) {
    return {
      result: null,
      problems: [inputProblem('AS-1', '应填写分数或等级之一', 'Give either a score or a grade', `${field}.score`)],
    };
  }
  if (hasScore) {
    const score = entry.score!;
    if (!Number.isFinite(score) || score < 0 || score > 100 || Math.round(score * 10) !== score * 10) {
      return {
        result: null,
        problems: [
          inputProblem(
            'AS-1',
            '分数应在 0–100 之间，至多一位小数',
            'A score lies between 0 and 100, with at most one decimal',
            `${field}.score`,
          ),
        ],
      };
    }
    return { result: { score, grade: null, passed: score >= rule(profile, 'AS-1').passScore }, problems: [] };
  }
  return { result: { score: null, grade: entry.grade!, passed: entry.grade !== 'FAIL' }, problems: [] };
}

/**
 * AS-3 / AS-15: may this sitting be recorded, given the student's other sittings of the course? A
 * regular sitting is sitting 1. A make-up follows a failed sitting of a course not yet passed, in
 * order, at most the school's number of make-ups; after cheating or an unapproved absence (AS-15,
 * fujian) only as a make-up the school allowed after repentance. A retake follows a failed course.
 */
export function checkSitting(
  sitting: SittingFacts,
  entry: ResultEntry,
  others: PriorSitting[],
  profile: PolicyProfile,
  field: string,
): RuleViolation[] {
  const earlier = others.filter((o) => order(o) < order(sitting));
  const passedBefore = earlier.some((o) => o.passed);
  if (sitting.attempt === 'REGULAR') {
    if (sitting.sitting !== 1) {
      return [inputProblem('AS-3', '正常考核只有一次', 'The regular sitting is sitting 1', 'sitting')];
    }
    return [];
  }
  if (earlier.length === 0 || passedBefore) {
    return [
      violation(
        'AS-3',
        passedBefore ? '该课程已合格，不安排补考或重修' : '该课程尚无不合格成绩，不安排补考或重修',
        passedBefore
          ? 'The course is already passed: no make-up or retake'
          : 'The course has no failed result yet: no make-up or retake',
        field,
      ),
    ];
  }
  if (sitting.attempt === 'RETAKE') return [];
  // MAKE_UP
  const found: RuleViolation[] = [];
  if (sitting.sitting > sitting.makeUpsPerCourse) {
    found.push(
      violation(
        'AS-3',
        `学校规定每门不合格课程补考 ${sitting.makeUpsPerCourse} 次，本次为第 ${sitting.sitting} 次`,
        `The school allows ${sitting.makeUpsPerCourse} make-up(s) per failed course; this is make-up ${sitting.sitting}`,
        'sitting',
      ),
    );
  }
  if (sitting.sitting > 1 && !others.some((o) => o.attempt === 'MAKE_UP' && o.sitting === sitting.sitting - 1)) {
    found.push(
      violation(
        'AS-3',
        `第 ${sitting.sitting - 1} 次补考成绩尚未录入`,
        `Make-up ${sitting.sitting - 1} has not been recorded`,
        'sitting',
      ),
    );
  }
  const irregular = earlier.some((o) => o.irregularity !== null);
  if (irregular) {
    const p = rule(profile, 'AS-15');
    if (!p.makeUpAfterRepentance) {
      found.push(
        violation('AS-15', '作弊或无故缺考者不安排补考', 'No make-up after cheating or an unapproved absence', field),
      );
    } else if (!entry.afterRepentance) {
      found.push(
        violation(
          'AS-15',
          '作弊或无故缺考者须确有悔改表现、经学校批准方可补考',
          'After cheating or an unapproved absence a make-up needs the school’s approval after repentance',
          `${field}.afterRepentance`,
        ),
      );
    }
  }
  return found;
}

/** AS-3: a make-up period the school set for one semester's courses (days inclusive, `YYYY-MM-DD`). */
export interface MakeUpWindow {
  startsOn: string;
  endsOn: string;
}

/**
 * AS-3, timing (the school sets "number and timing" of make-ups; the profiles set no bound of their
 * own): where the school has set make-up periods for the course's semester, a make-up carries its
 * exam date and the date lies inside one of them. A regular sitting or a retake is not bound; a
 * semester with no period set leaves the date optional (docs/decisions.md).
 */
export function checkMakeUpTiming(
  attempt: ResultAttempt,
  examDate: string | null | undefined,
  windows: readonly MakeUpWindow[],
  field: string,
): RuleViolation[] {
  if (attempt !== 'MAKE_UP' || windows.length === 0) return [];
  const listed = windows.map((w) => `${w.startsOn}–${w.endsOn}`).join(', ');
  if (!examDate) {
    return [
      inputProblem(
        'AS-3',
        `学校已设定本学期补考时间（${listed}），补考须填写考试日期`,
        `The school set this semester's make-up period(s) (${listed}): a make-up needs its exam date`,
        field,
      ),
    ];
  }
  if (windows.some((w) => w.startsOn <= examDate && examDate <= w.endsOn)) return [];
  return [
    violation(
      'AS-3',
      `补考日期 ${examDate} 不在学校设定的补考时间内（${listed}）`,
      `The make-up date ${examDate} lies outside the school's make-up period(s) (${listed})`,
      field,
    ),
  ];
}

/** AS-3: a make-up period runs forward, its first day no later than its last. */
export function checkMakeUpWindow(window: MakeUpWindow, field: string): RuleViolation[] {
  if (window.startsOn <= window.endsOn) return [];
  return [
    inputProblem('AS-3', '补考时间的结束日不能早于开始日', 'A make-up period cannot end before it starts', field),
  ];
}

/** AS-1: under a credit system (fujian, 003b §18–19) a plan states the credits required to graduate. */
export function checkPlanCredits(requiredCredits: number | null | undefined, profile: PolicyProfile): RuleViolation[] {
  if (!rule(profile, 'AS-1').creditSystem || (requiredCredits !== null && requiredCredits !== undefined)) return [];
  return [
    violation(
      'AS-1',
      '实行学分制，教学计划应规定毕业应修学分',
      'Under the credit system a plan states the credits required to graduate',
      'requiredCredits',
    ),
  ];
}

/** AS-3: the school's number of make-ups per failed course lies within the profile's ceiling. */
export function checkMakeUpNumber(makeUpsPerCourse: number, profile: PolicyProfile): RuleViolation[] {
  const ceiling = rule(profile, 'AS-3').maxMakeUpsPerCourse;
  if (!Number.isInteger(makeUpsPerCourse) || makeUpsPerCourse < 0 || makeUpsPerCourse > ceiling) {
    return [
      violation(
        'AS-3',
        `每门课程补考次数应为 0–${ceiling} 次`,
        `Make-ups per course must be 0 to ${ceiling}`,
        'makeUpsPerCourse',
      ),
    ];
  }
  return [];
}

/** A course of the plan, as the totals count it. */
export interface CourseStanding {
  courseId: string;
  studyYear: number;
  credits: number;
  physicalEducation: boolean;
  /** Sittings recorded for the student, in any order. */
  sittings: { attempt: ResultAttempt; sitting: number; passed: boolean }[];
  /** AS-4 / AS-6: exempted (a certificate, prior work, a hospital certificate): counts as passed. */
  exempted?: boolean;
}

/** Passed (any sitting passed), failed (the latest sitting failed, none passed) or not yet assessed. */
export function standingOf(course: Pick<CourseStanding, 'sittings' | 'exempted'>): 'PASSED' | 'FAILED' | 'OUTSTANDING' {
  if (course.exempted) return 'PASSED';
  if (course.sittings.length === 0) return 'OUTSTANDING';
  return course.sittings.some((s) => s.passed) ? 'PASSED' : 'FAILED';
}

/**
 * SC-11's fact for one study year: courses failed after the make-ups so far, of the year's courses,
 * and whether that reaches the profile's share. Null under a credit system (AS-1, SC-11: no repeats)
 * or when the plan has no course that year.
 */
export function yearFailures(
  courses: CourseStanding[],
  studyYear: number,
  profile: PolicyProfile,
): { failedCourses: number; totalCourses: number; reachesRepeatShare: boolean | null } | null {
  const sc11 = rule(profile, 'SC-11');
  if (rule(profile, 'AS-1').creditSystem || (sc11.allSchoolsCreditSystem && !sc11.creditSystemRepeats)) return null;
  const year = courses.filter((c) => c.studyYear === studyYear);
  if (year.length === 0) return null;
  const failedCourses = year.filter((c) => standingOf(c) === 'FAILED').length;
  const share = sc11.failedShare;
  return {
    failedCourses,
    totalCourses: year.length,
    reachesRepeatShare: share ? failedCourses * share.denominator >= year.length * share.numerator : null,
  };
}

/** `2026-2027-1`: the school year and semester a course of a cohort's plan is taught in. */
export function termOfCourse(cohortYear: number, studyYear: number, semester: number): string {
  const start = cohortYear + studyYear - 1;
  return `${start}-${start + 1}-${semester}`;
}

/** The totals graduation needs (GR-1), and `Student.credits` shows. */
export interface CreditTotals {
  coursesPassed: number;
  coursesFailed: number;
  coursesOutstanding: number;
  creditsEarned: number;
  creditsRequired: number | null;
  pePassed: boolean | null;
}

/**
 * A student's totals against the current plan: each course of the plan passed, failed or
 * outstanding; credits earned by every course passed wherever it was taken (the credit bank, AS-4:
 * a transferred student's earlier results count) plus credits recognised; PE passed (AS-6).
 */
export function creditTotals(
  planCourses: CourseStanding[],
  passedElsewhere: { courseId: string; credits: number }[],
  requiredCredits: number | null,
  recognisedCredits = 0,
): CreditTotals {
  const standing = planCourses.map((c) => ({ c, s: standingOf(c) }));
  const passed = new Map<string, number>();
  for (const { c, s } of standing) if (s === 'PASSED') passed.set(c.courseId, c.credits);
  for (const p of passedElsewhere) passed.set(p.courseId, p.credits);
  const pe = standing.filter(({ c }) => c.physicalEducation);
  const creditsEarned = [...passed.values()].reduce((sum, credits) => sum + credits, 0) + recognisedCredits;
  return {
    coursesPassed: standing.filter(({ s }) => s === 'PASSED').length,
    coursesFailed: standing.filter(({ s }) => s === 'FAILED').length,
    coursesOutstanding: standing.filter(({ s }) => s === 'OUTSTANDING').length,
    creditsEarned: Math.round(creditsEarned * 10) / 10,
    creditsRequired: requiredCredits,
    pePassed: pe.length === 0 ? null : pe.every(({ s }) => s === 'PASSED'),
  };
}

import { rule, type PolicyProfile } from '@xueji/policy';
import { ENDED_STATUS_CODES, type Household, type RegistrationStatus, type StudyForm } from '@xueji/vocabulary';

// The closed lists are the vocabulary's.
export type { Household, RegistrationStatus, StudyForm };

/** What subsidy knows of a student, from events only. Unknown facts are undefined. */
export interface EligibilityFacts {
  registrationStatus: RegistrationStatus;
  /** The status status-change last published, and the day it took effect. */
  studentStatus?: { code: string; since: string } | null;
  studyYear?: number;
  studyForm?: StudyForm;
  household?: Household;
  majorWaiverExcluded?: boolean;
  /**
   * SB-1: the day decided on and the entry date, when the day comes before entry: the student is not
   * yet enrolled, so no period before entry (and no day of one) gives a benefit.
   */
  notYetEntered?: { day: string; entryDate: string } | null;
}

export interface Reason {
  rule: string;
  met: boolean;
  zh: string;
  en: string;
}

export interface Decision {
  eligible: boolean;
  reasons: Reason[];
}

export interface EligibilityDecision {
  grant: Decision;
  tuitionWaiver: Decision;
}

/** The year of study a student is in on a day: year 1 from the entry date, one more each anniversary. */
export function studyYearOn(entryDate: string, day: string): number {
  const [ey, em, ed] = entryDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const anniversaries = y - ey - (m < em || (m === em && d < ed) ? 1 : 0);
  return Math.max(1, anniversaries + 1);
}

const decision = (reasons: Reason[]): Decision => ({ eligible: reasons.every((r) => r.met), reasons });

export const ENDED_STATUSES: ReadonlySet<string> = new Set(ENDED_STATUS_CODES);

/** SB-2 / SC-14: no in-school benefits while suspended; SB-3: leaving ends eligibility from its effective date. */
function currentStatus(facts: EligibilityFacts): Reason | null {
  const s = facts.studentStatus;
  if (!s) return null;
  if (s.code === 'SUSPENDED') {
    return {
      rule: 'SB-2',
      met: false,
      zh: `自 ${s.since} 起休学，休学期间不享受在校待遇（SC-14）`,
      en: `Suspended since ${s.since}: no in-school benefits while suspended (SC-14)`,
    };
  }
  if (ENDED_STATUSES.has(s.code)) {
    return {
      rule: 'SB-3',
      met: false,
      zh: `学籍状态自 ${s.since} 起为 ${s.code}，资助资格终止`,
      en: `Status ${s.code} since ${s.since}: eligibility ended`,
    };
  }
  return null;
}

/** SB-1: a status counts from the entry date; before it the student is not enrolled at the school. */
function beforeEntry(facts: EligibilityFacts): Reason | null {
  const e = facts.notYetEntered;
  if (!e) return null;
  return {
    rule: 'SB-1',
    met: false,
    zh: `${e.day} 尚未入学（入学日期 ${e.entryDate}），入学前不享受资助`,
    en: `Not yet enrolled on ${e.day} (entry on ${e.entryDate}): no benefits before entry`,
  };
}

/** SB-1: only a formal, approved status counts. */
function formalStatus(facts: EligibilityFacts): Reason {
  return facts.registrationStatus === 'APPROVED'
    ? {
        rule: 'SB-1',
        met: true,
        zh: '学籍已经主管部门审核确认',
        en: 'The status is formal (approved by the authority)',
      }
    : {
        rule: 'SB-1',
        met: false,
        zh: `学籍尚未正式确认（注册状态：${facts.registrationStatus}）`,
        en: `The status is not formal (registration ${facts.registrationStatus})`,
      };
}

function inList<T>(
  ruleId: string,
  value: T | undefined,
  allowed: readonly T[],
  what: { zh: string; en: string },
): Reason {
  if (value === undefined) {
    return { rule: ruleId, met: false, zh: `缺少${what.zh}信息`, en: `${what.en} is not known` };
  }
  const met = allowed.includes(value);
  return {
    rule: ruleId,
    met,
    zh: `${what.zh}为${String(value)}，${met ? '符合' : '不符合'}条件（${allowed.join('、')}）`,
    en: `${what.en} is ${String(value)}, ${met ? 'within' : 'outside'} ${allowed.join(', ')}`,
  };
}

/**
 * Grant and waiver decisions from the facts and the profile's SB-6 parameters. Every rule weighed
 * is listed with whether it was met, so an officer sees why, not just yes or no (SB-7).
 */
export function decideEligibility(facts: EligibilityFacts, profile: PolicyProfile): EligibilityDecision {
  const sb6 = rule(profile, 'SB-6');
  const standing = currentStatus(facts);
  const status = beforeEntry(facts) ?? standing ?? formalStatus(facts);
  const grant = decision([
    status,
    inList('SB-6', facts.studyYear, sb6.grant.eligibleStudyYears, { zh: '在读年级', en: 'The year of study' }),
    inList('SB-6', facts.studyForm, sb6.grant.studyForms, { zh: '学习形式', en: 'The study form' }),
    inList('SB-6', facts.household, sb6.grant.householdCategories as Household[], {
      zh: '家庭类别',
      en: 'The household category',
    }),
  ]);
  const waiverReasons = [
    status,
    inList('SB-6', facts.studyYear, sb6.waiver.eligibleStudyYears, { zh: '在读年级', en: 'The year of study' }),
    inList('SB-6', facts.studyForm, sb6.waiver.studyForms, { zh: '学习形式', en: 'The study form' }),
  ];
  if (sb6.waiver.excludeWaiverExcludedMajors) {
    waiverReasons.push(
      facts.majorWaiverExcluded === undefined
        ? { rule: 'SB-6', met: false, zh: '缺少专业信息', en: 'The major is not known' }
        : {
            rule: 'SB-6',
            met: !facts.majorWaiverExcluded,
            zh: facts.majorWaiverExcluded ? '所学专业不在免学费范围内' : '所学专业在免学费范围内',
            en: facts.majorWaiverExcluded
              ? 'The major is excluded from the waiver'
              : 'The major is covered by the waiver',
          },
    );
  }
  return { grant, tuitionWaiver: decision(waiverReasons) };
}

/**
 * SB-5 / SC-10: an agriculture-related major that ever had the tuition waiver is locked against a
 * change of major. The lock follows the history, so a waiver later taken back still counts.
 */
export function waiverLocksMajor(agricultureRelated: boolean | null, periodsGranted: number): boolean {
  return agricultureRelated === true && periodsGranted > 0;
}

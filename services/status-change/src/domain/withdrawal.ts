import { rule, type PolicyProfile } from '@xueji/policy';
import { addMonths, dayNumber, groundRefused, type RuleViolation, violation } from './rules';
import type { ApprovalStepName, ChangeRequestFacts, StudentFacts, WithdrawalGround } from './types';

const GROUND_NAMES: Record<WithdrawalGround, { zh: string; en: string }> = {
  VOLUNTARY: { zh: '本人申请退学', en: 'voluntary withdrawal' },
  SUSPENSION_OVERDUE: { zh: '休学期满未办理复学', en: 'no resumption after the suspension ended' },
  SUSPENDED_TWO_YEARS_UNABLE: { zh: '连续休学两年仍不能复学', en: 'suspended two years and still unable to resume' },
  TRUANCY: { zh: '一学期旷课累计超限', en: 'truancy beyond the limit in a semester' },
  ABSENT_WITHOUT_LEAVE: { zh: '擅自离校', en: 'left school without leave' },
  BEYOND_MAXIMUM_LENGTH: { zh: '在学时间超过最长学习年限', en: 'beyond the maximum length of study' },
  TERM_REGISTRATION_LAPSED: { zh: '逾期未办理学期注册', en: 'term registration lapsed' },
};

/** SC-17: the grounds of an imposed withdrawal under the profile; a lapsed term registration where ENR-17 applies. */
function imposedGrounds(profile: PolicyProfile): WithdrawalGround[] {
  const grounds: WithdrawalGround[] = [...rule(profile, 'SC-17').imposedGrounds];
  if (rule(profile, 'ENR-17').applies) grounds.push('TERM_REGISTRATION_LAPSED');
  return grounds;
}

/** SC-16: voluntary withdrawal rests on a written application (signed by the guardian where required). */
function voluntary(r: ChangeRequestFacts, profile: PolicyProfile): RuleViolation[] {
  const consent = r.withdrawal!.guardianConsentRef;
  if (rule(profile, 'SC-16').guardianSignatureRequired) {
    if (consent) return [];
    return [
      violation(
        'SC-16',
        '退学须有学生本人和监护人签名的书面申请',
        'Withdrawal needs a written application signed by the student and the guardian',
        'withdrawal.guardianConsentRef',
      ),
    ];
  }
  if (consent || r.evidenceRefs.length > 0) return [];
  return [
    violation(
      'SC-16',
      '退学须有学生本人的书面申请',
      'Withdrawal needs the student’s written application',
      'evidenceRefs',
    ),
  ];
}

/** SC-17: a ground the profile knows, and facts that fit it where the student's record shows them. */
function imposed(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  const ground = r.withdrawal!.ground;
  const allowed = imposedGrounds(profile);
  if (!allowed.includes(ground)) {
    return [
      groundRefused('SC-17', 'withdrawal.ground', GROUND_NAMES, ground, {
        zh: '本省规定的退学处理情形',
        en: 'an imposed withdrawal here',
      }),
    ];
  }
  if ((ground === 'SUSPENSION_OVERDUE' || ground === 'SUSPENDED_TWO_YEARS_UNABLE') && s.status !== 'SUSPENDED') {
    return [violation('SC-17', '该学生不在休学状态', 'The student is not suspended', 'withdrawal.ground')];
  }
  if (ground === 'BEYOND_MAXIMUM_LENGTH') {
    // 003b §15.2: time in study including suspension beyond the longest length (ENR-13's flexible maximum).
    const maxYears = rule(profile, 'ENR-13').flexibleYears.max;
    const limit = addMonths(s.entryDate, maxYears * 12);
    if (dayNumber(r.today) < dayNumber(limit)) {
      return [
        violation(
          'SC-17',
          `在学时间（含休学）未超过最长学习年限 ${maxYears} 年（至 ${limit}）`,
          `Time in study including suspension is within the maximum of ${maxYears} years (until ${limit})`,
          'withdrawal.ground',
        ),
      ];
    }
  }
  return [];
}

export function checkWithdrawal(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  return r.withdrawal!.ground === 'VOLUNTARY' ? voluntary(r, profile) : imposed(r, s, profile);
}

export interface ImposedWithdrawalFacts {
  suspensionEndedOn?: string | null;
  resumed: boolean;
  termRegistrationLapsed?: boolean;
  truantHoursThisSemester?: number;
  /** Days in a row away from school without leave. */
  absentDaysInARow?: number;
  today: string;
}

/**
 * SC-17: whether the school must (or, under a "may" profile, may) open an imposed withdrawal: a suspension
 * ended more than `overdueResumptionDays` ago without resumption; a lapsed term registration (ENR-17);
 * truancy at or above the semester's limit; absence without leave for `absenceDays` in a row.
 */
export function imposedWithdrawalDue(
  profile: PolicyProfile,
  facts: ImposedWithdrawalFacts,
): { due: boolean; ground?: WithdrawalGround; rule: 'SC-17' } {
  const p = rule(profile, 'SC-17');
  const allowed = imposedGrounds(profile);
  const overdue =
    !!facts.suspensionEndedOn &&
    !facts.resumed &&
    dayNumber(facts.today) - dayNumber(facts.suspensionEndedOn) > p.overdueResumptionDays;
  const candidates: [WithdrawalGround, boolean][] = [
    ['SUSPENSION_OVERDUE', overdue],
    ['TERM_REGISTRATION_LAPSED', !!facts.termRegistrationLapsed],
    ['TRUANCY', (facts.truantHoursThisSemester ?? 0) >= p.truancyHoursPerSemester],
    ['ABSENT_WITHOUT_LEAVE', (facts.absentDaysInARow ?? 0) >= p.absenceDays],
  ];
  const hit = candidates.find(([ground, happened]) => happened && allowed.includes(ground));
  return hit ? { due: true, ground: hit[0], rule: 'SC-17' } : { due: false, rule: 'SC-17' };
}

/**
 * SC-17: how an imposed withdrawal proceeds. Beijing: tell the guardian, failing that a public notice of
 * `publicNoticeDays`, then the withdrawal is automatic. `automatic` follows the profile's "shall" (视为自动退学).
 */
export function imposedWithdrawalProcedure(profile: PolicyProfile): {
  notifyGuardian: boolean;
  publicNoticeDays: number | null;
  automatic: boolean;
} {
  const p = rule(profile, 'SC-17');
  return { notifyGuardian: p.notifyGuardian, publicNoticeDays: p.publicNoticeDays, automatic: p.mode === 'shall' };
}

/** SC-17 (beijing): the school's record of telling the guardian; if not reached, the public notice's first day. */
export interface GuardianNotice {
  guardianReached: boolean;
  ref: string;
  publicNoticeFrom?: string;
}

/** What SC-17's procedure looks at of an imposed-withdrawal case. */
export interface ImposedCaseFacts {
  imposed: boolean;
  nextStep: ApprovalStepName | null;
  notice: GuardianNotice | null;
}

/** SC-17 (beijing): an imposed withdrawal is confirmed only after the guardian is told or the public notice ran. */
export function imposedProcedureBreaches(
  request: ImposedCaseFacts,
  profile: PolicyProfile,
  today: string,
): RuleViolation[] {
  if (!request.imposed || request.nextStep !== 'SENDING_SCHOOL') return [];
  const procedure = imposedWithdrawalProcedure(profile);
  if (!procedure.notifyGuardian) return [];
  const notice = request.notice;
  if (notice?.guardianReached) return [];
  const days = procedure.publicNoticeDays ?? 0;
  if (notice?.publicNoticeFrom && dayNumber(today) - dayNumber(notice.publicNoticeFrom) >= days) return [];
  return [
    violation(
      'SC-17',
      `须先通知监护人；无法通知的，公告期满 ${days} 天后方可确认退学`,
      `Notify the guardian first; if that fails, a public notice of ${days} days must run before the withdrawal is confirmed`,
      'notice',
    ),
  ];
}

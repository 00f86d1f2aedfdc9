/**
 * The checks around a registration that are not about the applicant's data (those are
 * `checkRegistration`): may the school register (ADM-1), is the teaching point its own (ENR-20),
 * is the person already registered (ENR-6/7), may this reviewer decide (ADM-2, ENR-5), and may the
 * admission be deferred or resumed (ENR-10).
 */
import { regionCovers, type Principal } from '@xueji/auth';
import type { PolicyProfile } from '@xueji/policy';
import type { OtherStatusKind, RegistrationStatus, SchoolStatus } from '@xueji/vocabulary';
import { checkReadmission, deferralUntil, otherStatusViolation } from './lifecycle';
import { violation, type RuleViolation } from './rules';

/** ADM-1: a school that is closed or suspended registers no students. */
export function schoolRegistrationViolations(status: SchoolStatus): RuleViolation[] {
  return status === 'ACTIVE'
    ? []
    : [violation('ADM-1', '学校已停办或暂停招生', 'The school is not active', 'schoolId')];
}

/** ADM-1, for a whole roster file: refused at once. */
export const ADM1_ROSTER_REFUSED = violation(
  'ADM-1',
  '学校已停办或暂停招生，不能注册学生',
  'The school is not active: no registrations',
);

/** ENR-20: a teaching point given with a registration must be a named point of the school. */
export function teachingPointViolations(pointOfSchool: boolean): RuleViolation[] {
  return pointOfSchool
    ? []
    : [
        violation(
          'ENR-20',
          '教学点不属于本校或未备案',
          'The teaching point is not a named point of this school',
          'teachingPointId',
        ),
      ];
}

export const ENR7_OTHER_SCHOOL = violation(
  'ENR-7',
  '该身份证号已在其他学校注册学籍，不得重复注册（一人一籍）',
  'This ID number already holds a status at another school (one person, one status)',
  'idNumber',
);

export const ENR7_RACE = violation(
  'ENR-7',
  '该身份证号已有有效学籍（并发提交），不得重复注册',
  'This ID number already holds an active status (concurrent submission)',
  'idNumber',
);

export const ENR6_ALREADY_REGISTERED = violation(
  'ENR-6',
  '该学生已在本校注册，不得重复建立学籍',
  'This student is already registered at this school',
  'idNumber',
);

/** ENR-6: one person, one record — the same person twice in one roster file is a mistake in the file. */
export const enr6RepeatedRow = (firstRow: number) =>
  violation(
    'ENR-6',
    `身份证号与第 ${firstRow} 行重复，同一学生只能注册一次`,
    `The ID number repeats row ${firstRow}; a student is registered once`,
    'idNumber',
  );

/** What the records say about the same person elsewhere. */
export interface DuplicateFacts {
  /** The school holding an active status (submitted, approved or deferred) for this ID number, if any. */
  activeAtSchool: string | null;
  /** A status held in another system (the first by kind), when none is active here. */
  otherStatus: { kind: OtherStatusKind; institution: string } | null;
}

/**
 * ENR-6/ENR-7: already registered at this school (`sameSchool`), at another school, or holding a
 * status of another kind the profile excludes.
 */
export function duplicateCheck(
  profile: PolicyProfile,
  schoolId: string,
  facts: DuplicateFacts,
): { sameSchool: boolean; breaches: RuleViolation[] } {
  if (facts.activeAtSchool === schoolId) return { sameSchool: true, breaches: [] };
  if (facts.activeAtSchool) return { sameSchool: false, breaches: [ENR7_OTHER_SCHOOL] };
  return { sameSchool: false, breaches: otherStatusViolation(profile, facts.otherStatus) };
}

/** ENR-7: the corrected ID number is another active student's. */
export const ENR7_CORRECTION_HELD = violation(
  'ENR-7',
  '更正后的身份证号已属于另一名在籍学生（一人一籍），不予更正',
  'The corrected ID number belongs to another student holding a status (one person, one status); not corrected',
  'idNumber',
);

/**
 * ENR-7 for an approved correction of the ID number (SC-21): enrolment owns personal data and
 * refuses a number another active student holds, at any school (its own included), or one holding
 * a status of another kind the profile excludes.
 */
export function idNumberCorrectionBreaches(
  profile: PolicyProfile,
  facts: { heldByAnotherActiveStudent: boolean; otherStatus: DuplicateFacts['otherStatus'] },
): RuleViolation[] {
  if (facts.heldByAnotherActiveStudent) return [ENR7_CORRECTION_HELD];
  return otherStatusViolation(profile, facts.otherStatus);
}

/** ADM-1/ADM-2: the reviewer's region covers the school's competent authority (higher tiers oversee lower ones). */
export function reviewerCovers(reviewer: Principal, authorityRegionCode: string): boolean {
  return (
    reviewer.role === 'AUTHORITY_REVIEWER' &&
    reviewer.regionCode !== undefined &&
    regionCovers(reviewer.regionCode, authorityRegionCode)
  );
}

/** ADM-2 and ENR-5: may this reviewer decide this registration now? */
export function decisionViolations(
  reviewer: Principal,
  registration: { authorityRegionCode: string; registrationStatus: RegistrationStatus },
): RuleViolation[] {
  if (!reviewerCovers(reviewer, registration.authorityRegionCode)) {
    return [violation('ADM-2', '该校不由您所在的主管部门审核', 'This school is not reviewed by your authority', 'id')];
  }
  if (registration.registrationStatus !== 'SUBMITTED') {
    return [
      violation(
        'ENR-5',
        `该注册状态为 ${registration.registrationStatus}，无需审核`,
        `This registration is ${registration.registrationStatus}, not awaiting review`,
        'id',
      ),
    ];
  }
  return [];
}

/** ENR-5: a decision asked for a student that does not exist. */
export const ENR5_NO_STUDENT = violation('ENR-5', '学生不存在', 'No such student', 'id');

/** ENR-10: keep an ill student's admission without status — until when, or why not. */
export function deferral(
  profile: PolicyProfile,
  facts: { certificateRef: string; registrationStatus: RegistrationStatus; today: string },
): { until: string } | { breaches: RuleViolation[] } {
  if (!facts.certificateRef.trim()) {
    return {
      breaches: [violation('ENR-10', '须提交医院证明', 'A hospital certificate is required', 'certificateRef')],
    };
  }
  if (facts.registrationStatus !== 'SUBMITTED' && facts.registrationStatus !== 'APPROVED') {
    return {
      breaches: [violation('ENR-10', '仅在读注册可保留入学资格', 'Only a registration in force can be deferred', 'id')],
    };
  }
  const until = deferralUntil(profile, facts.today);
  return typeof until === 'string' ? { until } : { breaches: [until] };
}

/** ENR-10: re-admission of a deferred student, with a certificate of recovery, before the deferral ends. */
export function readmissionViolations(facts: {
  registrationStatus: RegistrationStatus;
  deferredUntil: string | null;
  certificateRef: string;
  today: string;
}): RuleViolation[] {
  if (facts.registrationStatus !== 'DEFERRED' || !facts.deferredUntil) {
    return [violation('ENR-10', '该学生未保留入学资格', 'This student’s admission is not deferred', 'id')];
  }
  return checkReadmission({
    deferredUntil: facts.deferredUntil,
    today: facts.today,
    certificateRef: facts.certificateRef,
  });
}

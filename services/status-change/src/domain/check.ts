import { rule, type PolicyProfile } from '@xueji/policy';
import { checkMajorChange, checkRepeat } from './programme-changes';
import { checkCancellation, checkCorrection, checkDeath } from './records';
import { inputProblem, isIsoDate, violation, type RuleId, type RuleViolation } from './rules';
import { statusPrecondition } from './status';
import { checkResumption, checkSuspension } from './suspension';
import { checkTransfer } from './transfer';
import type { ChangeKind, ChangeRequestFacts, StudentFacts } from './types';
import { checkWithdrawal } from './withdrawal';

/** Each kind's own section of the request, and the rule named when it is missing. */
const SECTION: Partial<Record<ChangeKind, [keyof ChangeRequestFacts, RuleId]>> = {
  TRANSFER: ['transfer', 'SC-2'],
  MAJOR_CHANGE: ['majorChange', 'SC-8'],
  REPEAT: ['repeat', 'SC-11'],
  SUSPENSION: ['suspension', 'SC-12'],
  WITHDRAWAL: ['withdrawal', 'SC-16'],
  CANCELLATION: ['cancellation', 'SC-19'],
  DATA_CORRECTION: ['correction', 'SC-21'],
};

function wellFormed(r: ChangeRequestFacts, s: StudentFacts): RuleViolation[] {
  const found: RuleViolation[] = [];
  for (const [field, value] of [
    ['today', r.today],
    ['effectiveDate', r.effectiveDate],
    ['entryDate', s.entryDate],
  ] as const) {
    if (!isIsoDate(value)) {
      found.push(inputProblem('ADM-2', `${field} 应为 YYYY-MM-DD 日期`, `${field} must be a date YYYY-MM-DD`, field));
    }
  }
  const section = SECTION[r.kind];
  if (section && !r[section[0]]) {
    found.push(
      inputProblem(
        section[1],
        `缺少${section[0]}的填报内容`,
        `The request lacks its ${section[0]} details`,
        section[0],
      ),
    );
  }
  if (r.kind === 'SUSPENSION' && r.suspension && !(Number.isInteger(r.suspension.months) && r.suspension.months > 0)) {
    found.push(
      inputProblem(
        'SC-13',
        '休学月数应为正整数',
        'Months of suspension must be a whole positive number',
        'suspension.months',
      ),
    );
  }
  return found;
}

/** SC-1: flexible-study students do not transfer, change major or suspend (jilin). */
function flexibleStudy(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  if (!rule(profile, 'SC-1').applies || s.studyForm !== 'FLEXIBLE') return [];
  if (r.kind !== 'TRANSFER' && r.kind !== 'MAJOR_CHANGE' && r.kind !== 'SUSPENSION') return [];
  return [
    violation(
      'SC-1',
      '弹性学习形式的学生原则上不予转学、转专业或休学',
      'Flexible-study students may not transfer, change major or suspend',
      'studyForm',
    ),
  ];
}

function kindRules(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  switch (r.kind) {
    case 'TRANSFER':
      return checkTransfer(r, s, profile);
    case 'MAJOR_CHANGE':
      return checkMajorChange(r, s, profile);
    case 'REPEAT':
      return checkRepeat(r, profile);
    case 'SUSPENSION':
      return checkSuspension(r, s, profile);
    case 'RESUMPTION':
      return checkResumption(r, s, profile);
    case 'WITHDRAWAL':
      return checkWithdrawal(r, s, profile);
    case 'CANCELLATION':
      return checkCancellation(r, profile);
    case 'DEATH':
      return checkDeath(r);
    case 'DATA_CORRECTION':
      return checkCorrection(r, profile);
  }
}

/**
 * Judge a change request against the profile, at submission or at an approval. An empty list means it may
 * go ahead; otherwise every broken rule is listed, each with its id, a bilingual message and the field.
 * Malformed input is reported alone (flagged `input`), since the rules cannot judge it.
 */
export function checkChange(
  request: ChangeRequestFacts,
  student: StudentFacts,
  profile: PolicyProfile,
): RuleViolation[] {
  const basic = wellFormed(request, student);
  if (basic.length > 0) return basic;
  return [
    ...statusPrecondition(request, student, profile),
    ...flexibleStudy(request, student, profile),
    ...kindRules(request, student, profile),
  ];
}

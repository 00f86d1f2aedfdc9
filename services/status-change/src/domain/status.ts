import { rule, type PolicyProfile } from '@xueji/policy';
import { violation, type RuleId, type RuleViolation } from './rules';
import type { ChangeKind, ChangeRequestFacts, StatusCode, StudentFacts } from './types';
import { STATUS_NAMES } from './words';

const KIND_NAMES: Record<ChangeKind, { zh: string; en: string }> = {
  TRANSFER: { zh: '转学', en: 'transfer' },
  MAJOR_CHANGE: { zh: '转专业', en: 'change of major' },
  REPEAT: { zh: '留级', en: 'repeat of a year' },
  SUSPENSION: { zh: '休学', en: 'suspension' },
  RESUMPTION: { zh: '复学', en: 'resumption' },
  WITHDRAWAL: { zh: '退学', en: 'withdrawal' },
  CANCELLATION: { zh: '注销学籍', en: 'cancellation' },
  DEATH: { zh: '死亡登记', en: 'death record' },
  DATA_CORRECTION: { zh: '信息变更', en: 'personal-data correction' },
};

/**
 * Statuses a change may start from. Status changes need a formal status (ENR-5: approved registration);
 * SUSPENDED also allows a further suspension (SC-13 继续休学) and withdrawal (SC-17). A cancellation or a
 * death may also end a registration still under review (ENR-9 re-check). Corrections: any status (SC-21,
 * graduates included).
 */
const ALLOWED_FROM: Record<ChangeKind, readonly StatusCode[] | 'ANY'> = {
  TRANSFER: ['ACTIVE'],
  MAJOR_CHANGE: ['ACTIVE'],
  REPEAT: ['ACTIVE'],
  SUSPENSION: ['ACTIVE', 'SUSPENDED'],
  RESUMPTION: ['SUSPENDED'],
  WITHDRAWAL: ['ACTIVE', 'SUSPENDED'],
  CANCELLATION: ['REGISTRATION_PENDING', 'ACTIVE', 'SUSPENDED'],
  DEATH: ['REGISTRATION_PENDING', 'ACTIVE', 'SUSPENDED'],
  DATA_CORRECTION: 'ANY',
};

/**
 * The rule a status precondition is named after: SC-4 (no transfer while suspended), SC-18 (a withdrawn
 * student does not resume, where the profile says so), SC-15 (only a suspended student resumes), and ADM-2
 * otherwise (only a formally registered student's status can change).
 */
function preconditionRule(kind: ChangeKind, status: StatusCode, profile: PolicyProfile): RuleId {
  if (kind === 'TRANSFER' && status === 'SUSPENDED') return 'SC-4';
  if (kind === 'RESUMPTION') return status === 'WITHDRAWN' && rule(profile, 'SC-18').applies ? 'SC-18' : 'SC-15';
  return 'ADM-2';
}

export function statusPrecondition(
  request: ChangeRequestFacts,
  student: StudentFacts,
  profile: PolicyProfile,
): RuleViolation[] {
  const allowed = ALLOWED_FROM[request.kind];
  // A general high-school student enters vocational status by the transfer itself (SC-6).
  if (allowed === 'ANY' || allowed.includes(student.status) || request.transfer?.fromGeneralHighSchool) return [];
  const kind = KIND_NAMES[request.kind];
  const now = STATUS_NAMES[student.status];
  const id = preconditionRule(request.kind, student.status, profile);
  if (id === 'SC-18') {
    return [violation(id, '已退学的学生不得申请复学', 'A withdrawn student may not resume study', 'status')];
  }
  return [
    violation(
      id,
      `学籍状态为“${now.zh}”的学生不能办理${kind.zh}（须为${allowed.map((s) => `“${STATUS_NAMES[s].zh}”`).join('或')}）`,
      `A student whose status is ${now.en} cannot have a ${kind.en} (needs: ${allowed
        .map((s) => STATUS_NAMES[s].en)
        .join(' or ')})`,
      'status',
    ),
  ];
}

/**
 * The status once the change takes effect. A transfer leaves the student ACTIVE at the receiving school; the
 * sending school's record of the same student ends as TRANSFERRED_OUT (see `SENDING_SCHOOL_STATUS_AFTER_TRANSFER`).
 * A change of major, a repeat and a data correction leave the status as it was.
 */
export function newStatusAfter(kind: ChangeKind, student: StudentFacts, _request: ChangeRequestFacts): StatusCode {
  switch (kind) {
    case 'SUSPENSION':
      return 'SUSPENDED';
    case 'RESUMPTION':
    case 'TRANSFER':
      return 'ACTIVE';
    case 'WITHDRAWAL':
      return 'WITHDRAWN';
    case 'CANCELLATION':
      return 'CANCELLED';
    case 'DEATH':
      return 'DECEASED';
    default:
      return student.status;
  }
}

/** What the sending school's side records when a transfer takes effect. */
export const SENDING_SCHOOL_STATUS_AFTER_TRANSFER: StatusCode = 'TRANSFERRED_OUT';

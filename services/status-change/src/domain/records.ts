import { rule, type PolicyProfile } from '@xueji/policy';
import { approvalTiming, type ApprovalTiming } from '@xueji/rules';
import { groundRefused, inputProblem, isIsoDate, type RuleViolation, violation } from './rules';
import type { ApprovalStepName, CancellationGround, ChangeKind, ChangeRequestFacts, CorrectableField } from './types';

const CANCELLATION_NAMES: Record<CancellationGround, { zh: string; en: string }> = {
  INELIGIBLE_AT_RECHECK: { zh: '复查不合格', en: 'ineligible at the re-check' },
  DEATH: { zh: '死亡', en: 'death' },
  MISSING: { zh: '失踪', en: 'missing' },
  DUPLICATE_STATUS: { zh: '重复学籍', en: 'duplicate status' },
  JOINT_SCHOOLING_TRANSFER: { zh: '联合办学转入合作学校', en: 'transfer into a joint-schooling partner' },
};

const FIELD_NAMES: Record<CorrectableField, { zh: string; en: string }> = {
  name: { zh: '姓名', en: 'name' },
  sex: { zh: '性别', en: 'sex' },
  birthDate: { zh: '出生日期', en: 'date of birth' },
  address: { zh: '家庭住址', en: 'address' },
  idNumber: { zh: '身份证号码', en: 'ID number' },
  household: { zh: '户口性质', en: 'household type' },
};

/** SC-19: the profile's grounds; death and missing rest on the issuing authority's document (002 §25). */
export function checkCancellation(r: ChangeRequestFacts, profile: PolicyProfile): RuleViolation[] {
  const ground = r.cancellation!.ground;
  const allowed = rule(profile, 'SC-19').grounds;
  if (!allowed.includes(ground)) {
    return [
      groundRefused('SC-19', 'cancellation.ground', CANCELLATION_NAMES, ground, {
        zh: '注销学籍的情形',
        en: 'cancellation here',
      }),
    ];
  }
  if ((ground === 'DEATH' || ground === 'MISSING') && r.evidenceRefs.length === 0) {
    return [
      violation(
        'SC-19',
        '因死亡、失踪注销学籍须上传有关部门出具的证明材料',
        'Cancellation for death or a missing student needs the issuing authority’s document',
        'evidenceRefs',
      ),
    ];
  }
  return [];
}

/** SC-20: a death is recorded as a status change, reported up to the province, on a death certificate. */
export function checkDeath(r: ChangeRequestFacts): RuleViolation[] {
  if (r.evidenceRefs.length > 0) return [];
  return [violation('SC-20', '死亡登记须上传死亡证明', 'A death record needs the death certificate', 'evidenceRefs')];
}

/** SC-21: the profile's fields, real changes, and proof of identity; allowed after graduation too. */
export function checkCorrection(r: ChangeRequestFacts, profile: PolicyProfile): RuleViolation[] {
  const fields = r.correction!.fields;
  const allowed = rule(profile, 'SC-21').fields;
  const found: RuleViolation[] = [];
  if (fields.length === 0) {
    found.push(
      inputProblem('SC-21', '请填写要变更的信息项', 'Name at least one field to correct', 'correction.fields'),
    );
  }
  for (const [i, f] of fields.entries()) {
    const name = FIELD_NAMES[f.field] ?? { zh: f.field, en: f.field };
    const at = `correction.fields.${i}`;
    if (!allowed.includes(f.field)) {
      found.push(violation('SC-21', `“${name.zh}”不能通过信息变更修改`, `${name.en} cannot be corrected`, at));
    } else if (!f.newValue.trim() || f.newValue === f.oldValue) {
      found.push(inputProblem('SC-21', `${name.zh}的新值无效或未改变`, `The new ${name.en} is empty or unchanged`, at));
    } else if (f.field === 'birthDate' && !isIsoDate(f.newValue)) {
      found.push(inputProblem('SC-21', '出生日期应为 YYYY-MM-DD', 'The date of birth must be YYYY-MM-DD', at));
    }
  }
  if (r.evidenceRefs.length === 0) {
    found.push(
      violation(
        'SC-21',
        '信息变更须上传学生本人或监护人的合法身份证明等材料',
        'A correction needs proof of identity from the student or the guardian',
        'evidenceRefs',
      ),
    );
  }
  return found;
}

/**
 * ADM-4 / SC-22: the due date of the monthly status-change and data-change reports for `month` (1–12):
 * the profile's day of the next month (hubei-shiyan: the 5th), otherwise the month's last day.
 */
export function monthlyReportDue(profile: PolicyProfile, year: number, month: number): string {
  const day = rule(profile, 'ADM-4').dueDayOfNextMonth;
  const next = new Date(Date.UTC(year, month, 1)); // month is 1-based, so this is the next month's first day
  if (day !== null) next.setUTCDate(day);
  else next.setUTCDate(0); // the day before: the month's last day
  return next.toISOString().slice(0, 10);
}

/**
 * The records GR-1 (jilin) wants approved in time: the transfer-in, the resumption, the change of major
 * and the data change (the personal-data correction). The registration is enrolment's.
 */
const TIMED_KINDS: ReadonlySet<ChangeKind> = new Set(['TRANSFER', 'RESUMPTION', 'MAJOR_CHANGE', 'DATA_CORRECTION']);

/** What the timing of a request is judged on: when it was submitted, its approvals, the final one. */
export interface RequestTimingFacts {
  kind: ChangeKind;
  submittedAt: Date;
  /** The final approval (the request became APPROVED); null while it is not. */
  decidedAt: Date | null;
  /** Each step approved so far, and when. */
  approvals: { step: ApprovalStepName; at: Date }[];
}

/**
 * ADM-3 / SC-22 (GR-1 jilin): whether the competent authority approved the record within the month the
 * school submitted it (China time). A transfer's record is the transfer-in at the receiving side: the
 * receiving school submits it by approving its step, and the final approval decides it; without a
 * receiving school step, the request's submission counts. Null for kinds that are no such record.
 */
export function recordTiming(r: RequestTimingFacts): ApprovalTiming | null {
  if (!TIMED_KINDS.has(r.kind) || !r.decidedAt) return null;
  const receiving = r.kind === 'TRANSFER' ? r.approvals.find((a) => a.step === 'RECEIVING_SCHOOL') : undefined;
  return approvalTiming(receiving?.at ?? r.submittedAt, r.decidedAt);
}

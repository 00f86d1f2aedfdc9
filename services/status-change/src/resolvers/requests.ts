import { requireRole, type Principal } from '@xueji/auth';
import { badUserInput, conflict, notFound, policyViolation } from '@xueji/errors';
import { refusal, isUuid } from '@xueji/rules';
import type { ServiceContext } from '@xueji/service-kit';
import type { EntityManager } from 'typeorm';
import {
  approvalSteps,
  checkChange,
  dayNumber,
  imposedWithdrawalProcedure,
  type CancellationGround,
  type ChangeKind,
  type MajorChangeGround,
  type RuleViolation,
  type SuspensionGround,
  type TransferGround,
  type WithdrawalGround,
} from '../domain';
import { ApprovalStep, ChangeRequest } from '../entities/change-request';
import { takeEffect } from './effect';
import { requestFacts, studentFacts } from './facts';
import { requireActorAt, schoolEntry } from './parties';

export interface ChangeRequestInput {
  studentId: string;
  kind: ChangeKind;
  effectiveDate: string;
  evidenceRefs?: string[] | null;
  comment?: string | null;
  transfer?: {
    toSchoolId: string;
    ground: TransferGround;
    fromGeneralHighSchool?: boolean;
    highSchoolMonthsStudied?: number;
  } | null;
  majorChange?: { toMajorCode: string; ground: MajorChangeGround; provincialApproval?: boolean } | null;
  repeat?: { failedCourses: number; totalCourses: number; creditSystemSchool?: boolean } | null;
  suspension?: { ground: SuspensionGround; months: number } | null;
  resumption?: { healthCertificateRef?: string | null } | null;
  withdrawal?: { ground: WithdrawalGround; guardianConsentRef?: string | null } | null;
  cancellation?: { ground: CancellationGround } | null;
  correction?: { fields: { field: string; oldValue?: string | null; newValue: string }[] } | null;
}

/** The kind's own facts, kept with the request and judged by the rules. */
function detailsOf(input: ChangeRequestInput): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (input.transfer)
    d.transfer = {
      ground: input.transfer.ground,
      fromGeneralHighSchool: input.transfer.fromGeneralHighSchool ?? false,
      highSchoolMonthsStudied: input.transfer.highSchoolMonthsStudied,
    };
  if (input.majorChange) {
    d.majorChange = {
      ground: input.majorChange.ground,
      toMajorCode: input.majorChange.toMajorCode,
      toMajorCategoryCode: input.majorChange.toMajorCode.slice(0, 2),
      provincialApproval: input.majorChange.provincialApproval ?? false,
    };
  }
  if (input.repeat) d.repeat = { ...input.repeat, creditSystemSchool: input.repeat.creditSystemSchool ?? false };
  if (input.suspension) d.suspension = input.suspension;
  if (input.resumption) d.resumption = input.resumption;
  if (input.withdrawal) d.withdrawal = input.withdrawal;
  if (input.cancellation) d.cancellation = input.cancellation;
  if (input.correction)
    d.correction = { fields: input.correction.fields.map((f) => ({ ...f, oldValue: f.oldValue ?? null })) };
  return d;
}

async function record(
  manager: EntityManager,
  requestId: string,
  step: string,
  action: ApprovalStep['action'],
  principal: Principal,
  comment?: string | null,
) {
  await manager.getRepository(ApprovalStep).insert({
    requestId,
    step,
    action,
    actor: principal.subject,
    role: principal.role,
    comment: comment ?? null,
    at: new Date(),
  });
}

/** A school registrar submits a change for one of its students; the SC rules are checked now and at every approval. */
export async function submitChangeRequest(ctx: ServiceContext, input: ChangeRequestInput): Promise<ChangeRequest> {
  const principal = requireRole(ctx.principal, 'SCHOOL_REGISTRAR');
  if (!isUuid(input.studentId)) throw notFound({ zh: '学生不存在', en: 'No such student' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.effectiveDate)) {
    throw badUserInput(
      { zh: '生效日期应为 YYYY-MM-DD', en: 'The effective date must be YYYY-MM-DD' },
      { field: 'effectiveDate' },
    );
  }
  if (input.kind === 'TRANSFER' && (!input.transfer || !isUuid(input.transfer.toSchoolId))) {
    throw badUserInput(
      { zh: '转学须指定转入学校', en: 'A transfer needs the receiving school' },
      { field: 'transfer.toSchoolId' },
    );
  }
  return ctx.dataSource.transaction(async (manager) => {
    const { record: student, facts: studentNow } = await studentFacts(manager, input.studentId);
    if (student.schoolId !== principal.schoolId) {
      throw policyViolation('ADM-2', {
        zh: '只能为本校学生申报异动',
        en: 'Only the student’s own school submits its changes',
      });
    }
    const draft = manager.getRepository(ChangeRequest).create({
      studentId: input.studentId,
      kind: input.kind,
      state: 'PENDING',
      fromSchoolId: student.schoolId,
      toSchoolId: input.transfer?.toSchoolId ?? null,
      effectiveDate: input.effectiveDate,
      details: detailsOf(input),
      evidenceRefs: (input.evidenceRefs ?? []).map((r) => r.trim()).filter(Boolean),
      imposed: false,
      notice: null,
      submittedBy: principal.subject,
      submittedRole: principal.role,
      submittedAt: new Date(),
      decidedAt: null,
      reason: null,
    });
    if (input.kind === 'TRANSFER' && !(await schoolEntry(manager, draft.toSchoolId))) {
      throw notFound({ zh: '转入学校不存在', en: 'No such receiving school' });
    }
    const facts = await requestFacts(manager, draft, ctx.today(), 'SUBMISSION');
    const breaches = checkChange(facts, studentNow, ctx.profile);
    if (breaches.length > 0) throw refusal(breaches);
    draft.steps = approvalSteps(input.kind, facts, ctx.profile);
    draft.nextStep = draft.steps[0] ?? null;
    const saved = await manager.getRepository(ChangeRequest).save(draft);
    await record(manager, saved.id, 'SUBMITTED', 'SUBMIT', principal, input.comment);
    return saved;
  });
}

/** Lock a request for a decision; two reviewers acting at once get one outcome (the second sees it decided). */
async function lockPending(manager: EntityManager, id: string): Promise<ChangeRequest> {
  const request = isUuid(id)
    ? await manager.getRepository(ChangeRequest).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } })
    : null;
  if (!request) throw notFound({ zh: '申请不存在', en: 'No such request' });
  if (request.state !== 'PENDING' || !request.nextStep) {
    throw conflict(
      { zh: `该申请已处理（${request.state}）`, en: `This request has already been decided (${request.state})` },
      { state: request.state },
    );
  }
  return request;
}

/** SC-17 (beijing): an imposed withdrawal is confirmed only after the guardian is told or the public notice ran. */
function imposedProcedureBreaches(request: ChangeRequest, ctx: ServiceContext): RuleViolation[] {
  if (!request.imposed || request.nextStep !== 'SENDING_SCHOOL') return [];
  const procedure = imposedWithdrawalProcedure(ctx.profile);
  if (!procedure.notifyGuardian) return [];
  const notice = request.notice;
  if (notice?.guardianReached) return [];
  const days = procedure.publicNoticeDays ?? 0;
  if (notice?.publicNoticeFrom && dayNumber(ctx.today()) - dayNumber(notice.publicNoticeFrom) >= days) return [];
  return [
    {
      rule: 'SC-17',
      field: 'notice',
      message: {
        zh: `须先通知监护人；无法通知的，公告期满 ${days} 天后方可确认退学`,
        en: `Notify the guardian first; if that fails, a public notice of ${days} days must run before the withdrawal is confirmed`,
      },
    },
  ];
}

/** Approve the request's next step; the rules are checked again; after the last step it takes effect on its date. */
export async function approveChangeRequest(
  ctx: ServiceContext,
  id: string,
  comment: string | null,
): Promise<ChangeRequest> {
  const principal = requireRole(ctx.principal, 'SCHOOL_REGISTRAR', 'AUTHORITY_REVIEWER');
  return ctx.dataSource.transaction(async (manager) => {
    const request = await lockPending(manager, id);
    const step = request.nextStep!;
    await requireActorAt(manager, principal, request, step);
    const { facts: student } = await studentFacts(manager, request.studentId);
    const breaches = [
      ...imposedProcedureBreaches(request, ctx),
      ...checkChange(await requestFacts(manager, request, ctx.today(), 'APPROVAL'), student, ctx.profile),
    ];
    if (breaches.length > 0) throw refusal(breaches);
    await record(manager, request.id, step, 'APPROVE', principal, comment);
    const position = request.steps.indexOf(step);
    request.nextStep = request.steps[position + 1] ?? null;
    if (!request.nextStep) {
      request.state = 'APPROVED';
      request.decidedAt = new Date();
    }
    await manager.getRepository(ChangeRequest).save(request);
    if (request.state === 'APPROVED' && dayNumber(request.effectiveDate) <= dayNumber(ctx.today())) {
      await takeEffect(manager, ctx.topics, request, ctx.today());
    }
    return request;
  });
}

/** Reject at the current step, with a reason: nothing changes and nothing is published. */
export async function rejectChangeRequest(ctx: ServiceContext, id: string, reason: string): Promise<ChangeRequest> {
  const principal = requireRole(ctx.principal, 'SCHOOL_REGISTRAR', 'AUTHORITY_REVIEWER');
  if (!reason.trim())
    throw badUserInput({ zh: '退回须说明理由', en: 'A rejection needs a reason' }, { field: 'reason' });
  return ctx.dataSource.transaction(async (manager) => {
    const request = await lockPending(manager, id);
    await requireActorAt(manager, principal, request, request.nextStep!);
    await record(manager, request.id, request.nextStep!, 'REJECT', principal, reason);
    Object.assign(request, { state: 'REJECTED', nextStep: null, decidedAt: new Date(), reason: reason.trim() });
    return manager.getRepository(ChangeRequest).save(request);
  });
}

/** The submitter withdraws the request before any authority has reviewed it. */
export async function withdrawChangeRequest(
  ctx: ServiceContext,
  id: string,
  reason: string | null,
): Promise<ChangeRequest> {
  const principal = requireRole(ctx.principal, 'SCHOOL_REGISTRAR');
  return ctx.dataSource.transaction(async (manager) => {
    const request = await lockPending(manager, id);
    if (request.submittedBy !== principal.subject) {
      throw policyViolation('ADM-2', { zh: '只有申报人可以撤回申请', en: 'Only the submitter may withdraw a request' });
    }
    const reviewed =
      (await manager.getRepository(ApprovalStep).countBy({ requestId: id, step: 'SENDING_AUTHORITY' })) > 0;
    if (reviewed) {
      throw policyViolation('ADM-2', {
        zh: '主管部门已审核，不能撤回',
        en: 'The authority has reviewed it; it can no longer be withdrawn',
      });
    }
    await record(manager, request.id, request.nextStep!, 'WITHDRAW', principal, reason);
    Object.assign(request, {
      state: 'WITHDRAWN',
      nextStep: null,
      decidedAt: new Date(),
      reason: reason?.trim() || null,
    });
    return manager.getRepository(ChangeRequest).save(request);
  });
}

/** SC-17 (beijing): the school records whether it reached the guardian; if not, the public notice starts today. */
export async function recordGuardianNotice(
  ctx: ServiceContext,
  id: string,
  reached: boolean,
  ref: string,
): Promise<ChangeRequest> {
  const principal = requireRole(ctx.principal, 'SCHOOL_REGISTRAR');
  if (!ref.trim())
    throw badUserInput({ zh: '请提供通知记录', en: 'Give a reference to the notice record' }, { field: 'ref' });
  return ctx.dataSource.transaction(async (manager) => {
    const request = await lockPending(manager, id);
    await requireActorAt(manager, principal, request, 'SENDING_SCHOOL');
    request.notice = reached
      ? { guardianReached: true, ref }
      : { guardianReached: false, ref, publicNoticeFrom: ctx.today() };
    await record(
      manager,
      request.id,
      'SENDING_SCHOOL',
      'NOTIFY_GUARDIAN',
      principal,
      `${reached ? 'reached' : 'public notice'}: ${ref}`,
    );
    return manager.getRepository(ChangeRequest).save(request);
  });
}

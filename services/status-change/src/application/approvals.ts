import type { EntityManager } from 'typeorm';
import { regionCovers, type Principal } from '@xueji/auth';
import { conflict, forbidden, notFound } from '@xueji/errors';
import { isUuid } from '@xueji/rules';
import type { Actor, UnitOfWork } from '@xueji/service-kit';
import type { ApprovalAction } from '@xueji/vocabulary';
import { ApprovalStep, ChangeRequest, type ApprovalStepName } from '../entities/change-request';
import { schoolEntry } from '../reads';

/** The steps of a request's approval: who may act at each, the lock a decision takes, and the domain's record of it. */

/** One line of the request's own history (`approval_step`): who did what at which step, and why. */
export async function recordStep(
  uow: Pick<UnitOfWork, 'manager' | 'now'>,
  requestId: string,
  step: string,
  action: ApprovalStep['action'],
  who: Actor,
  comment?: string | null,
): Promise<void> {
  await uow.manager.getRepository(ApprovalStep).insert({
    requestId,
    step,
    action,
    actor: who.subject,
    role: who.role,
    // The scope acted for, so the same subject acting for two schools is told apart.
    actorSchoolId: who.role === 'SCHOOL_REGISTRAR' ? (who.schoolId ?? null) : null,
    actorRegionCode: who.role === 'AUTHORITY_REVIEWER' ? (who.regionCode ?? null) : null,
    comment: comment ?? null,
    at: uow.now(),
  });
}

/** Lock a request for a decision; two reviewers acting at once get one outcome (the second sees it decided). */
export async function lockPending(manager: EntityManager, id: string): Promise<ChangeRequest> {
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

const STEP_ZH: Record<ApprovalStepName, string> = {
  SENDING_SCHOOL: '学校审核',
  SENDING_AUTHORITY: '主管部门审核',
  RECEIVING_SCHOOL: '转入学校审核',
  RECEIVING_AUTHORITY: '转入地主管部门审核',
};

/** Who acts at a step (SC-3, ADM-2): each school's registrar, each school's competent authority. */
async function mayActAt(
  manager: EntityManager,
  principal: Principal,
  request: Pick<ChangeRequest, 'fromSchoolId' | 'toSchoolId'>,
  step: ApprovalStepName,
): Promise<boolean> {
  const receiving = step === 'RECEIVING_SCHOOL' || step === 'RECEIVING_AUTHORITY';
  const schoolId = receiving ? request.toSchoolId : request.fromSchoolId;
  if (step === 'SENDING_SCHOOL' || step === 'RECEIVING_SCHOOL') {
    return principal.role === 'SCHOOL_REGISTRAR' && principal.schoolId === schoolId;
  }
  const school = await schoolEntry(manager, schoolId);
  return (
    principal.role === 'AUTHORITY_REVIEWER' &&
    school !== null &&
    principal.regionCode !== undefined &&
    regionCovers(principal.regionCode, school.authorityRegionCode)
  );
}

/** FORBIDDEN unless the caller acts at this step of the request. */
export async function requireActorAt(
  manager: EntityManager,
  principal: Principal,
  request: ChangeRequest,
  step: ApprovalStepName,
): Promise<void> {
  if (!(await mayActAt(manager, principal, request, step))) {
    throw forbidden({
      zh: `此步骤（${STEP_ZH[step]}）不由您办理`,
      en: `This step (${step.toLowerCase().replace('_', ' ')}) is not yours to act on`,
    });
  }
}

/** The actions that decide a step (a guardian notice, the submission and taking effect do not). */
const DECISIONS: ReadonlySet<ApprovalAction> = new Set(['APPROVE', 'REJECT', 'WITHDRAW']);

/**
 * A repeated approve, e.g. a client retrying after a lost response: the caller's own approval is
 * the last decision at the steps this caller may act on (same subject and role, and still a party
 * to those steps). Then the request as it is now, and the step they approved; otherwise null. A
 * different reviewer, or a step of theirs decided by someone else since, is no repeat.
 */
export async function approvalAlreadyTaken(
  manager: EntityManager,
  principal: Principal,
  id: string,
): Promise<{ request: ChangeRequest; step: ApprovalStepName } | null> {
  const request = isUuid(id) ? await manager.getRepository(ChangeRequest).findOneBy({ id }) : null;
  if (!request) return null;
  const rows = await manager.getRepository(ApprovalStep).find({ where: { requestId: id }, order: { id: 'ASC' } });
  const ours = new Map<ApprovalStepName, boolean>();
  let last: ApprovalStep | null = null;
  for (const row of rows) {
    const step = row.step as ApprovalStepName;
    if (!DECISIONS.has(row.action) || !request.steps.includes(step)) continue;
    if (!ours.has(step)) ours.set(step, await mayActAt(manager, principal, request, step));
    if (ours.get(step)) last = row;
  }
  if (last?.action !== 'APPROVE' || last.actor !== principal.subject || last.role !== principal.role) return null;
  return { request, step: last.step as ApprovalStepName };
}

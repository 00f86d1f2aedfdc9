import { requirePrincipal } from '@xueji/auth';
import { badUserInput, CodedError, forbidden, policyViolation } from '@xueji/errors';
import { fields, limits, refusal, text } from '@xueji/rules';
import { command, type Command } from '@xueji/service-kit';
import { checkChange, dayNumber, imposedProcedureBreaches } from '../domain';
import { ChangeRequest, type ApprovalStepName } from '../entities/change-request';
import { authorityHasReviewed, requestFacts, studentFacts } from '../reads';
import { approvalAlreadyTaken, lockPending, recordStep, requireActorAt } from './approvals';
import { takeEffect } from './take-effect';

/** A decision on a request: the request afterwards, and the step it was taken at. */
export interface Decision {
  request: ChangeRequest;
  step: ApprovalStepName;
}

const decisionAudit = ({ request, step }: Decision, reason: string | null | undefined) => ({
  entity: 'change_request',
  entityId: request.id,
  reason: reason ?? null,
  details: { step, state: request.state },
});

/** Approve the request's next step; the rules are checked again; after the last step it takes effect on its date. */
const approveNextStep = command<{ id: string; comment: string | null }, Decision>({
  name: 'APPROVE_CHANGE_REQUEST',
  roles: ['SCHOOL_REGISTRAR', 'AUTHORITY_REVIEWER'],
  validate: limits(fields({ comment: text('comment') })),
  async run(uow, { id, comment }) {
    const { manager } = uow;
    const request = await lockPending(manager, id);
    const step = request.nextStep!;
    await requireActorAt(manager, uow.actor, request, step);
    const { facts: student } = await studentFacts(manager, request.studentId);
    const breaches = [
      ...imposedProcedureBreaches(request, uow.profile, uow.today()),
      ...checkChange(await requestFacts(manager, request, uow.today(), 'APPROVAL'), student, uow.profile),
    ];
    if (breaches.length > 0) throw refusal(breaches);
    await recordStep(uow, request.id, step, 'APPROVE', uow.actor, comment);
    const position = request.steps.indexOf(step);
    request.nextStep = request.steps[position + 1] ?? null;
    if (!request.nextStep) {
      request.state = 'APPROVED';
      request.decidedAt = uow.now();
    }
    await manager.getRepository(ChangeRequest).save(request);
    if (request.state === 'APPROVED' && dayNumber(request.effectiveDate) <= dayNumber(uow.today())) {
      await takeEffect(uow, request);
    }
    return { request, step };
  },
  audit: (decision, { comment }) => decisionAudit(decision, comment),
});

/**
 * `approveNextStep`, idempotent for its caller: an approve repeated by the same caller (a retry after
 * a lost response) of the step they already took — the request decided since (CONFLICT) or waiting
 * at a step not theirs (FORBIDDEN) — is answered as success with the request as it is now, and
 * writes nothing: no approval step, no audit row, no event. Anyone else still gets the refusal.
 */
export const approveChangeRequest: Pick<
  Command<{ id: string; comment: string | null }, Decision>,
  'name' | 'execute'
> = {
  name: approveNextStep.name,
  async execute(ctx, input) {
    try {
      return await approveNextStep.execute(ctx, input);
    } catch (error) {
      if (!(error instanceof CodedError) || (error.code !== 'CONFLICT' && error.code !== 'FORBIDDEN')) throw error;
      const repeated = await approvalAlreadyTaken(ctx.dataSource.manager, requirePrincipal(ctx.principal), input.id);
      if (!repeated) throw error;
      return repeated;
    }
  },
};

/** Reject at the current step, with a reason: nothing changes and nothing is published. */
export const rejectChangeRequest = command<{ id: string; reason: string }, Decision>({
  name: 'REJECT_CHANGE_REQUEST',
  roles: ['SCHOOL_REGISTRAR', 'AUTHORITY_REVIEWER'],
  validate: limits(fields({ reason: text('reason') })),
  async run(uow, { id, reason }) {
    const { manager } = uow;
    if (!reason.trim())
      throw badUserInput({ zh: '退回须说明理由', en: 'A rejection needs a reason' }, { field: 'reason' });
    const request = await lockPending(manager, id);
    const step = request.nextStep!;
    await requireActorAt(manager, uow.actor, request, step);
    await recordStep(uow, request.id, step, 'REJECT', uow.actor, reason);
    Object.assign(request, { state: 'REJECTED', nextStep: null, decidedAt: uow.now(), reason: reason.trim() });
    return { request: await manager.getRepository(ChangeRequest).save(request), step };
  },
  audit: (decision) => decisionAudit(decision, decision.request.reason),
});

/**
 * The submitter withdraws the request before any authority has reviewed it (ADM-2). The caller must
 * be the submitting school's registrar as well as the submitter: a subject alone is no scope.
 */
export const withdrawChangeRequest = command<{ id: string; reason: string | null }, Decision>({
  name: 'WITHDRAW_CHANGE_REQUEST',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ reason: text('reason') })),
  async run(uow, { id, reason }) {
    const { manager } = uow;
    const request = await lockPending(manager, id);
    const step = request.nextStep!;
    // Issue 10: another school's token is out of scope, whatever subject it carries.
    if (uow.actor.schoolId !== request.fromSchoolId) {
      throw forbidden({
        zh: '只有申报学校可以撤回申请',
        en: 'Only the school that submitted a request may withdraw it',
      });
    }
    if (request.submittedBy !== uow.actor.subject) {
      throw policyViolation('ADM-2', { zh: '只有申报人可以撤回申请', en: 'Only the submitter may withdraw a request' });
    }
    if (await authorityHasReviewed(manager, request.id)) {
      throw policyViolation('ADM-2', {
        zh: '主管部门已审核，不能撤回',
        en: 'The authority has reviewed it; it can no longer be withdrawn',
      });
    }
    await recordStep(uow, request.id, step, 'WITHDRAW', uow.actor, reason);
    Object.assign(request, {
      state: 'WITHDRAWN',
      nextStep: null,
      decidedAt: uow.now(),
      reason: reason?.trim() || null,
    });
    return { request: await manager.getRepository(ChangeRequest).save(request), step };
  },
  audit: (decision) => decisionAudit(decision, decision.request.reason),
});

/** SC-17 (beijing): the school records whether it reached the guardian; if not, the public notice starts today. */
export const recordGuardianNotice = command<{ id: string; reached: boolean; ref: string }, Decision>({
  name: 'RECORD_GUARDIAN_NOTICE',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ ref: text('reference') })),
  async run(uow, { id, reached, ref }) {
    const { manager } = uow;
    if (!ref.trim())
      throw badUserInput({ zh: '请提供通知记录', en: 'Give a reference to the notice record' }, { field: 'ref' });
    const request = await lockPending(manager, id);
    const step: ApprovalStepName = 'SENDING_SCHOOL';
    await requireActorAt(manager, uow.actor, request, step);
    request.notice = reached
      ? { guardianReached: true, ref }
      : { guardianReached: false, ref, publicNoticeFrom: uow.today() };
    await recordStep(
      uow,
      request.id,
      step,
      'NOTIFY_GUARDIAN',
      uow.actor,
      `${reached ? 'reached' : 'public notice'}: ${ref}`,
    );
    return { request: await manager.getRepository(ChangeRequest).save(request), step };
  },
  audit: (decision, { reached, ref }) => ({
    ...decisionAudit(decision, ref),
    details: {
      step: decision.step,
      guardianReached: reached,
      publicNoticeFrom: decision.request.notice?.publicNoticeFrom,
    },
  }),
});

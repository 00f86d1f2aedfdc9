import { createEvent, topicOfType } from '@xueji/events';
import { command, NothingToDo, systemActor, type SystemActor, type UnitOfWork } from '@xueji/service-kit';
import {
  addMonths,
  checkChange,
  dayNumber,
  newStatusAfter,
  recordTiming,
  type ChangeRequestFacts,
  type RuleViolation,
} from '../domain';
import { ChangeRequest, type SchoolDirectoryEntry, StudentRecord, SuspensionPeriod } from '../entities/change-request';
import { StatusChange, StudentStatus } from '../entities/status';
import { requestFacts, requestTimingFacts, schoolEntry, studentFacts } from '../reads';
import { recordStep } from './approvals';

const EVENT_KIND = {
  TRANSFER: 'TRANSFER',
  MAJOR_CHANGE: 'MAJOR_CHANGE',
  REPEAT: 'REPEAT',
  SUSPENSION: 'SUSPENSION',
  RESUMPTION: 'RESUMPTION',
  WITHDRAWAL: 'WITHDRAWAL',
  CANCELLATION: 'CANCELLATION',
  DEATH: 'DEATH',
} as const;

/**
 * A step of a unit of work, not a command of its own: an approved request takes effect on its date.
 * The status moves, the history records it, and one event is published (plus a partner copy without
 * personal data), all in the caller's transaction. Run by the last approval when the date has come
 * (`approveChangeRequest`), or by the scheduled job on the date (`takeEffectWhenDue`).
 */
export async function takeEffect(uow: UnitOfWork, request: ChangeRequest): Promise<void> {
  const { manager, topics } = uow;
  const { facts: student } = await studentFacts(manager, request.studentId);
  const facts = await requestFacts(manager, request, uow.today(), 'APPROVAL');
  const previous = student.status;
  const next = newStatusAfter(request.kind, student, facts);
  const at = new Date(`${request.effectiveDate}T00:00:00+08:00`);
  // ADM-3 / SC-22 (GR-1 jilin): whether the record was approved within the month it was submitted.
  const timing = recordTiming(await requestTimingFacts(manager, request));

  if (request.kind === 'DATA_CORRECTION') {
    // SC-21 / ENR-7: enrolment owns personal data. The request waits for it to apply or refuse the
    // correction (`settleCorrection`); nothing is effective, and no other service applies it, before.
    uow.publish({
      topic: topics.own,
      event: createEvent('xueji.status-change.personal-data.correction-approved.v1', request.studentId, {
        requestId: request.id,
        studentId: request.studentId,
        effectiveDate: request.effectiveDate,
        corrections: facts.correction!.fields,
        ...(timing ?? {}),
      }),
    });
    request.state = 'APPLYING';
    await manager.getRepository(ChangeRequest).save(request);
    return;
  }
  await manager
    .getRepository(StudentStatus)
    .upsert({ studentId: request.studentId, code: next, since: at }, ['studentId']);
  await manager.getRepository(StatusChange).insert({
    studentId: request.studentId,
    kind: request.kind,
    previousStatus: previous,
    newStatus: next,
    effectiveAt: at,
    requestId: request.id,
    schoolId: request.fromSchoolId,
    toSchoolId: request.toSchoolId,
  });
  const from = await schoolEntry(manager, request.fromSchoolId);
  const to = await schoolEntry(manager, request.toSchoolId);
  await applyToRecords(uow, request, facts, to);
  const data = {
    studentId: request.studentId,
    kind: EVENT_KIND[request.kind as keyof typeof EVENT_KIND],
    effectiveDate: request.effectiveDate,
    previousStatus: previous,
    newStatus: next,
    schoolId: request.fromSchoolId,
    regionCode: from?.regionCode ?? '000000',
    ...(to
      ? {
          toSchoolId: to.schoolId,
          toRegionCode: to.regionCode,
          // ENR-11: each origin, under its own name.
          fromOtherProvince: !facts.transfer?.toSameProvince,
          fromGeneralHighSchool: facts.transfer?.fromGeneralHighSchool ?? false,
        }
      : {}),
    ...(facts.majorChange ? { toMajorCode: facts.majorChange.toMajorCode } : {}),
    ...(timing ?? {}),
  };
  // The change and its partner copy: the schools' counties and names where the directory knows them (issue 14).
  uow.publish(
    { topic: topics.own, event: createEvent('xueji.status-change.status.changed.v1', request.studentId, data) },
    {
      topic: topics[topicOfType('xueji.status-change.partner.status-changed.v1')],
      event: createEvent('xueji.status-change.partner.status-changed.v1', request.studentId, {
        studentId: data.studentId,
        kind: data.kind,
        effectiveDate: data.effectiveDate,
        previousStatus: data.previousStatus,
        newStatus: data.newStatus,
        schoolId: data.schoolId,
        ...(from ? { regionCode: from.regionCode, schoolName: from.name } : {}),
        ...(to ? { toSchoolId: to.schoolId, toRegionCode: to.regionCode, toSchoolName: to.name } : {}),
      }),
    },
  );
  request.state = 'EFFECTIVE';
  await manager.getRepository(ChangeRequest).save(request);
  await recordStep(uow, request.id, 'EFFECTIVE', 'TAKE_EFFECT', systemActor('system'));
}

/** What the change means for this service's own records (suspension periods, school, major). */
async function applyToRecords(
  uow: UnitOfWork,
  request: ChangeRequest,
  facts: ChangeRequestFacts,
  to: SchoolDirectoryEntry | null,
): Promise<void> {
  const { manager } = uow;
  if (request.kind === 'SUSPENSION' && facts.suspension) {
    await manager.getRepository(SuspensionPeriod).insert({
      studentId: request.studentId,
      requestId: request.id,
      ground: facts.suspension.ground,
      fromDate: request.effectiveDate,
      toDate: addMonths(request.effectiveDate, facts.suspension.months),
      resumedOn: null,
    });
  } else if (request.kind === 'RESUMPTION') {
    await manager.query(`UPDATE suspension_period SET resumed_on = $2 WHERE student_id = $1 AND resumed_on IS NULL`, [
      request.studentId,
      request.effectiveDate,
    ]);
  } else if (request.kind === 'TRANSFER' && request.toSchoolId) {
    await manager.getRepository(StudentRecord).update(request.studentId, { schoolId: request.toSchoolId });
    await manager.query(`UPDATE student_scope SET school_id = $2, region_code = $3 WHERE student_id = $1`, [
      request.studentId,
      request.toSchoolId,
      to!.regionCode,
    ]);
  } else if (request.kind === 'MAJOR_CHANGE' && facts.majorChange) {
    await manager.getRepository(StudentRecord).update(request.studentId, {
      majorCode: facts.majorChange.toMajorCode,
      majorCategoryCode: facts.majorChange.toMajorCategoryCode,
    });
  }
}

/** The reason a request refused on its date keeps: each broken rule, its id and both languages. */
const refusalReason = (breaches: { rule: string; message: RuleViolation['message'] }[]) =>
  breaches.map((b) => `${b.rule}: ${b.message.zh} / ${b.message.en}`).join('; ');

/**
 * On its date the request is judged again (SC rules, at the approval stage): what was approved earlier
 * may no longer fit (SC-13: another suspension took the cap meanwhile; the status moved on). If it does
 * not, it ends REJECTED with the broken rules as its reason, in the history as the system's REJECT at
 * the EFFECTIVE step; nothing takes effect and nothing is published.
 */
async function refusedOnItsDate(uow: UnitOfWork, request: ChangeRequest): Promise<boolean> {
  const { manager } = uow;
  const { facts: student } = await studentFacts(manager, request.studentId, request);
  const breaches = checkChange(await requestFacts(manager, request, uow.today(), 'APPROVAL'), student, uow.profile);
  if (breaches.length === 0) return false;
  const reason = refusalReason(breaches);
  Object.assign(request, { state: 'REJECTED', nextStep: null, reason });
  await manager.getRepository(ChangeRequest).save(request);
  await recordStep(uow, request.id, 'EFFECTIVE', 'REJECT', systemActor('system'), reason);
  uow.logger.warn({ requestId: request.id, rules: breaches.map((b) => b.rule) }, 'approved change refused on its date');
  return true;
}

/**
 * The scheduled job's step: an approved request whose date has come is judged again and takes effect
 * (or ends refused, see `refusedOnItsDate`), in a transaction of its own. A request another instance
 * holds, or one no longer due, is left alone (`NothingToDo`).
 */
export const takeEffectWhenDue = command<{ requestId: string }, ChangeRequest, SystemActor>({
  name: 'TAKE_EFFECT',
  roles: 'SYSTEM',
  async run(uow, { requestId }) {
    const request = await uow.manager.getRepository(ChangeRequest).findOne({
      where: { id: requestId, state: 'APPROVED' },
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
    if (!request || dayNumber(request.effectiveDate) > dayNumber(uow.today())) {
      throw new NothingToDo(`change request ${requestId} is not due or is taken`);
    }
    if (!(await refusedOnItsDate(uow, request))) await takeEffect(uow, request);
    return request;
  },
  audit: (request) => ({
    entity: 'change_request',
    entityId: request.id,
    ...(request.state === 'REJECTED' ? { reason: request.reason } : {}),
    details: { kind: request.kind, effectiveDate: request.effectiveDate, state: request.state },
  }),
});

/** Enrolment's answer to an approved correction: applied, or refused with a rule. */
export type CorrectionAnswer =
  | { requestId: string | null; applied: true }
  | { requestId: string; applied: false; rule: string; reason: { zh: string; en: string } };

/**
 * SC-21 / ENR-7: enrolment, which owns personal data, answered a correction waiting in APPLYING.
 * Applied: the request is EFFECTIVE. Refused: it ends REJECTED with enrolment's rule and reason,
 * as the system's REJECT at the EFFECTIVE step. An answer to nothing waiting (a correction of the
 * old event type, or an answer delivered again) changes nothing.
 */
export const settleCorrection = command<CorrectionAnswer, ChangeRequest | null, SystemActor>({
  name: 'SETTLE_CORRECTION',
  roles: 'SYSTEM',
  async run(uow, answer) {
    if (answer.requestId === null) return null;
    const requests = uow.manager.getRepository(ChangeRequest);
    const request = await requests.findOne({
      where: { id: answer.requestId, state: 'APPLYING' },
      lock: { mode: 'pessimistic_write' },
    });
    if (!request) return null;
    if (answer.applied) {
      request.state = 'EFFECTIVE';
      await requests.save(request);
      await recordStep(uow, request.id, 'EFFECTIVE', 'TAKE_EFFECT', systemActor('system'));
    } else {
      const reason = refusalReason([{ rule: answer.rule, message: answer.reason }]);
      Object.assign(request, { state: 'REJECTED', nextStep: null, reason });
      await requests.save(request);
      await recordStep(uow, request.id, 'EFFECTIVE', 'REJECT', systemActor('system'), reason);
    }
    return request;
  },
  audit: (request, answer) => ({
    entity: 'change_request',
    entityId: answer.requestId ?? 'none',
    ...(request?.state === 'REJECTED' ? { reason: request.reason } : {}),
    details: { applied: answer.applied, state: request?.state ?? null },
  }),
});

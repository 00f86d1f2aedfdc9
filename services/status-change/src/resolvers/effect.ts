import type { EntityManager } from 'typeorm';
import type { TopicNames } from '@xueji/config';
import { createEvent } from '@xueji/events';
import { appendEntriesToOutbox, appendToOutbox } from '@xueji/outbox';
import { addMonths, newStatusAfter } from '../domain';
import { ApprovalStep, ChangeRequest, StudentRecord, SuspensionPeriod } from '../entities/change-request';
import { StatusChange, StudentStatus } from '../entities/status';
import { requestFacts, studentFacts } from './facts';
import { schoolEntry } from './parties';

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
 * An approved request takes effect on its date: the status moves, the history records it, and one
 * event is published (plus a partner copy without personal data) — all in the caller's transaction.
 */
export async function takeEffect(
  manager: EntityManager,
  topics: TopicNames,
  request: ChangeRequest,
  today: string,
): Promise<void> {
  const { facts: student } = await studentFacts(manager, request.studentId);
  const facts = await requestFacts(manager, request, today, 'APPROVAL');
  const previous = student.status;
  const next = newStatusAfter(request.kind, student, facts);
  const at = new Date(`${request.effectiveDate}T00:00:00+08:00`);

  if (request.kind === 'DATA_CORRECTION') {
    await appendToOutbox(
      manager,
      topics.own,
      createEvent('xueji.status-change.personal-data.corrected.v1', request.studentId, {
        studentId: request.studentId,
        effectiveDate: request.effectiveDate,
        corrections: facts.correction!.fields,
      }),
    );
  } else {
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
    await applyToRecords(manager, request, facts);
    const from = await schoolEntry(manager, request.fromSchoolId);
    const to = await schoolEntry(manager, request.toSchoolId);
    const data = {
      studentId: request.studentId,
      kind: EVENT_KIND[request.kind as keyof typeof EVENT_KIND],
      effectiveDate: request.effectiveDate,
      previousStatus: previous,
      newStatus: next,
      schoolId: request.fromSchoolId,
      regionCode: from?.regionCode ?? '000000',
      ...(to
        ? { toSchoolId: to.schoolId, toRegionCode: to.regionCode, fromOtherProvince: !facts.transfer?.toSameProvince }
        : {}),
      ...(facts.majorChange ? { toMajorCode: facts.majorChange.toMajorCode } : {}),
    };
    // The change and its partner copy, in one statement.
    await appendEntriesToOutbox(manager, [
      { topic: topics.own, event: createEvent('xueji.status-change.status.changed.v1', request.studentId, data) },
      {
        topic: topics.partnerStatus,
        event: createEvent('xueji.status-change.partner.status-changed.v1', request.studentId, {
          studentId: data.studentId,
          kind: data.kind,
          effectiveDate: data.effectiveDate,
          previousStatus: data.previousStatus,
          newStatus: data.newStatus,
          schoolId: data.schoolId,
          ...(to ? { toSchoolId: to.schoolId } : {}),
        }),
      },
    ]);
  }
  request.state = 'EFFECTIVE';
  await manager.getRepository(ChangeRequest).save(request);
  await manager.getRepository(ApprovalStep).insert({
    requestId: request.id,
    step: 'EFFECTIVE',
    action: 'TAKE_EFFECT',
    actor: 'system',
    role: 'SYSTEM',
    comment: null,
    at: new Date(),
  });
}

/** What the change means for this service's own records (suspension periods, school, major). */
async function applyToRecords(
  manager: EntityManager,
  request: ChangeRequest,
  facts: Awaited<ReturnType<typeof requestFacts>>,
): Promise<void> {
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
    const to = await schoolEntry(manager, request.toSchoolId);
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

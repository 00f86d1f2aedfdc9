/**
 * A status moved by another service's fact, not by a request (an expulsion, its reinstatement, a
 * graduation, a completion): the status, its history, and the change published with its partner
 * copy like any effective change, in the caller's unit of work.
 */
import { createEvent, topicOfType } from '@xueji/events';
import type { SystemActor, UnitOfWork } from '@xueji/service-kit';
import type { StatusChangeKind, StatusCode } from '@xueji/vocabulary';
import { StatusChange, StudentStatus } from '../entities/status';
import { schoolEntry } from '../reads';

/** The stand-in county of a student whose scope is not known here (see assessment-events). */
const UNKNOWN_REGION = '000000';

export interface StatusMove {
  studentId: string;
  kind: Extract<StatusChangeKind, 'EXPULSION' | 'REINSTATEMENT' | 'GRADUATION' | 'COMPLETION'>;
  to: StatusCode;
  /** The statuses the move may start from; by default any other than `to`. */
  from?: readonly StatusCode[];
  effectiveDate: string;
  schoolId: string;
  regionCode: string;
}

export interface Moved {
  previous: StatusCode | null;
  moved: boolean;
}

/** Move the status, record it and publish it; nothing when the student is unknown here or the move does not start from its status. */
export async function moveStatus(uow: UnitOfWork<SystemActor>, change: StatusMove): Promise<Moved> {
  const statuses = uow.manager.getRepository(StudentStatus);
  const current = await statuses.findOne({
    where: { studentId: change.studentId },
    lock: { mode: 'pessimistic_write' },
  });
  const previous = current?.code ?? null;
  const starts = change.from ? change.from.includes(previous!) : previous !== change.to;
  if (previous === null || !starts) return { previous, moved: false };
  const at = new Date(`${change.effectiveDate}T00:00:00+08:00`);
  await statuses.upsert({ studentId: change.studentId, code: change.to, since: at }, ['studentId']);
  await uow.manager.getRepository(StatusChange).insert({
    studentId: change.studentId,
    kind: change.kind,
    previousStatus: previous,
    newStatus: change.to,
    effectiveAt: at,
    requestId: null,
    schoolId: change.schoolId,
    toSchoolId: null,
  });
  const data = {
    studentId: change.studentId,
    kind: change.kind,
    effectiveDate: change.effectiveDate,
    previousStatus: previous,
    newStatus: change.to,
    schoolId: change.schoolId,
    regionCode: change.regionCode,
  };
  // The partner copy names the school's county (the directory's, else the fact's unless unknown) and name (issue 14).
  const school = await schoolEntry(uow.manager, change.schoolId);
  const regionCode = school?.regionCode ?? (change.regionCode === UNKNOWN_REGION ? undefined : change.regionCode);
  uow.publish(
    { topic: uow.topics.own, event: createEvent('xueji.status-change.status.changed.v1', change.studentId, data) },
    {
      topic: uow.topics[topicOfType('xueji.status-change.partner.status-changed.v1')],
      event: createEvent('xueji.status-change.partner.status-changed.v1', change.studentId, {
        studentId: data.studentId,
        kind: data.kind,
        effectiveDate: data.effectiveDate,
        previousStatus: data.previousStatus,
        newStatus: data.newStatus,
        schoolId: data.schoolId,
        ...(regionCode ? { regionCode } : {}),
        ...(school ? { schoolName: school.name } : {}),
      }),
    },
  );
  return { previous, moved: true };
}

import type { EntityManager } from 'typeorm';
import { selectOne } from '@xueji/db';
import { notFound } from '@xueji/errors';
import type { ChangeRequestFacts, StatusCode, StudentFacts } from '../domain';
import {
  ApprovalStep,
  ChangeRequest,
  SchoolDirectoryEntry,
  StudentRecord,
  SuspensionPeriod,
} from '../entities/change-request';
import { StudentStatus } from '../entities/status';

/** The reads the commands judge by: a student's facts, a request's facts, a school of the directory. */

export interface LoadedStudent {
  record: StudentRecord;
  facts: StudentFacts;
}

/** A school of the directory (learned from enrolment's events), or null. */
export async function schoolEntry(
  manager: EntityManager,
  schoolId: string | null,
): Promise<SchoolDirectoryEntry | null> {
  return schoolId ? manager.getRepository(SchoolDirectoryEntry).findOneBy({ schoolId }) : null;
}

/** The facts the SC rules judge a student by, from this service's own records. */
export async function studentFacts(manager: EntityManager, studentId: string): Promise<LoadedStudent> {
  const record = await manager.getRepository(StudentRecord).findOneBy({ studentId });
  const status = await manager.getRepository(StudentStatus).findOneBy({ studentId });
  if (!record || !status)
    throw notFound({ zh: '学籍异动系统中没有该学生', en: 'Status-change has no record of this student' });
  const periods = await manager
    .getRepository(SuspensionPeriod)
    .find({ where: { studentId }, order: { fromDate: 'ASC' } });
  return {
    record,
    facts: {
      status: status.code,
      entryDate: record.entryDate ?? status.since.toISOString().slice(0, 10),
      expectedYears: record.expectedYears ?? 3,
      studyForm: record.studyForm ?? 'FULL_TIME',
      programme: record.programme ?? 'REGULAR',
      majorCode: record.majorCode,
      majorCategoryCode: record.majorCategoryCode,
      agricultureRelated: record.agricultureRelated,
      hadTuitionWaiver: record.hadTuitionWaiver,
      suspensions: periods.map((p) => ({
        from: p.fromDate,
        to: p.resumedOn ?? p.toDate,
        ground: p.ground,
      })),
    },
  };
}

/** The request's facts for the rules, on a day, at a stage (judged at submission and at every approval). */
export async function requestFacts(
  manager: EntityManager,
  request: Pick<ChangeRequest, 'kind' | 'effectiveDate' | 'evidenceRefs' | 'details' | 'fromSchoolId' | 'toSchoolId'>,
  today: string,
  stage: ChangeRequestFacts['stage'],
): Promise<ChangeRequestFacts> {
  const facts: ChangeRequestFacts = {
    kind: request.kind,
    today,
    stage,
    effectiveDate: request.effectiveDate,
    evidenceRefs: request.evidenceRefs,
    ...(request.details as Partial<ChangeRequestFacts>),
  };
  if (request.kind === 'TRANSFER' && facts.transfer) {
    const from = await schoolEntry(manager, request.fromSchoolId);
    const to = await schoolEntry(manager, request.toSchoolId);
    if (!to) throw notFound({ zh: '转入学校不存在', en: 'No such receiving school' });
    facts.transfer = {
      ...facts.transfer,
      direction: 'OUT_AND_IN',
      toSameProvince: from?.regionCode.slice(0, 2) === to.regionCode.slice(0, 2),
      toSameCity: from?.regionCode.slice(0, 4) === to.regionCode.slice(0, 4),
    };
  }
  return facts;
}

/** A student's school and current status, for opening an imposed-withdrawal case (SC-17). */
export interface StudentStandingRow {
  schoolId: string;
  status: StatusCode;
}

export function studentStanding(manager: EntityManager, studentId: string): Promise<StudentStandingRow | null> {
  return selectOne<StudentStandingRow>(
    manager,
    `SELECT r.school_id AS "schoolId", s.code AS status
       FROM student_record r JOIN student_status s USING (student_id) WHERE r.student_id = $1`,
    [studentId],
  );
}

/** Whether the sending authority has acted on a request (the submitter may no longer withdraw it). */
export function authorityHasReviewed(manager: EntityManager, requestId: string): Promise<boolean> {
  return manager.getRepository(ApprovalStep).existsBy({ requestId, step: 'SENDING_AUTHORITY' });
}

import type { EntityManager } from 'typeorm';
import { selectOne } from '@xueji/db';
import { notFound } from '@xueji/errors';
import {
  addMonths,
  type ChangeRequestFacts,
  type RequestTimingFacts,
  type StatusCode,
  type StudentFacts,
  type SuspensionGround,
} from '../domain';
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

/** ADM-3 / SC-22 (GR-1 jilin): what a request's timing is judged on — its submission and each approval. */
export async function requestTimingFacts(
  manager: EntityManager,
  request: Pick<ChangeRequest, 'id' | 'kind' | 'submittedAt' | 'decidedAt'>,
): Promise<RequestTimingFacts> {
  const approvals = await manager
    .getRepository(ApprovalStep)
    .find({ where: { requestId: request.id, action: 'APPROVE' }, order: { at: 'ASC' } });
  return {
    kind: request.kind,
    submittedAt: request.submittedAt,
    decidedAt: request.decidedAt,
    approvals: approvals.map((a) => ({ step: a.step as RequestTimingFacts['approvals'][number]['step'], at: a.at })),
  };
}

/**
 * SC-13: suspensions approved but not yet in effect, as the periods they will be. Judging `request` when it
 * takes effect, the request itself is left out, and so are those approved after it: the earlier approval
 * keeps its months.
 */
async function scheduledSuspensions(
  manager: EntityManager,
  studentId: string,
  request?: Pick<ChangeRequest, 'id' | 'decidedAt'>,
): Promise<StudentFacts['suspensions']> {
  const rows = await manager.query<{ effectiveDate: string; ground: SuspensionGround; months: number }[]>(
    `SELECT to_char(effective_date, 'YYYY-MM-DD') AS "effectiveDate",
            details->'suspension'->>'ground' AS ground, (details->'suspension'->>'months')::int AS months
       FROM change_request
      WHERE student_id = $1 AND kind = 'SUSPENSION' AND state = 'APPROVED'
        AND ($2::uuid IS NULL OR id <> $2::uuid)
        AND ($3::timestamptz IS NULL OR decided_at <= $3::timestamptz)
      ORDER BY effective_date`,
    [studentId, request?.id ?? null, request?.decidedAt ?? null],
  );
  return rows
    .filter((r) => r.ground && Number.isInteger(r.months))
    .map((r) => ({ from: r.effectiveDate, to: addMonths(r.effectiveDate, r.months), ground: r.ground }));
}

/**
 * The facts the SC rules judge a student by, from this service's own records. `takingEffect`: the approved
 * request being re-checked on its date (it is not counted twice among the scheduled suspensions).
 */
export async function studentFacts(
  manager: EntityManager,
  studentId: string,
  takingEffect?: Pick<ChangeRequest, 'id' | 'decidedAt'>,
): Promise<LoadedStudent> {
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
      scheduledSuspensions: await scheduledSuspensions(manager, studentId, takingEffect),
    },
  };
}

/** The request's facts for the rules, on a day, at a stage (judged at submission and at every approval). */
export async function requestFacts(
  manager: EntityManager,
  request: Pick<
    ChangeRequest,
    'studentId' | 'kind' | 'effectiveDate' | 'evidenceRefs' | 'details' | 'fromSchoolId' | 'toSchoolId'
  >,
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
  if (request.kind === 'REPEAT') {
    // SC-11: judged by assessment's most recent count (the year whose results changed last; after a repeat
    // that is the year repeated), never by typed counts.
    const typed = (request.details as { repeat?: { creditSystemSchool?: boolean } }).repeat;
    const fact = await selectOne<{ studyYear: number; failedCourses: number; totalCourses: number }>(
      manager,
      `SELECT study_year AS "studyYear", failed_courses AS "failedCourses", total_courses AS "totalCourses"
         FROM year_failure_fact WHERE student_id = $1 ORDER BY counted_at DESC, study_year DESC LIMIT 1`,
      [request.studentId],
    );
    facts.repeat = { creditSystemSchool: typed?.creditSystemSchool ?? false, fact };
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

import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import { ApprovalStep, ChangeRequest } from '../entities/change-request';
import { StatusChange, StudentStatus } from '../entities/status';

/**
 * The `Student` fields and a request's history, batched per request: whatever number of students
 * (or requests) one GraphQL request asks for, each loader costs one statement.
 */

/** Rows of one key, in the order the statement gave them; an empty list for a key without rows. */
function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const byKey = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) byKey.get(keyOf(row))?.push(row);
  return keys.map((key) => byKey.get(key) ?? []);
}

/** `Student.status`: the current status of each student, null until status-change has heard of it. */
export function studentStatuses(ctx: ServiceContext): DataLoader<string, StudentStatus | null> {
  return perRequest(
    ctx,
    'student-statuses',
    () =>
      new DataLoader<string, StudentStatus | null>(async (studentIds) => {
        const rows = await ctx.dataSource.getRepository(StudentStatus).findBy({ studentId: In([...studentIds]) });
        const byId = new Map(rows.map((row) => [row.studentId, row]));
        return studentIds.map((id) => byId.get(id) ?? null);
      }),
  );
}

/** `Student.statusHistory`: every status change of each student, oldest first. */
export function statusHistories(ctx: ServiceContext): DataLoader<string, StatusChange[]> {
  return perRequest(
    ctx,
    'status-histories',
    () =>
      new DataLoader<string, StatusChange[]>(async (studentIds) => {
        const rows = await ctx.dataSource
          .getRepository(StatusChange)
          .find({ where: { studentId: In([...studentIds]) }, order: { effectiveAt: 'ASC', seq: 'ASC' } });
        return groupBy(studentIds, rows, (row) => row.studentId);
      }),
  );
}

/**
 * The requests of some students, newest first, on `change_request_student` (issue 13: the plan
 * test EXPLAINs this query).
 */
export const changeRequestsOfStudentsQuery = (dataSource: DataSource, studentIds: string[]) =>
  dataSource
    .getRepository(ChangeRequest)
    .createQueryBuilder('r')
    .where('r.student_id IN (:...ids)', { ids: studentIds })
    .orderBy('r.submitted_at', 'DESC')
    .addOrderBy('r.id', 'DESC');

/** `Student.changeRequests`: the requests concerning each student, newest first. */
export function changeRequestsOfStudents(ctx: ServiceContext): DataLoader<string, ChangeRequest[]> {
  return perRequest(
    ctx,
    'student-change-requests',
    () =>
      new DataLoader<string, ChangeRequest[]>(async (studentIds) => {
        const rows = await changeRequestsOfStudentsQuery(ctx.dataSource, [...studentIds]).getMany();
        return groupBy(studentIds, rows, (row) => row.studentId);
      }),
  );
}

/** `ChangeRequest.history`: the approval steps of each request, in the order they happened. */
export function approvalHistories(ctx: ServiceContext): DataLoader<string, ApprovalStep[]> {
  return perRequest(
    ctx,
    'approval-histories',
    () =>
      new DataLoader<string, ApprovalStep[]>(async (requestIds) => {
        const rows = await ctx.dataSource
          .getRepository(ApprovalStep)
          .find({ where: { requestId: In([...requestIds]) }, order: { id: 'ASC' } });
        return groupBy(requestIds, rows, (row) => row.requestId);
      }),
  );
}

import { maskIdentity } from '@xueji/auth';
import { inTurns, subgraphResolvers } from '@xueji/service-kit';
import { authorizeStudentField } from '@xueji/student-scope';
import {
  approveChangeRequest,
  recordGuardianNotice,
  rejectChangeRequest,
  submitChangeRequest,
  withdrawChangeRequest,
} from '../application';
import type { Resolvers } from '../generated/resolvers-types';
import {
  approvalHistories,
  changeRequestById,
  changeRequestQueue,
  changeRequestsOfStudents,
  monthlyReport,
  statusHistories,
  studentStatuses,
} from '../reads';

/** Thin: arguments → a command or a read; the result → the schema's type. */
const resolvers: Resolvers = {
  Query: {
    changeRequest: (_, { id }, ctx) => changeRequestById(ctx, id),
    monthlyReport: (_, args, ctx) => monthlyReport(ctx, args),
    changeRequestQueue: (_, { filter, first, after }, ctx) => changeRequestQueue(ctx, filter ?? {}, first ?? 50, after),
  },
  Mutation: {
    submitChangeRequest: (_, { input }, ctx) => submitChangeRequest.execute(ctx, input),
    approveChangeRequest: async (_, { id, comment }, ctx) =>
      (await approveChangeRequest.execute(ctx, { id, comment: comment ?? null })).request,
    rejectChangeRequest: async (_, { id, reason }, ctx) =>
      (await rejectChangeRequest.execute(ctx, { id, reason })).request,
    withdrawChangeRequest: async (_, { id, reason }, ctx) =>
      (await withdrawChangeRequest.execute(ctx, { id, reason: reason ?? null })).request,
    recordGuardianNotice: async (_, { id, reached, ref }, ctx) =>
      (await recordGuardianNotice.execute(ctx, { id, reached, ref })).request,
  },
  ChangeRequest: {
    student: (request) => ({ __typename: 'Student', id: request.studentId }),
    // ADM-5: a correction (SC-21) may name old and new ID numbers; masked for who may not read them.
    details: (request, _, ctx) => maskIdentity(ctx.principal, JSON.stringify(request.details)),
    reason: (request, _, ctx) => maskIdentity(ctx.principal, request.reason),
    history: (request, _, ctx) => approvalHistories(ctx).load(request.id),
  },
  MonthlyReport: {
    // A month of a region can be tens of thousands of rows: answered a few hundred per turn (issue 10).
    rows: (report) => inTurns(report.rows),
  },
  ApprovalRecord: {
    comment: (record, _, ctx) => maskIdentity(ctx.principal, record.comment),
  },
  Student: {
    status: async (student, _, ctx) => {
      if (!(await authorizeStudentField(ctx, student.id))) return null;
      return studentStatuses(ctx).load(student.id);
    },
    statusHistory: async (student, _, ctx) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      return statusHistories(ctx).load(student.id);
    },
    changeRequests: async (student, _, ctx) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      return changeRequestsOfStudents(ctx).load(student.id);
    },
  },
};

export const statusChangeResolvers = subgraphResolvers(resolvers);

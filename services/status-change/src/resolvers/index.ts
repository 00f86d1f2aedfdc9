import { authorizeStudentField } from '@xueji/student-scope';
import type { SubgraphResolvers, ServiceContext } from '@xueji/service-kit';
import { ApprovalStep, ChangeRequest } from '../entities/change-request';
import { StatusChange, StudentStatus } from '../entities/status';
import { changeRequestById, changeRequestQueue } from './queries';
import { monthlyReport, type ReportKind } from './reports';
import {
  approveChangeRequest,
  recordGuardianNotice,
  rejectChangeRequest,
  submitChangeRequest,
  withdrawChangeRequest,
  type ChangeRequestInput,
} from './requests';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const resolvers: SubgraphResolvers = {
  Query: {
    changeRequest: (_: unknown, a: { id: string }, ctx: ServiceContext) => changeRequestById(ctx, a.id),
    monthlyReport: (
      _: unknown,
      a: { kind: ReportKind; month: string; schoolId?: string; regionCode?: string },
      ctx: ServiceContext,
    ) => monthlyReport(ctx, a),
    changeRequestQueue: (_: unknown, a: { filter?: { kind?: string; imposed?: boolean } }, ctx: ServiceContext) =>
      changeRequestQueue(ctx, a.filter ?? {}),
  },
  Mutation: {
    submitChangeRequest: (_: unknown, a: { input: ChangeRequestInput }, ctx: ServiceContext) =>
      submitChangeRequest(ctx, a.input),
    approveChangeRequest: (_: unknown, a: { id: string; comment?: string }, ctx: ServiceContext) =>
      approveChangeRequest(ctx, a.id, a.comment ?? null),
    rejectChangeRequest: (_: unknown, a: { id: string; reason: string }, ctx: ServiceContext) =>
      rejectChangeRequest(ctx, a.id, a.reason),
    withdrawChangeRequest: (_: unknown, a: { id: string; reason?: string }, ctx: ServiceContext) =>
      withdrawChangeRequest(ctx, a.id, a.reason ?? null),
    recordGuardianNotice: (_: unknown, a: { id: string; reached: boolean; ref: string }, ctx: ServiceContext) =>
      recordGuardianNotice(ctx, a.id, a.reached, a.ref),
  },
  ChangeRequest: {
    student: (r: ChangeRequest) => ({ __typename: 'Student', id: r.studentId }),
    details: (r: ChangeRequest) => JSON.stringify(r.details),
    submittedAt: (r: ChangeRequest) => r.submittedAt.toISOString(),
    decidedAt: (r: ChangeRequest) => iso(r.decidedAt),
    history: async (r: ChangeRequest, _: unknown, ctx: ServiceContext) =>
      (await ctx.dataSource.getRepository(ApprovalStep).find({ where: { requestId: r.id }, order: { id: 'ASC' } })).map(
        (s) => ({
          ...s,
          at: s.at.toISOString(),
        }),
      ),
  },
  Student: {
    status: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return null;
      const status = await ctx.dataSource.getRepository(StudentStatus).findOneBy({ studentId: student.id });
      return status && { code: status.code, since: status.since.toISOString() };
    },
    statusHistory: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      const changes = await ctx.dataSource
        .getRepository(StatusChange)
        .find({ where: { studentId: student.id }, order: { effectiveAt: 'ASC', seq: 'ASC' } });
      return changes.map((c) => ({ ...c, effectiveAt: c.effectiveAt.toISOString() }));
    },
    changeRequests: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      return ctx.dataSource
        .getRepository(ChangeRequest)
        .find({ where: { studentId: student.id }, order: { submittedAt: 'DESC' } });
    },
  },
};

import { maskIdentity, type Principal } from '@xueji/auth';
import { authorizeStudentField } from '@xueji/student-scope';
import { reviewFraudSignal } from '../application/review-fraud-signal';
import type { Resolvers, ResolversTypes } from '../generated/resolvers-types';
import { listFraudSignals, signalsOfStudents, type SignalRow } from '../reads/signals';

/** An evidence value as text: a list joined with commas, an object as JSON. */
function evidenceValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map((x) => evidenceValue(x) ?? '').join(', ');
  return typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean);
}

/**
 * ADM-5: messages and evidence name student numbers, ID-derived under ENR-6/ENR-11; they are
 * stored whole and masked here, as read, for who may not read ID numbers.
 */
const toSignal = (r: SignalRow, principal: Principal | null): ResolversTypes['FraudSignal'] => ({
  id: r.id,
  studentId: r.student_id,
  student: { __typename: 'Student', id: r.student_id },
  kind: r.kind,
  period: r.period,
  messageZh: maskIdentity(principal, r.message_zh),
  messageEn: maskIdentity(principal, r.message_en),
  evidence: Object.entries(r.evidence).map(([key, value]) => ({
    key,
    value: maskIdentity(principal, evidenceValue(value)),
  })),
  raisedAt: r.raised_at,
  stillHolds: r.still_holds,
  checkedAt: r.checked_at,
  state: r.state,
  reviewedBy: r.reviewed_by,
  reviewReason: maskIdentity(principal, r.review_reason),
  reviewedAt: r.reviewed_at,
});

export const signalResolvers: Pick<Resolvers, 'Query' | 'Mutation' | 'Student'> = {
  Query: {
    /** SB-4: the signals of the caller's region or school, newest first. */
    fraudSignals: async (_, { filter, first, after }, ctx) =>
      (await listFraudSignals(ctx, filter ?? {}, first, after)).map((r) => toSignal(r, ctx.principal)),
  },
  Mutation: {
    /** SB-4: confirmed or dismissed, each its own audited command. */
    reviewFraudSignal: async (_, { id, decision, reason }, ctx) =>
      toSignal(await reviewFraudSignal(decision).execute(ctx, { id, reason }), ctx.principal),
  },
  Student: {
    fraudSignals: async (student, _, ctx) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      return (await signalsOfStudents(ctx).load(student.id)).map((r) => toSignal(r, ctx.principal));
    },
  },
};

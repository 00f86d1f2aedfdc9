import { authorizeStudentField } from '@xueji/student-scope';
import { markEntitlementsPaid } from '../application/mark-entitlements-paid';
import type { Entitlement, Resolvers } from '../generated/resolvers-types';
import { entitlementsOfStudents, type EntitlementRow } from '../reads/entitlements';

const toEntitlement = (r: EntitlementRow): Entitlement => ({
  id: r.id,
  studentId: r.student_id,
  period: r.period,
  kind: r.kind,
  amountCny: Number(r.amount_cny),
  state: r.state,
  recoveryFlagged: r.recovery_flagged,
  paidAt: r.paid_at,
  cancelledAt: r.cancelled_at,
});

export const entitlementResolvers: Pick<Resolvers, 'Mutation' | 'Student'> = {
  Mutation: {
    markEntitlementsPaid: async (_, { ids }, ctx) =>
      (await markEntitlementsPaid.execute(ctx, { ids })).entitlements.map(toEntitlement),
  },
  Student: {
    entitlements: async (student, _, ctx) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      return (await entitlementsOfStudents(ctx).load(student.id)).map(toEntitlement);
    },
  },
};

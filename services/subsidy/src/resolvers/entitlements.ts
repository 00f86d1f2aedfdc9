import { audit } from '@xueji/audit';
import { isUuid } from '@xueji/rules';
import { canReadSchool, requireRole } from '@xueji/auth';
import { badUserInput, forbidden, notFound, policyViolation } from '@xueji/errors';
import type { ServiceContext } from '@xueji/service-kit';
import { authorizeStudentField } from '@xueji/student-scope';
import { PAYMENT_HOLDING_SIGNAL } from './signals';

interface EntitlementRow {
  id: string;
  student_id: string;
  period: string;
  kind: string;
  amount_cny: string;
  state: string;
  recovery_flagged: boolean;
  paid_at: Date | null;
  cancelled_at: Date | null;
}

const ENTITLEMENT_COLUMNS = `e.id, e.student_id, e.period, e.kind, e.amount_cny, e.state, e.recovery_flagged, e.paid_at, e.cancelled_at`;

const toEntitlement = (r: EntitlementRow) => ({
  id: r.id,
  studentId: r.student_id,
  period: r.period,
  kind: r.kind,
  amountCny: Number(r.amount_cny),
  state: r.state,
  recoveryFlagged: r.recovery_flagged,
  paidAt: r.paid_at?.toISOString() ?? null,
  cancelledAt: r.cancelled_at?.toISOString() ?? null,
});

export const entitlementResolvers = {
  Mutation: {
    markEntitlementsPaid: async (_: unknown, args: { ids: string[] }, ctx: ServiceContext) => {
      const officer = requireRole(ctx.principal, 'SUBSIDY_OFFICER');
      const ids = [...new Set(args.ids)];
      const bad = ids.find((id) => !isUuid(id));
      if (bad) throw notFound({ zh: `没有补助记录 ${bad}`, en: `No entitlement ${bad}` });
      return ctx.dataSource.transaction(async (manager) => {
        const rows = (await manager.query(
          `SELECT ${ENTITLEMENT_COLUMNS}, s.school_id, s.region_code
             FROM entitlement e LEFT JOIN student_scope s ON s.student_id = e.student_id
            WHERE e.id = ANY($1::uuid[]) ORDER BY e.id FOR UPDATE OF e`,
          [ids],
        )) as (EntitlementRow & { school_id: string | null; region_code: string | null })[];
        const missing = ids.find((id) => !rows.some((r) => r.id === id));
        if (missing) throw notFound({ zh: `没有补助记录 ${missing}`, en: `No entitlement ${missing}` });
        for (const r of rows) {
          if (
            !r.school_id ||
            !r.region_code ||
            !canReadSchool(officer, { schoolId: r.school_id, regionCode: r.region_code })
          ) {
            throw forbidden({
              zh: '无权处理其他辖区学生的补助',
              en: 'You may not pay entitlements outside your region',
            });
          }
          if (r.state !== 'PENDING' && r.state !== 'PAID') {
            throw badUserInput(
              { zh: `补助 ${r.id} 已取消，不能发放`, en: `Entitlement ${r.id} is cancelled and cannot be paid` },
              { id: r.id, state: r.state },
            );
          }
        }
        // SB-4: nothing is paid to a student under an open or confirmed fraud signal; the whole batch waits.
        const held = (await manager.query(
          `SELECT DISTINCT f.student_id FROM fraud_signal f
            WHERE f.student_id = ANY($1::uuid[]) AND ${PAYMENT_HOLDING_SIGNAL}
            ORDER BY f.student_id`,
          [[...new Set(rows.map((r) => r.student_id))]],
        )) as { student_id: string }[];
        if (held.length > 0) {
          throw policyViolation(
            'SB-4',
            {
              zh: '有学生存在未处理或已确认的资助预警，本批补助不能发放',
              en: 'Some students have open or confirmed fraud signals; this batch cannot be paid',
            },
            { studentIds: held.map((h) => h.student_id) },
          );
        }
        const updated = (await manager.query(
          `UPDATE entitlement e SET state = 'PAID', paid_at = now(), paid_by = $2
            WHERE e.id = ANY($1::uuid[]) AND e.state = 'PENDING' RETURNING ${ENTITLEMENT_COLUMNS}`,
          [ids, officer.subject],
        )) as [EntitlementRow[], number];
        // UPDATE … RETURNING answers [rows, count].
        const changed = new Map(updated[0].map((r) => [r.id, r]));
        if (changed.size > 0) {
          await audit(manager, officer, {
            action: 'MARK_ENTITLEMENTS_PAID',
            entity: 'entitlement',
            entityId: 'batch',
            details: { ids: [...changed.keys()].sort() },
          });
        }
        return rows.map((r) => toEntitlement(changed.get(r.id) ?? r));
      });
    },
  },
  Student: {
    entitlements: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      const rows = (await ctx.dataSource.query(
        `SELECT ${ENTITLEMENT_COLUMNS} FROM entitlement e WHERE e.student_id = $1 ORDER BY e.period_starts_on, e.kind`,
        [student.id],
      )) as EntitlementRow[];
      return rows.map(toEntitlement);
    },
  },
};

import { selectRows } from '@xueji/db';
import { badUserInput, forbidden, notFound, policyViolation } from '@xueji/errors';
import { fields, limits, listOf, uuid } from '@xueji/rules';
import { command } from '@xueji/service-kit';
import { entitlementsForPayment, type EntitlementRow } from '../reads/entitlements';
import { studentsWithPaymentHold } from '../reads/signals';

/** The batch as asked (ids in the order given), and which of them this call marked paid. */
export interface PaidBatch {
  entitlements: EntitlementRow[];
  paidIds: string[];
}

const OUTSIDE_REGION = { zh: '无权处理其他辖区学生的补助', en: 'You may not pay entitlements outside your region' };

/**
 * Subsidy officers whose region covers the students mark pending entitlements paid. SB-4: if any
 * student of the batch has an open signal that still holds, or a confirmed one, the whole batch
 * is refused and nothing is paid. Entitlements already paid stay as they were.
 */
export const markEntitlementsPaid = command<{ ids: string[] }, PaidBatch>({
  name: 'MARK_ENTITLEMENTS_PAID',
  roles: ['SUBSIDY_OFFICER'],
  // An empty or malformed id is the caller's mistake (BAD_USER_INPUT), not an unknown entitlement.
  validate: limits(fields({ ids: listOf('entitlementIds', uuid) })),
  async run(uow, input) {
    const ids = [...new Set(input.ids)];
    const rows = await entitlementsForPayment(uow.manager, ids);
    const missing = ids.find((id) => !rows.some((r) => r.id === id));
    if (missing) throw notFound({ zh: `没有补助记录 ${missing}`, en: `No entitlement ${missing}` });
    for (const r of rows) {
      if (!r.school_id || !r.region_code) throw forbidden(OUTSIDE_REGION);
      uow.requireScope({ schoolId: r.school_id, regionCode: r.region_code }, OUTSIDE_REGION);
      if (r.state !== 'PENDING' && r.state !== 'PAID') {
        throw badUserInput(
          { zh: `补助 ${r.id} 已取消，不能发放`, en: `Entitlement ${r.id} is cancelled and cannot be paid` },
          { id: r.id, state: r.state },
        );
      }
    }
    // SB-4: nothing is paid to a student under an open or confirmed fraud signal; the whole batch waits.
    const held = await studentsWithPaymentHold(uow.manager, [...new Set(rows.map((r) => r.student_id))]);
    if (held.length > 0) {
      throw policyViolation(
        'SB-4',
        {
          zh: '有学生存在未处理或已确认的资助预警，本批补助不能发放',
          en: 'Some students have open or confirmed fraud signals; this batch cannot be paid',
        },
        { studentIds: held },
      );
    }
    const paid = await selectRows<{ id: string; paid_at: Date }>(
      uow.manager,
      `UPDATE entitlement e SET state = 'PAID', paid_at = $3, paid_by = $2
        WHERE e.id = ANY($1::uuid[]) AND e.state = 'PENDING' RETURNING e.id, e.paid_at`,
      [ids, uow.actor.subject, uow.now()],
    );
    const paidAt = new Map(paid.map((p) => [p.id, p.paid_at]));
    return {
      entitlements: rows.map((r): EntitlementRow => {
        const at = paidAt.get(r.id);
        return at ? { ...r, state: 'PAID', paid_at: at } : r;
      }),
      paidIds: [...paidAt.keys()].sort(),
    };
  },
  // One row for the batch, naming the entitlements this call paid (none when all were paid already).
  audit: (batch) => ({ entity: 'entitlement', entityId: 'batch', details: { ids: batch.paidIds } }),
});

import { audit } from '@xueji/audit';
import { isUuid } from '@xueji/rules';
import { canReadSchool, requireRole } from '@xueji/auth';
import { badUserInput, conflict, forbidden, notFound } from '@xueji/errors';
import type { ServiceContext } from '@xueji/service-kit';
import { authorizeStudentField } from '@xueji/student-scope';
import type { FraudSignalDecision } from '@xueji/vocabulary';
import { listScope, pageSize, SqlParams } from './scope';

interface SignalRow {
  id: string;
  student_id: string;
  kind: string;
  period: string | null;
  message_zh: string;
  message_en: string;
  evidence: Record<string, unknown>;
  raised_at: Date;
  still_holds: boolean;
  checked_at: Date;
  state: string;
  reviewed_by: string | null;
  review_reason: string | null;
  reviewed_at: Date | null;
}

/** SB-4: the signals that hold a student's payments (`f` is `fraud_signal f`): confirmed, or open while the finding still holds. */
export const PAYMENT_HOLDING_SIGNAL = `(f.state = 'CONFIRMED' OR (f.state = 'OPEN' AND f.still_holds))`;

const SIGNAL_COLUMNS = `f.id, f.student_id, f.kind, f.period, f.message_zh, f.message_en, f.evidence, f.raised_at,
  f.still_holds, f.checked_at, f.state, f.reviewed_by, f.review_reason, f.reviewed_at`;

const evidenceValue = (v: unknown): string | null =>
  v === null || v === undefined ? null : Array.isArray(v) ? v.join(', ') : String(v);

const toSignal = (r: SignalRow) => ({
  id: r.id,
  studentId: r.student_id,
  student: { __typename: 'Student', id: r.student_id },
  kind: r.kind,
  period: r.period,
  messageZh: r.message_zh,
  messageEn: r.message_en,
  evidence: Object.entries(r.evidence).map(([key, value]) => ({ key, value: evidenceValue(value) })),
  raisedAt: r.raised_at.toISOString(),
  stillHolds: r.still_holds,
  checkedAt: r.checked_at.toISOString(),
  state: r.state,
  reviewedBy: r.reviewed_by,
  reviewReason: r.review_reason,
  reviewedAt: r.reviewed_at?.toISOString() ?? null,
});

interface SignalFilter {
  state?: string | null;
  kind?: string | null;
  schoolId?: string | null;
  regionCode?: string | null;
}

const REASON_MAX = 500;

export const signalResolvers = {
  Query: {
    /** SB-4: the signals of the caller's region or school, newest first. */
    fraudSignals: async (
      _: unknown,
      args: { filter?: SignalFilter | null; first?: number | null },
      ctx: ServiceContext,
    ) => {
      const filter = args.filter ?? {};
      const params = new SqlParams();
      const conditions = [await listScope(ctx, params, filter)];
      if (filter.state) conditions.push(`f.state = ${params.add(filter.state)}`);
      if (filter.kind) conditions.push(`f.kind = ${params.add(filter.kind)}`);
      const rows = (await ctx.dataSource.query(
        `SELECT ${SIGNAL_COLUMNS} FROM fraud_signal f JOIN student_scope s ON s.student_id = f.student_id
          WHERE ${conditions.join(' AND ')} ORDER BY f.raised_at DESC, f.id LIMIT ${pageSize(args.first)}`,
        params.values,
      )) as SignalRow[];
      return rows.map(toSignal);
    },
  },
  Mutation: {
    /**
     * SB-4: an officer or reviewer whose region covers the student closes a signal, saying why. A
     * decided signal keeps its decision: deciding again is a CONFLICT, not an overwrite.
     */
    reviewFraudSignal: async (
      _: unknown,
      args: { id: string; decision: FraudSignalDecision; reason: string },
      ctx: ServiceContext,
    ) => {
      const reviewer = requireRole(ctx.principal, 'SUBSIDY_OFFICER', 'AUTHORITY_REVIEWER');
      const reason = args.reason.trim();
      if (reason.length === 0 || reason.length > REASON_MAX) {
        throw badUserInput(
          { zh: `须说明理由（1–${REASON_MAX} 字）`, en: `A reason of 1–${REASON_MAX} characters is required` },
          { field: 'reason' },
        );
      }
      if (!isUuid(args.id)) throw notFound({ zh: `没有预警 ${args.id}`, en: `No fraud signal ${args.id}` });
      return ctx.dataSource.transaction(async (manager) => {
        const [row] = (await manager.query(
          `SELECT ${SIGNAL_COLUMNS}, s.school_id, s.region_code
             FROM fraud_signal f LEFT JOIN student_scope s ON s.student_id = f.student_id
            WHERE f.id = $1 FOR UPDATE OF f`,
          [args.id],
        )) as (SignalRow & { school_id: string | null; region_code: string | null })[];
        if (!row) throw notFound({ zh: `没有预警 ${args.id}`, en: `No fraud signal ${args.id}` });
        if (!row.school_id || !canReadSchool(reviewer, { schoolId: row.school_id, regionCode: row.region_code! })) {
          throw forbidden({ zh: '该学生不在您的辖区内', en: 'This student is outside your region' });
        }
        if (row.state !== 'OPEN') {
          throw conflict(
            { zh: `该预警已处理（${row.state}）`, en: `The signal was already reviewed (${row.state})` },
            { state: row.state },
          );
        }
        const result = (await manager.query(
          `UPDATE fraud_signal f SET state = $2, reviewed_by = $3, review_reason = $4, reviewed_at = now()
            WHERE f.id = $1 RETURNING ${SIGNAL_COLUMNS}`,
          [args.id, args.decision === 'CONFIRM' ? 'CONFIRMED' : 'DISMISSED', reviewer.subject, reason],
        )) as [SignalRow[], number];
        await audit(manager, reviewer, {
          action: args.decision === 'CONFIRM' ? 'CONFIRM_FRAUD_SIGNAL' : 'DISMISS_FRAUD_SIGNAL',
          entity: 'fraud_signal',
          entityId: args.id,
          reason,
          details: { studentId: row.student_id, kind: row.kind },
        });
        return toSignal(result[0][0]!);
      });
    },
  },
  Student: {
    fraudSignals: async (student: { id: string }, _: unknown, ctx: ServiceContext) => {
      if (!(await authorizeStudentField(ctx, student.id))) return [];
      const rows = (await ctx.dataSource.query(
        `SELECT ${SIGNAL_COLUMNS} FROM fraud_signal f WHERE f.student_id = $1 ORDER BY f.raised_at DESC, f.id`,
        [student.id],
      )) as SignalRow[];
      return rows.map(toSignal);
    },
  },
};

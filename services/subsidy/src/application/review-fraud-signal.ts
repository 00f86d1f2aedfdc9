import { selectOne } from '@xueji/db';
import { badUserInput, conflict, forbidden, notFound } from '@xueji/errors';
import { fields, isUuid, limits, text } from '@xueji/rules';
import { command } from '@xueji/service-kit';
import type { FraudSignalDecision } from '@xueji/vocabulary';
import { signalForReview, type SignalRow } from '../reads/signals';

/** A review of an open signal: which, and why. */
export interface ReviewInput {
  id: string;
  reason: string;
}

const REASON_MAX = 500;
const OUTSIDE_REGION = { zh: '该学生不在您的辖区内', en: 'This student is outside your region' };

/**
 * SB-4: an officer or reviewer whose region covers the student closes a signal, saying why. A
 * decided signal keeps its decision: deciding again is a CONFLICT, not an overwrite.
 */
function review(name: string, state: 'CONFIRMED' | 'DISMISSED') {
  return command<ReviewInput, SignalRow>({
    name,
    roles: ['SUBSIDY_OFFICER', 'AUTHORITY_REVIEWER'],
    validate: limits(fields({ reason: text('reason') })),
    async run(uow, input) {
      const reason = input.reason.trim();
      if (reason.length === 0 || reason.length > REASON_MAX) {
        throw badUserInput(
          { zh: `须说明理由（1–${REASON_MAX} 字）`, en: `A reason of 1–${REASON_MAX} characters is required` },
          { field: 'reason' },
        );
      }
      if (!isUuid(input.id)) throw notFound({ zh: `没有预警 ${input.id}`, en: `No fraud signal ${input.id}` });
      const row = await signalForReview(uow.manager, input.id);
      if (!row) throw notFound({ zh: `没有预警 ${input.id}`, en: `No fraud signal ${input.id}` });
      if (!row.school_id) throw forbidden(OUTSIDE_REGION);
      uow.requireScope({ schoolId: row.school_id, regionCode: row.region_code! }, OUTSIDE_REGION);
      if (row.state !== 'OPEN') {
        throw conflict(
          { zh: `该预警已处理（${row.state}）`, en: `The signal was already reviewed (${row.state})` },
          { state: row.state },
        );
      }
      const reviewed = await selectOne<{ reviewed_at: Date }>(
        uow.manager,
        `UPDATE fraud_signal f SET state = $2, reviewed_by = $3, review_reason = $4, reviewed_at = $5
          WHERE f.id = $1 RETURNING f.reviewed_at`,
        [input.id, state, uow.actor.subject, reason, uow.now()],
      );
      const { school_id: _school, region_code: _region, ...signal } = row;
      return {
        ...signal,
        state,
        reviewed_by: uow.actor.subject,
        review_reason: reason,
        reviewed_at: reviewed!.reviewed_at,
      };
    },
    audit: (signal, input) => ({
      entity: 'fraud_signal',
      entityId: input.id,
      reason: signal.review_reason,
      details: { studentId: signal.student_id, kind: signal.kind },
    }),
  });
}

export const confirmFraudSignal = review('CONFIRM_FRAUD_SIGNAL', 'CONFIRMED');
export const dismissFraudSignal = review('DISMISS_FRAUD_SIGNAL', 'DISMISSED');

/** The command for an officer's decision. */
export const reviewFraudSignal = (decision: FraudSignalDecision) =>
  decision === 'CONFIRM' ? confirmFraudSignal : dismissFraudSignal;

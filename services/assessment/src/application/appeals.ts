/**
 * AS-14: appeals against a sanction. The school's appeal body reviews first; against its review
 * decision the student may appeal in writing to the competent authority within 15 working days of
 * receiving it, and the authority answers within 30 working days of receiving the appeal.
 */
import type { Principal } from '@xueji/auth';
import { selectOne } from '@xueji/db';
import { conflict } from '@xueji/errors';
import { createEvent } from '@xueji/events';
import { day, fields, limits, refusal, text, uuid } from '@xueji/rules';
import { command, type UnitOfWork } from '@xueji/service-kit';
import type { AppealOutcome, AppealStage, SanctionKind } from '@xueji/vocabulary';
import { appealableProblems, judgeAuthorityAppeal } from '../domain/appeals';
import { afterAppeal, appealDecisionProblems } from '../domain/sanctions';
import { APPEAL_COLUMNS, appealAt, loadCalendar, lockAppeal, lockSanction, type AppealRow } from '../reads/discipline';

export interface AppealInput {
  sanctionId: string;
  /** The day the written appeal was received. */
  receivedOn: string;
  /** Reference of the written appeal. */
  statementRef: string;
}

async function rereadAppeal(uow: UnitOfWork, id: string): Promise<AppealRow> {
  return (await selectOne<AppealRow>(uow.manager, `SELECT ${APPEAL_COLUMNS} FROM appeal a WHERE a.id = $1`, [id]))!;
}

async function insertAppeal(
  uow: UnitOfWork<Principal>,
  stage: AppealStage,
  input: AppealInput,
  sanction: { id: string; studentId: string; schoolId: string; regionCode: string },
  deadlines: { appealDeadline: string | null; answerDue: string | null },
): Promise<AppealRow> {
  const row = await selectOne<{ id: string }>(
    uow.manager,
    `INSERT INTO appeal (sanction_id, student_id, school_id, region_code, stage, state, received_on, statement_ref,
       appeal_deadline, answer_due, recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, $5, 'PENDING', $6, $7, $8, $9, $10, $11)
     ON CONFLICT (sanction_id, stage) DO NOTHING RETURNING id`,
    [
      sanction.id,
      sanction.studentId,
      sanction.schoolId,
      sanction.regionCode,
      stage,
      input.receivedOn,
      input.statementRef,
      deadlines.appealDeadline,
      deadlines.answerDue,
      uow.actor.subject,
      uow.now(),
    ],
  );
  if (!row) {
    throw conflict({ zh: '该处分在此环节已有申诉', en: 'The sanction already has an appeal at this stage' }, { stage });
  }
  return rereadAppeal(uow, row.id);
}

const appealLimits = limits<AppealInput>(
  fields({ sanctionId: uuid, receivedOn: day('pastDate'), statementRef: text('reference') }),
  'input',
);

/** AS-14: the registrar records a student's appeal to the school's appeal body (申诉处理委员会). */
export const lodgeSchoolAppeal = command<AppealInput, AppealRow>({
  name: 'LODGE_SCHOOL_APPEAL',
  roles: ['SCHOOL_REGISTRAR'],
  validate: appealLimits,
  async run(uow, input) {
    const sanction = await lockSanction(uow.manager, input.sanctionId);
    uow.requireScope(sanction);
    const problems = appealableProblems(sanction.state);
    if (problems.length > 0) throw refusal(problems);
    return insertAppeal(uow, 'SCHOOL', input, sanction, { appealDeadline: null, answerDue: null });
  },
  audit: (a) => ({ entity: 'appeal', entityId: a.id, details: { sanctionId: a.sanctionId, stage: a.stage } }),
});

/**
 * AS-14: the student's written appeal to the competent authority against the school's review decision,
 * as the reviewer receives it: refused when late (15 working days of receiving the review decision), and
 * given its answer's due day (30 working days), both counted on the working-day calendar.
 */
export const lodgeAuthorityAppeal = command<AppealInput, AppealRow>({
  name: 'LODGE_AUTHORITY_APPEAL',
  roles: ['AUTHORITY_REVIEWER'],
  validate: appealLimits,
  async run(uow, input) {
    const sanction = await lockSanction(uow.manager, input.sanctionId);
    uow.requireScope(sanction);
    const standing = appealableProblems(sanction.state);
    if (standing.length > 0) throw refusal(standing);
    const review = await appealAt(uow.manager, sanction.id, 'SCHOOL');
    const judged = judgeAuthorityAppeal(
      uow.profile,
      await loadCalendar(uow.manager),
      review && { state: review.state, deliveredOn: review.decisionDeliveredOn },
      input.receivedOn,
    );
    if (!judged.ok) throw refusal(judged.problems);
    return insertAppeal(uow, 'AUTHORITY', input, sanction, judged);
  },
  audit: (a) => ({
    entity: 'appeal',
    entityId: a.id,
    details: { sanctionId: a.sanctionId, stage: a.stage, appealDeadline: a.appealDeadline, answerDue: a.answerDue },
  }),
});

export interface AppealDecisionInput {
  id: string;
  outcome: AppealOutcome;
  /** CHANGE: the lighter sanction it becomes. */
  newKind?: SanctionKind | null;
  decidedOn: string;
  decisionRef: string;
  reason: string;
  /** The day the decision reached the student (the school's review: the authority appeal's window starts). */
  deliveredOn?: string | null;
}

/**
 * Decide an appeal at its stage: the sanction upheld, changed (to a lighter one) or annulled; the
 * decision published, with `expulsionLifted` when an expulsion in effect no longer stands (status-change
 * restores the student's status).
 */
async function decide(uow: UnitOfWork<Principal>, stage: AppealStage, input: AppealDecisionInput): Promise<AppealRow> {
  const appeal = await lockAppeal(uow.manager, input.id);
  uow.requireScope(appeal);
  if (appeal.stage !== stage) {
    throw conflict({ zh: '该申诉不属于此环节', en: `This is not an appeal to the ${stage.toLowerCase()}` });
  }
  if (appeal.state !== 'PENDING') throw conflict({ zh: '该申诉已有决定', en: 'The appeal is already decided' });
  const sanction = await lockSanction(uow.manager, appeal.sanctionId);
  const decision = { outcome: input.outcome, newKind: input.newKind ?? null };
  const problems = appealDecisionProblems(sanction.kind, decision, uow.profile);
  if (input.decidedOn < appeal.receivedOn) {
    problems.push({
      rule: 'AS-14',
      message: {
        zh: `决定日期不能早于收到申诉日期（${appeal.receivedOn}）`,
        en: `The decision cannot precede the appeal’s receipt (${appeal.receivedOn})`,
      },
      field: 'input.decidedOn',
      input: true,
    });
  }
  if (input.deliveredOn && input.deliveredOn < input.decidedOn) {
    problems.push({
      rule: 'AS-14',
      message: { zh: '送达日期不能早于决定日期', en: 'The decision cannot be delivered before it was made' },
      field: 'input.deliveredOn',
      input: true,
    });
  }
  if (problems.length > 0) throw refusal(problems);

  await uow.manager.query(
    `UPDATE appeal SET state = 'DECIDED', outcome = $2, new_kind = $3, decided_on = $4, decision_ref = $5,
            decision_reason = $6, decided_by = $7, decision_delivered_on = $8 WHERE id = $1`,
    [
      appeal.id,
      input.outcome,
      decision.newKind,
      input.decidedOn,
      input.decisionRef,
      input.reason,
      uow.actor.subject,
      input.deliveredOn ?? null,
    ],
  );
  const after = afterAppeal(sanction, decision);
  if (input.outcome !== 'UPHOLD') {
    await uow.manager.query(
      `UPDATE sanction SET kind = $2, state = $3, annulled_on = $4,
              effective_on = CASE WHEN $3 = 'EFFECTIVE' THEN coalesce(effective_on, $5::date) ELSE effective_on END
        WHERE id = $1`,
      [sanction.id, after.kind, after.state, after.state === 'ANNULLED' ? input.decidedOn : null, input.decidedOn],
    );
  }
  const now = uow.now().toISOString();
  if (after.state === 'ANNULLED') {
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.assessment.sanction.annulled.v1', sanction.studentId, {
        sanctionId: sanction.id,
        studentId: sanction.studentId,
        kind: sanction.kind,
        appealId: appeal.id,
        annulledOn: input.decidedOn,
        annulledAt: now,
      }),
    });
  }
  uow.publish({
    topic: uow.topics.own,
    event: createEvent('xueji.assessment.appeal.decided.v1', sanction.studentId, {
      appealId: appeal.id,
      sanctionId: sanction.id,
      studentId: sanction.studentId,
      schoolId: sanction.schoolId,
      stage,
      outcome: input.outcome,
      previousKind: sanction.kind,
      newKind: after.state === 'ANNULLED' ? null : after.kind,
      expulsionLifted: after.expulsionLifted,
      decidedOn: input.decidedOn,
      decidedAt: now,
    }),
  });
  return rereadAppeal(uow, appeal.id);
}

const decisionLimits = limits<AppealDecisionInput>(
  fields({
    id: uuid,
    decidedOn: day('pastDate'),
    deliveredOn: day('pastDate'),
    decisionRef: text('reference'),
    reason: text('reason'),
  }),
  'input',
);

/**
 * AS-14: the school's appeal body reviews (复查) the sanction: upholds, changes it to a lighter one, or
 * annuls it; the day its decision reaches the student starts the window of an appeal to the authority.
 */
export const decideSchoolAppeal = command<AppealDecisionInput, AppealRow>({
  name: 'DECIDE_SCHOOL_APPEAL',
  roles: ['SCHOOL_REGISTRAR'],
  validate: decisionLimits,
  run: (uow, input) => decide(uow, 'SCHOOL', input),
  audit: (a, input) => ({
    entity: 'appeal',
    entityId: a.id,
    reason: input.reason,
    details: { sanctionId: a.sanctionId, outcome: a.outcome, newKind: a.newKind },
  }),
});

/** AS-14: the competent authority answers an appeal: upholds, changes or annuls the sanction. */
export const decideAuthorityAppeal = command<AppealDecisionInput, AppealRow>({
  name: 'DECIDE_AUTHORITY_APPEAL',
  roles: ['AUTHORITY_REVIEWER'],
  validate: decisionLimits,
  run: (uow, input) => decide(uow, 'AUTHORITY', input),
  audit: (a, input) => ({
    entity: 'appeal',
    entityId: a.id,
    reason: input.reason,
    details: { sanctionId: a.sanctionId, outcome: a.outcome, newKind: a.newKind },
  }),
});

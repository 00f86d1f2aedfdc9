/** AS-10 … AS-13: sanctions decided by the school, the authority's step on an expulsion, notice, revocation. */
import { canReadSchool, requirePrincipal, type Principal } from '@xueji/auth';
import { selectOne } from '@xueji/db';
import { CodedError, conflict } from '@xueji/errors';
import { createEvent } from '@xueji/events';
import type { OutboxEntry } from '@xueji/outbox';
import { day, fields, limits, refusal, text, uuid } from '@xueji/rules';
import { command, type Command, type UnitOfWork } from '@xueji/service-kit';
import type { DecidingBody, SanctionKind } from '@xueji/vocabulary';
import {
  initialState,
  noticeProblems,
  rejectionProblems,
  revocationProblems,
  sanctionDecisionProblems,
} from '../domain/sanctions';
import {
  birthDateOf,
  hasStandingExpulsion,
  lockSanction,
  lockStudentPlace,
  repeatedExpulsionApproval,
  SANCTION_COLUMNS,
  type SanctionRow,
} from '../reads/discipline';
import { requireStanding } from './standing';

export interface SanctionInput {
  studentId: string;
  kind: SanctionKind;
  decidingBody: DecidingBody;
  decidedOn: string;
  reason: string;
  decisionRef: string;
}

/** Re-read a sanction after a write, as the schema shows it. */
async function reread(uow: UnitOfWork, id: string): Promise<SanctionRow> {
  return (await selectOne<SanctionRow>(uow.manager, `SELECT ${SANCTION_COLUMNS} FROM sanction s WHERE s.id = $1`, [
    id,
  ]))!;
}

/** AS-11: an expulsion in effect, for status-change to apply (status EXPELLED; subsidy ends eligibility, SB-3). */
export function expulsionEffective(uow: UnitOfWork, s: SanctionRow): OutboxEntry {
  return {
    topic: uow.topics.own,
    event: createEvent('xueji.assessment.expulsion.effective.v1', s.studentId, {
      sanctionId: s.id,
      studentId: s.studentId,
      schoolId: s.schoolId,
      regionCode: s.regionCode,
      effectiveDate: s.effectiveOn!,
      decidedOn: s.decidedOn,
      authorityStep: s.authorityStep!,
      effectiveAt: uow.now().toISOString(),
    }),
  };
}

/**
 * AS-10 … AS-13: the registrar records the school's decision of a sanction. A warning … probation is in
 * effect at once; an expulsion waits for the competent authority to file (national, jilin) or approve
 * (beijing) it (AS-11), and is refused for a minor where the profile protects minors.
 */
export const decideSanction = command<SanctionInput, SanctionRow>({
  name: 'DECIDE_SANCTION',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({
      studentId: uuid,
      decidedOn: day('pastDate'),
      reason: text('reason'),
      decisionRef: text('reference'),
    }),
    'input',
  ),
  async run(uow, input) {
    const place = await lockStudentPlace(uow.manager, input.studentId);
    uow.requireScope(place);
    await requireStanding(uow, place.studentId, 'SANCTION');
    const problems = sanctionDecisionProblems(
      {
        kind: input.kind,
        decidingBody: input.decidingBody,
        decidedOn: input.decidedOn,
        birthDate: await birthDateOf(uow.manager, place.studentId),
        alreadyExpelled: await hasStandingExpulsion(uow.manager, place.studentId),
      },
      uow.profile,
    );
    if (problems.length > 0) throw refusal(problems);
    const state = initialState(input.kind);
    const authorityStep = input.kind === 'EXPULSION' ? uow.profile.rules['AS-11'].authorityStep : null;
    const now = uow.now();
    const row = await selectOne<{ id: string }>(
      uow.manager,
      `INSERT INTO sanction (student_id, school_id, region_code, kind, state, decided_on, deciding_body, reason,
         decision_ref, authority_step, effective_on, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        place.studentId,
        place.schoolId,
        place.regionCode,
        input.kind,
        state,
        input.decidedOn,
        input.decidingBody,
        input.reason,
        input.decisionRef,
        authorityStep,
        state === 'EFFECTIVE' ? input.decidedOn : null,
        uow.actor.subject,
        now,
      ],
    );
    const sanction = await reread(uow, row!.id);
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.assessment.sanction.decided.v1', sanction.studentId, {
        sanctionId: sanction.id,
        studentId: sanction.studentId,
        schoolId: sanction.schoolId,
        kind: sanction.kind,
        decidedOn: sanction.decidedOn,
        awaitsAuthority: sanction.state === 'PENDING_AUTHORITY',
        decidedAt: now.toISOString(),
      }),
    });
    return sanction;
  },
  audit: (s, input) => ({
    entity: 'sanction',
    entityId: s.id,
    reason: input.reason,
    details: { studentId: s.studentId, kind: s.kind, state: s.state, decidingBody: s.decidingBody },
  }),
});

/** The sanction must await the authority, and lie in the reviewer's region. */
async function pendingExpulsion(uow: UnitOfWork<Principal>, id: string): Promise<SanctionRow> {
  const sanction = await lockSanction(uow.manager, id);
  uow.requireScope(sanction);
  if (sanction.state !== 'PENDING_AUTHORITY') {
    throw conflict(
      { zh: '该处分不在等待主管部门处理的状态', en: 'The sanction is not awaiting the authority' },
      { state: sanction.state },
    );
  }
  return sanction;
}

/**
 * AS-11: the competent authority files (national, jilin) or approves (beijing) an expulsion; it takes
 * effect that day, and status-change applies it (EXPELLED), so subsidy ends eligibility (SB-3).
 */
export const approveExpulsion = command<{ id: string; comment?: string | null }, SanctionRow>({
  name: 'APPROVE_EXPULSION',
  roles: ['AUTHORITY_REVIEWER'],
  validate: limits(fields({ id: uuid, comment: text('comment') })),
  async run(uow, { id, comment }) {
    const sanction = await pendingExpulsion(uow, id);
    const today = uow.today();
    await uow.manager.query(
      `UPDATE sanction SET state = 'EFFECTIVE', authority_decided_on = $2, authority_decided_by = $3,
              authority_comment = $4, effective_on = $2 WHERE id = $1`,
      [sanction.id, today, uow.actor.subject, comment ?? null],
    );
    const effective = await reread(uow, sanction.id);
    uow.publish(expulsionEffective(uow, effective));
    return effective;
  },
  audit: (s, { comment }) => ({
    entity: 'sanction',
    entityId: s.id,
    reason: comment ?? null,
    details: { studentId: s.studentId, authorityStep: s.authorityStep, effectiveOn: s.effectiveOn },
  }),
});

/**
 * AS-11, `approveExpulsion` idempotent for its caller (issue 10's rule, as status-change's
 * `approveChangeRequest`): the same reviewer approving again an expulsion they already approved (a
 * retry after a lost response) is answered as success with the sanction as it is now, and writes
 * nothing: no second audit row, no second `expulsion.effective`. Anyone else, or an expulsion no
 * longer in effect (annulled on appeal since), still gets the CONFLICT.
 */
export const approveExpulsionOnce: Pick<
  Command<{ id: string; comment?: string | null }, SanctionRow>,
  'name' | 'execute'
> = {
  name: approveExpulsion.name,
  async execute(ctx, input) {
    try {
      return await approveExpulsion.execute(ctx, input);
    } catch (error) {
      if (!(error instanceof CodedError) || error.code !== 'CONFLICT') throw error;
      const principal = requirePrincipal(ctx.principal);
      const repeated = await repeatedExpulsionApproval(ctx.dataSource.manager, input.id, principal.subject);
      if (!repeated || principal.role !== 'AUTHORITY_REVIEWER' || !canReadSchool(principal, repeated)) throw error;
      return repeated;
    }
  },
};

/** AS-11 (beijing): the authority refuses to approve an expulsion; a filing cannot be refused. */
export const rejectExpulsion = command<{ id: string; reason: string }, SanctionRow>({
  name: 'REJECT_EXPULSION',
  roles: ['AUTHORITY_REVIEWER'],
  validate: limits(fields({ id: uuid, reason: text('reason') })),
  async run(uow, { id, reason }) {
    const sanction = await pendingExpulsion(uow, id);
    const problems = rejectionProblems(sanction.authorityStep!);
    if (problems.length > 0) throw refusal(problems);
    await uow.manager.query(
      `UPDATE sanction SET state = 'REJECTED', authority_decided_on = $2, authority_decided_by = $3,
              authority_comment = $4 WHERE id = $1`,
      [sanction.id, uow.today(), uow.actor.subject, reason],
    );
    return reread(uow, sanction.id);
  },
  audit: (s, { reason }) => ({ entity: 'sanction', entityId: s.id, reason, details: { studentId: s.studentId } }),
});

export interface NoticeInput {
  id: string;
  deliveredOn: string;
  noticeRef: string;
  postingRef?: string | null;
}

/** AS-13: the notice to the student or guardian, with its delivery date; (beijing) the decision's public posting. */
export const recordSanctionNotice = command<NoticeInput, SanctionRow>({
  name: 'RECORD_SANCTION_NOTICE',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({ id: uuid, deliveredOn: day('pastDate'), noticeRef: text('reference'), postingRef: text('reference') }),
    'input',
  ),
  async run(uow, input) {
    const sanction = await lockSanction(uow.manager, input.id);
    uow.requireScope(sanction);
    const problems = noticeProblems(
      sanction,
      { deliveredOn: input.deliveredOn, postingRef: input.postingRef ?? null },
      uow.profile,
    );
    if (problems.length > 0) throw refusal(problems);
    await uow.manager.query(`UPDATE sanction SET notified_on = $2, notice_ref = $3, posting_ref = $4 WHERE id = $1`, [
      sanction.id,
      input.deliveredOn,
      input.noticeRef,
      input.postingRef ?? null,
    ]);
    return reread(uow, sanction.id);
  },
  audit: (s, input) => ({
    entity: 'sanction',
    entityId: s.id,
    details: { studentId: s.studentId, deliveredOn: input.deliveredOn, noticeRef: input.noticeRef },
  }),
});

export interface RevocationInput {
  id: string;
  reason: string;
  /** The student's written application (fujian: required, AS-12). */
  applicationRef?: string | null;
}

/**
 * AS-12: the school revokes a warning … probation after the profile's period (fujian: on the student's
 * application); never an expulsion. The sanction leaves the archive view (`Student.sanctions`) and is kept,
 * REVOKED, for audit.
 */
export const revokeSanction = command<RevocationInput, SanctionRow>({
  name: 'REVOKE_SANCTION',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ id: uuid, reason: text('reason'), applicationRef: text('reference') }), 'input'),
  async run(uow, input) {
    const sanction = await lockSanction(uow.manager, input.id);
    uow.requireScope(sanction);
    const today = uow.today();
    const problems = revocationProblems(
      {
        kind: sanction.kind,
        state: sanction.state,
        effectiveOn: sanction.effectiveOn ?? sanction.decidedOn,
        today,
        applicationRef: input.applicationRef ?? null,
      },
      uow.profile,
    );
    if (problems.length > 0) throw refusal(problems);
    await uow.manager.query(
      `UPDATE sanction SET state = 'REVOKED', revoked_on = $2, revocation_reason = $3, application_ref = $4 WHERE id = $1`,
      [sanction.id, today, input.reason, input.applicationRef ?? null],
    );
    const revoked = await reread(uow, sanction.id);
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.assessment.sanction.revoked.v1', revoked.studentId, {
        sanctionId: revoked.id,
        studentId: revoked.studentId,
        kind: revoked.kind,
        revokedOn: today,
        revokedAt: uow.now().toISOString(),
      }),
    });
    return revoked;
  },
  audit: (s, input) => ({
    entity: 'sanction',
    entityId: s.id,
    reason: input.reason,
    details: { studentId: s.studentId, kind: s.kind },
  }),
});

/**
 * GR-12 (fujian): wrong or missing verification data of a certificate are corrected by the issuing
 * school through the authority. The school's registrar submits the correction with its reason and
 * evidence; a reviewer of the school's authority region approves it (the data the lookup, the credential
 * and the PDF show change, the credential is signed anew, and what was shown before is kept) or rejects it.
 */
import { randomUUID } from 'node:crypto';
import { pgErrorCode, selectOne } from '@xueji/db';
import { badUserInput, conflict, notFound } from '@xueji/errors';
import { day, fields, limits, refusal, text, uuid } from '@xueji/rules';
import { command, type UnitOfWork } from '@xueji/service-kit';
import type { Sex, StudyForm } from '@xueji/vocabulary';
import { checkCorrectionsProvided, correctionChanges, type VerificationData } from '../domain';
import { correctionById, type CorrectionRow } from '../reads/corrections';
import { resignCertificate } from './credentials';
import { schoolById } from './issue';

export interface CorrectionInput {
  certificateId: string;
  name?: string | null;
  sex?: Sex | null;
  birthDate?: string | null;
  majorCode?: string | null;
  studyForm?: StudyForm | null;
  reason: string;
  evidenceRef: string;
}

const NO_CERTIFICATE = { zh: '没有该证书', en: 'No such certificate' };
const NO_CORRECTION = { zh: '没有该更正申请', en: 'No such correction' };

/** The certificate and the verification data it shows now (as the lookup shows them), its row locked. */
async function shownData(
  uow: UnitOfWork,
  certificateId: string,
): Promise<(VerificationData & { schoolId: string; state: string }) | null> {
  return selectOne(
    uow.manager,
    `SELECT c.school_id AS "schoolId", c.state, COALESCE(c.holder_name, s.name) AS name,
            COALESCE(c.holder_sex, s.sex) AS sex,
            to_char(COALESCE(c.holder_birth_date, s.birth_date), 'YYYY-MM-DD') AS "birthDate",
            c.major_code AS "majorCode", c.study_form AS "studyForm"
       FROM certificate c JOIN graduation_student s ON s.student_id = c.student_id
      WHERE c.id = $1 FOR UPDATE OF c`,
    [certificateId],
  );
}

/** Refused where the profile does not provide GR-12. */
function requireProvided(uow: UnitOfWork): void {
  const refused = checkCorrectionsProvided(uow.profile);
  if (refused.length > 0) throw refusal(refused);
}

const blank = (value: string | null | undefined) => !value || value.trim().length === 0;

export const requestVerificationDataCorrection = command<CorrectionInput, CorrectionRow>({
  name: 'REQUEST_VERIFICATION_DATA_CORRECTION',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({
      certificateId: uuid,
      name: text('personName'),
      birthDate: day('birthDate'),
      majorCode: text('code'),
      reason: text('reason'),
      evidenceRef: text('reference'),
    }),
    'input',
  ),
  async run(uow, input) {
    requireProvided(uow);
    for (const field of ['reason', 'evidenceRef'] as const)
      if (blank(input[field]))
        throw badUserInput(
          { zh: `input.${field}：不得为空`, en: `input.${field}: must not be empty` },
          { field: `input.${field}` },
        );
    if (input.name !== undefined && input.name !== null && blank(input.name))
      throw badUserInput({ zh: 'input.name：不得为空', en: 'input.name: must not be empty' }, { field: 'input.name' });
    const shown = await shownData(uow, input.certificateId);
    if (!shown) throw notFound(NO_CERTIFICATE);
    const school = await schoolById(uow, shown.schoolId);
    // The issuing school's registrars only.
    uow.requireScope({ schoolId: school.schoolId, regionCode: school.regionCode });
    if (shown.state !== 'VALID')
      throw conflict({
        zh: '只有有效的证书可以更正验证信息',
        en: 'Only a certificate in force has its verification data corrected',
      });
    const changes = correctionChanges(shown, input);
    if (!changes)
      throw badUserInput(
        { zh: '没有需要更正的信息：所填与现有信息相同', en: 'Nothing to correct: the data given are those shown' },
        { field: 'input' },
      );
    const id = randomUUID();
    const a = changes.after;
    try {
      await uow.manager.query(
        `INSERT INTO verification_correction (id, certificate_id, school_id, state, name, sex, birth_date, major_code,
                                              study_form, reason, evidence_ref, requested_at, requested_by)
         VALUES ($1, $2, $3, 'SUBMITTED', $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          id,
          input.certificateId,
          school.schoolId,
          a.name ?? null,
          a.sex ?? null,
          a.birthDate ?? null,
          a.majorCode ?? null,
          a.studyForm ?? null,
          input.reason.trim(),
          input.evidenceRef.trim(),
          uow.now(),
          uow.actor.subject,
        ],
      );
    } catch (error) {
      if (pgErrorCode(error) === '23505')
        throw conflict({
          zh: '该证书已有一项更正申请待审核',
          en: 'A correction of this certificate already awaits the authority',
        });
      throw error;
    }
    return (await correctionById(uow.manager, id))!;
  },
  audit: (row) => ({
    entity: 'verification_correction',
    entityId: row.id,
    reason: row.reason,
    details: { certificateId: row.certificateId, fields: Object.keys(row.requested) },
  }),
});

/** The correction awaiting the authority, its certificate's school within the reviewer's region (ADM-1). */
async function openCorrection(uow: UnitOfWork, id: string): Promise<CorrectionRow> {
  requireProvided(uow);
  const correction = await correctionById(uow.manager, id, true);
  if (!correction) throw notFound(NO_CORRECTION);
  const school = await schoolById(uow, correction.schoolId);
  uow.requireScope({ schoolId: school.schoolId, regionCode: school.authorityRegionCode });
  if (correction.state !== 'SUBMITTED')
    throw conflict({ zh: '该更正申请已经处理', en: 'This correction was already decided' });
  return correction;
}

export const approveVerificationDataCorrection = command<{ id: string }, CorrectionRow>({
  name: 'APPROVE_VERIFICATION_DATA_CORRECTION',
  roles: ['AUTHORITY_REVIEWER'],
  validate: limits(fields({ id: uuid })),
  async run(uow, { id }) {
    const correction = await openCorrection(uow, id);
    const shown = await shownData(uow, correction.certificateId);
    if (!shown) throw notFound(NO_CERTIFICATE);
    if (shown.state !== 'VALID')
      throw conflict({
        zh: '该证书已不再有效，不能更正其验证信息',
        en: 'The certificate is no longer in force: its verification data are not corrected',
      });
    // What was shown before, for each field corrected (the history keeps it).
    const r = correction.requested;
    const before = Object.fromEntries(
      (Object.keys(r) as (keyof VerificationData)[]).map((field) => [field, shown[field]]),
    );
    await uow.manager.query(
      `UPDATE certificate SET holder_name = COALESCE($2, holder_name), holder_sex = COALESCE($3, holder_sex),
              holder_birth_date = COALESCE($4::date, holder_birth_date), major_code = COALESCE($5, major_code),
              study_form = COALESCE($6, study_form)
        WHERE id = $1`,
      [
        correction.certificateId,
        r.name ?? null,
        r.sex ?? null,
        r.birthDate ?? null,
        r.majorCode ?? null,
        r.studyForm ?? null,
      ],
    );
    await resignCertificate(uow.manager, correction.certificateId, uow.now());
    await uow.manager.query(
      `UPDATE verification_correction SET state = 'APPROVED', before = $2, decided_at = $3, decided_by = $4
        WHERE id = $1`,
      [id, JSON.stringify(before), uow.now(), uow.actor.subject],
    );
    return (await correctionById(uow.manager, id))!;
  },
  audit: (row) => ({
    entity: 'verification_correction',
    entityId: row.id,
    details: { certificateId: row.certificateId, before: row.before, after: row.requested },
  }),
});

export const rejectVerificationDataCorrection = command<{ id: string; reason: string }, CorrectionRow>({
  name: 'REJECT_VERIFICATION_DATA_CORRECTION',
  roles: ['AUTHORITY_REVIEWER'],
  validate: limits(fields({ id: uuid, reason: text('reason') })),
  async run(uow, { id, reason }) {
    if (blank(reason))
      throw badUserInput({ zh: 'reason：不得为空', en: 'reason: must not be empty' }, { field: 'reason' });
    await openCorrection(uow, id);
    await uow.manager.query(
      `UPDATE verification_correction SET state = 'REJECTED', decision_reason = $2, decided_at = $3, decided_by = $4
        WHERE id = $1`,
      [id, reason.trim(), uow.now(), uow.actor.subject],
    );
    return (await correctionById(uow.manager, id))!;
  },
  audit: (row) => ({
    entity: 'verification_correction',
    entityId: row.id,
    reason: row.decisionReason,
    details: { certificateId: row.certificateId },
  }),
});

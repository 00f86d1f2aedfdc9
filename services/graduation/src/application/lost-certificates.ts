/**
 * GR-8: a lost diploma or completion certificate is never reissued; an academic credential certificate
 * (学历证明书) of equal force stands for it, numbered in its own sequence (`ZM`), carrying the lost
 * certificate's data, with its own signed credential and PDF. The lost one becomes REPLACED (its
 * credential then verifies REVOKED). Who issues it and on which proofs is the profile's.
 */
import { pgErrorCode, selectOne } from '@xueji/db';
import { notFound, policyViolation } from '@xueji/errors';
import { fields, limits, refusal, text, uuid } from '@xueji/rules';
import { command, type UnitOfWork } from '@xueji/service-kit';
import { checkCredentialCertificate, credentialCertificateStatement } from '../domain';
import { CERTIFICATE_COLUMNS, loadFacts, type CertificateRow } from '../reads/facts';
import { resignCertificate } from './credentials';
import { issueCertificates, schoolById } from './issue';

export interface CredentialCertificateInput {
  certificateId: string;
  /** GR-8: the holder's identity document was checked (an attestation: never its number). */
  identityDocumentChecked?: boolean | null;
  /** GR-8: the newspaper notice of the loss (登报遗失声明). */
  lossNoticeRef?: string | null;
  /** GR-8: the school's verification sheet (验印单). */
  verificationSheetRef?: string | null;
  reason?: string | null;
}

const NOT_FOUND = { zh: '没有该证书', en: 'No such certificate' };

/** The certificate, its row held until the unit of work ends (two requests for one lost certificate take turns). */
async function certificateForUpdate(uow: UnitOfWork, id: string): Promise<CertificateRow> {
  const row = await selectOne<CertificateRow>(
    uow.manager,
    `SELECT ${CERTIFICATE_COLUMNS} FROM certificate c WHERE c.id = $1 FOR UPDATE`,
    [id],
  );
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

export const issueCredentialCertificate = command<CredentialCertificateInput, CertificateRow>({
  name: 'ISSUE_CREDENTIAL_CERTIFICATE',
  roles: ['SCHOOL_REGISTRAR', 'AUTHORITY_REVIEWER'],
  validate: limits(
    fields({
      certificateId: uuid,
      lossNoticeRef: text('reference'),
      verificationSheetRef: text('reference'),
      reason: text('reason'),
    }),
    'input',
  ),
  async run(uow, input) {
    const lost = await certificateForUpdate(uow, input.certificateId);
    const school = await schoolById(uow, lost.schoolId);
    // The issuing school's registrars, or reviewers of its competent authority's region.
    uow.requireScope({ schoolId: school.schoolId, regionCode: school.authorityRegionCode });
    const violations = checkCredentialCertificate(uow.profile, {
      role: uow.actor.role as 'SCHOOL_REGISTRAR' | 'AUTHORITY_REVIEWER',
      lost,
      proofs: {
        identityDocumentChecked: input.identityDocumentChecked === true,
        lossNoticeRef: input.lossNoticeRef ?? null,
        verificationSheetRef: input.verificationSheetRef ?? null,
      },
    });
    if (violations.length > 0) throw refusal(violations);
    const student = (await loadFacts(uow.manager, [lost.studentId])).get(lost.studentId);
    if (!student) throw notFound({ zh: '毕业管理中没有该学生', en: 'Graduation does not know this student' });
    const [issued] = await issueCertificates(uow, school, [
      {
        student,
        kind: 'CREDENTIAL_CERTIFICATE',
        listId: null,
        replaces: null,
        lost,
        stated: credentialCertificateStatement(lost),
      },
    ]);
    const certificate = issued!;
    try {
      // It stands for the lost one, showing its data as corrected (GR-12), with the proofs checked.
      await uow.manager.query(
        `UPDATE certificate c SET lost_id = l.id, holder_name = l.holder_name, holder_sex = l.holder_sex,
                holder_birth_date = l.holder_birth_date, identity_checked = $3, loss_notice_ref = $4,
                loss_verification_sheet_ref = $5
           FROM certificate l WHERE c.id = $1 AND l.id = $2`,
        [
          certificate.id,
          lost.id,
          input.identityDocumentChecked === true,
          input.lossNoticeRef?.trim() || null,
          input.verificationSheetRef?.trim() || null,
        ],
      );
    } catch (error) {
      if (pgErrorCode(error) === '23505')
        throw policyViolation('GR-8', {
          zh: '该证书已由学历证明书代替',
          en: 'A credential certificate already stands for this certificate',
        });
      throw error;
    }
    await uow.manager.query(`UPDATE certificate SET state = 'REPLACED' WHERE id = $1`, [lost.id]);
    const credential = await resignCertificate(uow.manager, certificate.id, uow.now());
    return { ...certificate, lostId: lost.id, credential };
  },
  audit: (certificate, input) => ({
    entity: 'certificate',
    entityId: certificate.id,
    ...(input.reason ? { reason: input.reason } : {}),
    details: {
      number: certificate.number,
      lost: certificate.lostId,
      identityDocumentChecked: input.identityDocumentChecked === true,
      lossNoticeRef: input.lossNoticeRef ?? null,
      verificationSheetRef: input.verificationSheetRef ?? null,
    },
  }),
});

/**
 * GR-6: a certificate of completion (结业) when results, credits or conduct fall short at the end, and
 * its exchange for a diploma after make-ups (beijing: within 3 years), the graduation date being the
 * exchange date. GR-1 (fujian): the certificates a student holds, recorded by the school.
 */
import { randomUUID } from 'node:crypto';
import { pgErrorCode } from '@xueji/db';
import { conflict, notFound, policyViolation } from '@xueji/errors';
import { rule } from '@xueji/policy';
import { day, fields, limits, refusal, text, uuid, violation } from '@xueji/rules';
import { command, type UnitOfWork } from '@xueji/service-kit';
import type { CertificateKind, VocationalCertificateKind } from '@xueji/vocabulary';
import { auditGraduation } from '../domain';
import { loadFacts, type CertificateRow, type StudentFacts } from '../reads/facts';
import { issueCertificates, schoolById } from './issue';

/** GR-8: the kind a certificate stands for: its own, or for a credential certificate the lost one's (in turn). */
function standsForKind(certificate: CertificateRow, all: CertificateRow[]): CertificateKind {
  let at = certificate;
  for (let hops = 0; at.kind === 'CREDENTIAL_CERTIFICATE' && hops < all.length; hops++) {
    const lost = all.find((c) => c.id === at.lostId);
    if (!lost) break;
    at = lost;
  }
  return at.kind;
}

const NO_STUDENT = { zh: '毕业管理中没有该学生', en: 'Graduation does not know this student' };

/** The student's facts, within the caller's scope. */
async function studentInScope(uow: UnitOfWork, studentId: string): Promise<StudentFacts> {
  const facts = (await loadFacts(uow.manager, [studentId])).get(studentId);
  if (!facts) throw notFound(NO_STUDENT);
  uow.requireScope({ schoolId: facts.student.schoolId, regionCode: facts.student.regionCode });
  return facts;
}

export const issueCompletionCertificate = command<{ studentId: string }, CertificateRow>({
  name: 'ISSUE_COMPLETION_CERTIFICATE',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(fields({ studentId: uuid })),
  async run(uow, { studentId }) {
    const student = await studentInScope(uow, studentId);
    if (!rule(uow.profile, 'GR-6').applies)
      throw policyViolation('GR-6', { zh: '本地不发结业证书', en: 'This profile issues no certificate of completion' });
    if (student.certificates.some((c) => c.programme === student.student.programme))
      throw conflict({
        zh: '该学生已持有该专业的证书',
        en: 'The student already holds a certificate of this programme',
      });
    const audit = auditGraduation(student.facts, uow.profile, uow.today());
    if (audit.outcome !== 'COMPLETION')
      throw refusal([
        violation(
          'GR-6',
          audit.outcome === 'GRADUATE'
            ? '该学生符合毕业条件，应发毕业证书'
            : `尚不能结业：${audit.conditions
                .filter((c) => !c.met)
                .map((c) => c.message.zh)
                .join('；')}`,
          audit.outcome === 'GRADUATE'
            ? 'The student meets every condition: a diploma is due, not a completion certificate'
            : `Not at completion yet: ${audit.conditions
                .filter((c) => !c.met)
                .map((c) => c.message.en)
                .join('; ')}`,
          'studentId',
        ),
      ]);
    const school = await schoolById(uow, student.student.schoolId);
    const [certificate] = await issueCertificates(uow, school, [
      { student, kind: 'COMPLETION', listId: null, replaces: null },
    ]);
    return certificate!;
  },
  audit: (certificate) => ({
    entity: 'certificate',
    entityId: certificate.id,
    details: { number: certificate.number },
  }),
});

export const exchangeCompletionCertificate = command<
  { studentId: string; verificationSheetRef: string },
  CertificateRow
>({
  name: 'EXCHANGE_COMPLETION_CERTIFICATE',
  roles: ['AUTHORITY_REVIEWER'],
  validate: limits(fields({ studentId: uuid, verificationSheetRef: text('reference') })),
  async run(uow, { studentId }) {
    const student = await studentInScope(uow, studentId);
    // GR-8: a lost completion certificate's credential certificate is exchanged in its place.
    const completion = student.certificates.find(
      (c) =>
        c.state === 'VALID' &&
        c.programme === student.student.programme &&
        standsForKind(c, student.certificates) === 'COMPLETION',
    );
    if (!completion)
      throw conflict({
        zh: '该学生没有可换发的结业证书',
        en: 'The student holds no certificate of completion to exchange',
      });
    const audit = auditGraduation(student.facts, uow.profile, uow.today());
    if (audit.outcome !== 'GRADUATE')
      throw refusal(
        audit.conditions.filter((c) => !c.met).map((c) => violation(c.rule, c.message.zh, c.message.en, 'studentId')),
      );
    const school = await schoolById(uow, student.student.schoolId);
    const [diploma] = await issueCertificates(uow, school, [
      { student, kind: 'DIPLOMA', listId: null, replaces: completion },
    ]);
    return diploma!;
  },
  audit: (diploma, input) => ({
    entity: 'certificate',
    entityId: diploma.id,
    reason: input.verificationSheetRef,
    details: { number: diploma.number, replaces: diploma.replacesId },
  }),
});

export interface HeldCertificateInput {
  studentId: string;
  kind: VocationalCertificateKind;
  title: string;
  number: string;
  issuedOn: string;
}

export interface HeldCertificateRow extends HeldCertificateInput {
  id: string;
}

export const recordHeldCertificate = command<HeldCertificateInput, HeldCertificateRow>({
  name: 'RECORD_HELD_CERTIFICATE',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({ studentId: uuid, title: text('institution'), number: text('code'), issuedOn: day('pastDate') }),
    'input',
  ),
  async run(uow, input) {
    await studentInScope(uow, input.studentId);
    const id = randomUUID();
    try {
      await uow.manager.query(
        `INSERT INTO held_certificate (id, student_id, kind, title, number, issued_on, recorded_at, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'SCHOOL')`,
        [id, input.studentId, input.kind, input.title, input.number, input.issuedOn, uow.now()],
      );
    } catch (error) {
      if (pgErrorCode(error) === '23505')
        throw conflict({ zh: '该证书已经登记', en: 'This certificate is already recorded' });
      throw error;
    }
    return { id, ...input };
  },
  audit: (row) => ({ entity: 'held_certificate', entityId: row.id, details: { kind: row.kind } }),
});

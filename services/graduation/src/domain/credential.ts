/**
 * A certificate as a W3C Verifiable Credential 2.0 in the shape of Open Badges 3.0: the
 * achievement is the programme and major, the subject the holder (by name, never an ID number),
 * the issuer the competent education authority of the school's region. Pure: what the credential
 * says follows from the certificate; signing is the application's.
 */
import type { CertificateKind, Programme, StudyForm } from '@xueji/vocabulary';

export const CERTIFICATE_TITLES: Record<CertificateKind, { zh: string; en: string }> = {
  DIPLOMA: { zh: '中等职业学校毕业证书', en: 'Secondary Vocational School Diploma' },
  COMPLETION: { zh: '中等职业学校结业证书', en: 'Certificate of Completion' },
  STUDY_RECORD: { zh: '写实性学习证明', en: 'Record of Study' },
  PARTIAL_STUDY: { zh: '中等职业学校肄业证书', en: 'Certificate of Partial Study' },
  CREDENTIAL_CERTIFICATE: { zh: '学历证明书', en: 'Academic Credential Certificate' },
};

/** Open Badges 3.0 achievement types of the kinds (a study record is not an award). */
const ACHIEVEMENT_TYPES: Record<CertificateKind, string> = {
  DIPLOMA: 'Diploma',
  COMPLETION: 'Certificate',
  STUDY_RECORD: 'LearningProgram',
  PARTIAL_STUDY: 'Certificate',
  CREDENTIAL_CERTIFICATE: 'Certificate',
};

export interface CredentialFacts {
  certificateId: string;
  kind: CertificateKind;
  number: string;
  holderName: string;
  birthDate: string | null;
  schoolName: string;
  authorityRegionCode: string;
  programme: Programme;
  studyForm: StudyForm;
  majorCode: string | null;
  entryDate: string;
  issuedOn: string;
  statedDuration: string | null;
  /** GR-8: the lost certificate a credential certificate stands for (equal force). */
  standsFor?: { number: string; kind: CertificateKind } | null;
}

/** Where the issuers' identifiers and the lookup live (the deployment's public address). */
export interface CredentialIssuerBase {
  publicUrl: string;
}

export function certificateCredential(c: CredentialFacts, base: CredentialIssuerBase) {
  const title = CERTIFICATE_TITLES[c.kind];
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `urn:uuid:${c.certificateId}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: title.zh,
    issuer: {
      id: `${base.publicUrl}/issuers/${c.authorityRegionCode}`,
      type: ['Profile'],
      name: `${c.authorityRegionCode} 教育行政部门 / education authority`,
    },
    validFrom: `${c.issuedOn}T00:00:00+08:00`,
    credentialSubject: {
      type: ['AchievementSubject'],
      name: c.holderName,
      ...(c.birthDate ? { birthDate: c.birthDate } : {}),
      achievement: {
        id: `urn:xueji:achievement:${c.kind}:${c.programme}:${c.majorCode ?? 'none'}`,
        type: ['Achievement'],
        achievementType: ACHIEVEMENT_TYPES[c.kind],
        name: title.zh,
        description: title.en,
        criteria: { narrative: c.statedDuration ?? `${c.studyForm}, ${c.entryDate} – ${c.issuedOn}` },
        ...(c.majorCode ? { fieldOfStudy: c.majorCode } : {}),
      },
    },
    // GR-11: the register's data as printed, and where to check it (GR-10).
    certificate: {
      number: c.number,
      kind: c.kind,
      school: c.schoolName,
      programme: c.programme,
      studyForm: c.studyForm,
      entryDate: c.entryDate,
      issuedOn: c.issuedOn,
      statedDuration: c.statedDuration,
      ...(c.standsFor ? { standsFor: c.standsFor } : {}),
      lookup: `${base.publicUrl}/lookup?number=${encodeURIComponent(c.number)}`,
    },
  };
}

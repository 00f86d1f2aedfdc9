/**
 * A lost certificate (GR-8) and wrong verification data (GR-12), pure: who may issue an academic
 * credential certificate under the profile and on which proofs, and what a correction changes.
 */
import type { Role } from '@xueji/auth';
import { rule, type PolicyProfile } from '@xueji/policy';
import { violation, type RuleViolation } from '@xueji/rules';
import type { CertificateKind, CertificateState, LossProof, Sex, StudyForm } from '@xueji/vocabulary';
import { CERTIFICATE_TITLES } from './credential';

/** GR-8: the kinds a credential certificate stands for: a diploma, a completion certificate, or a credential certificate lost in turn. */
export const REPLACEABLE_KINDS: readonly CertificateKind[] = ['DIPLOMA', 'COMPLETION', 'CREDENTIAL_CERTIFICATE'];

/** The role that issues credential certificates under each GR-8 `issuer`. */
const ISSUER_ROLES = { AUTHORITY: 'AUTHORITY_REVIEWER', SCHOOL: 'SCHOOL_REGISTRAR' } as const;

/** The proofs as the request states them (the identity check is an attestation: never an ID number). */
export interface LossProofs {
  identityDocumentChecked: boolean;
  lossNoticeRef: string | null;
  verificationSheetRef: string | null;
}

const PROOFS: Record<LossProof, { field: keyof LossProofs; zh: string; en: string }> = {
  IDENTITY_DOCUMENT: {
    field: 'identityDocumentChecked',
    zh: '须核验持证人的身份证件原件',
    en: 'The holder’s identity document must be checked',
  },
  LOSS_NOTICE: {
    field: 'lossNoticeRef',
    zh: '须提供登报遗失声明',
    en: 'The newspaper notice of the loss is required',
  },
  VERIFICATION_SHEET: {
    field: 'verificationSheetRef',
    zh: '须提供学校的毕业证书验印单',
    en: 'The school’s verification sheet (验印单) is required',
  },
};

const given = (value: string | null | undefined): boolean => !!value && value.trim().length > 0;

/** What GR-8 judges of a request for a credential certificate. */
export interface CredentialCertificateRequest {
  /** The caller's role. */
  role: Role;
  /** The certificate reported lost. */
  lost: { kind: CertificateKind; state: CertificateState };
  proofs: LossProofs;
}

/**
 * GR-8: a lost diploma or completion certificate is never reissued; a credential certificate of equal
 * force stands for it, issued by the profile's issuer (jilin, fujian: the authority; beijing and the
 * baseline: the school) on the proofs the profile requires (jilin: the ID checked, the newspaper notice,
 * the verification sheet), at most once per original where the profile says so (fujian). A recalled
 * (void, GR-9), exchanged (GR-6) or already replaced certificate is not replaced.
 */
export function checkCredentialCertificate(
  profile: PolicyProfile,
  request: CredentialCertificateRequest,
): RuleViolation[] {
  const gr8 = rule(profile, 'GR-8');
  if (!gr8.applies)
    return [violation('GR-8', '本地不出具学历证明书', 'This profile issues no academic credential certificate')];
  const out: RuleViolation[] = [];
  if (request.role !== ISSUER_ROLES[gr8.issuer])
    out.push(
      gr8.issuer === 'AUTHORITY'
        ? violation(
            'GR-8',
            '学历证明书由主管教育行政部门出具',
            'The competent authority issues the credential certificate',
          )
        : violation('GR-8', '学历证明书由学校出具', 'The school issues the credential certificate'),
    );
  const { kind, state } = request.lost;
  const title = CERTIFICATE_TITLES[kind];
  if (!REPLACEABLE_KINDS.includes(kind))
    out.push(
      violation(
        'GR-8',
        `${title.zh}遗失不出具学历证明书：只有毕业证书和结业证书`,
        `A lost ${title.en} gets no credential certificate: only a diploma or a completion certificate does`,
        'certificateId',
      ),
    );
  else if (gr8.oncePerCertificate && (kind === 'CREDENTIAL_CERTIFICATE' || state === 'REPLACED'))
    out.push(
      violation(
        'GR-8',
        '学历证明书只能补办一次',
        'A credential certificate is issued once only for a certificate',
        'certificateId',
      ),
    );
  else if (state === 'RECALLED')
    out.push(
      violation('GR-8', '该证书已被追回并宣布无效', 'The certificate was recalled and declared void', 'certificateId'),
    );
  else if (state === 'REPLACED')
    out.push(
      violation(
        'GR-8',
        '该证书已由学历证明书代替；学历证明书遗失时请以其申请',
        'A credential certificate already stands for it; for a lost credential certificate, name that one',
        'certificateId',
      ),
    );
  else if (state !== 'VALID')
    out.push(
      violation(
        'GR-8',
        '该证书已换发，不再有效',
        'The certificate was exchanged and is no longer in force',
        'certificateId',
      ),
    );
  for (const proof of gr8.requiredProofs) {
    const { field, zh, en } = PROOFS[proof];
    const value = request.proofs[field];
    if (typeof value === 'boolean' ? !value : !given(value)) out.push(violation('GR-8', zh, en, field));
  }
  return out;
}

/** GR-8: what a credential certificate states of the certificate it stands for. */
export function credentialCertificateStatement(lost: {
  kind: CertificateKind;
  number: string;
  issuedOn: string;
  statedDuration: string | null;
}): string {
  const title = lost.kind === 'CREDENTIAL_CERTIFICATE' ? null : CERTIFICATE_TITLES[lost.kind];
  const zh = title?.zh ?? '学历证明书';
  const en = title?.en ?? 'credential certificate';
  return (
    `代替遗失的${zh} ${lost.number}（${lost.issuedOn}），效力相同 / stands for the lost ${en} ${lost.number} ` +
    `(${lost.issuedOn}), of equal force${lost.statedDuration ? `; ${lost.statedDuration}` : ''}`
  );
}

/** The verification data a certificate shows (GR-11) that a correction may change (GR-12). */
export interface VerificationData {
  name: string | null;
  sex: Sex | null;
  birthDate: string | null;
  majorCode: string | null;
  studyForm: StudyForm | null;
}

export const VERIFICATION_FIELDS = ['name', 'sex', 'birthDate', 'majorCode', 'studyForm'] as const;

/** GR-12: the profile provides corrections of verification data (fujian). */
export function checkCorrectionsProvided(profile: PolicyProfile): RuleViolation[] {
  return rule(profile, 'GR-12').applies
    ? []
    : [
        violation(
          'GR-12',
          '本地不办理证书验证信息的更正',
          'This profile provides no correction of a certificate’s verification data',
        ),
      ];
}

/**
 * GR-12: what a requested correction changes of the data shown: the fields given that differ, before and
 * after (trimmed). Nothing changes: null (the caller refuses it).
 */
export function correctionChanges(
  shown: VerificationData,
  requested: Partial<VerificationData>,
): { before: Partial<VerificationData>; after: Partial<VerificationData> } | null {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const field of VERIFICATION_FIELDS) {
    const raw = requested[field];
    if (raw === undefined || raw === null) continue;
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value === shown[field]) continue;
    before[field] = shown[field];
    after[field] = value;
  }
  return Object.keys(after).length === 0
    ? null
    : { before: before as Partial<VerificationData>, after: after as Partial<VerificationData> };
}

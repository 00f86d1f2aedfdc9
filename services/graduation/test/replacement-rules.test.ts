/**
 * GR-8 and GR-12 by id, per profile where their values differ: the pure rules of a lost certificate
 * (who issues the credential certificate, on which proofs, how often) and of corrections of
 * verification data. No I/O.
 */
import { loadPolicyProfile } from '@xueji/policy';
import {
  certificateNumber,
  checkCorrectionsProvided,
  checkCredentialCertificate,
  correctionChanges,
  credentialCertificateStatement,
  type CredentialCertificateRequest,
  type LossProofs,
  type VerificationData,
} from '../src/domain';

const national = loadPolicyProfile('national');
const jilin = loadPolicyProfile('jilin');
const beijing = loadPolicyProfile('beijing');
const fujian = loadPolicyProfile('fujian');
const shiyan = loadPolicyProfile('hubei-shiyan');

const ALL_PROOFS: LossProofs = {
  identityDocumentChecked: true,
  lossNoticeRef: '吉林日报 2029-07-01 第 8 版',
  verificationSheetRef: '验印单-2029-001',
};
const NO_PROOFS: LossProofs = { identityDocumentChecked: false, lossNoticeRef: null, verificationSheetRef: null };

function request(overrides: Partial<CredentialCertificateRequest> = {}): CredentialCertificateRequest {
  return {
    role: 'SCHOOL_REGISTRAR',
    lost: { kind: 'DIPLOMA', state: 'VALID' },
    proofs: ALL_PROOFS,
    ...overrides,
  };
}

const rules = (v: { rule: string }[]) => v.map((x) => x.rule);
const fieldsOf = (v: { field?: string }[]) => v.map((x) => x.field);

describe('GR-8: a lost diploma is never reissued; a credential certificate of equal force', () => {
  it('national: the school issues it on the identity checked, as often as one is lost', () => {
    expect(checkCredentialCertificate(national, request())).toEqual([]);
    expect(
      checkCredentialCertificate(national, request({ proofs: { ...NO_PROOFS, identityDocumentChecked: true } })),
    ).toEqual([]);
    const unchecked = checkCredentialCertificate(national, request({ proofs: NO_PROOFS }));
    expect(rules(unchecked)).toEqual(['GR-8']);
    expect(fieldsOf(unchecked)).toEqual(['identityDocumentChecked']);
    expect(rules(checkCredentialCertificate(national, request({ role: 'AUTHORITY_REVIEWER' })))).toEqual(['GR-8']);
    // A lost credential certificate is replaced in turn.
    expect(
      checkCredentialCertificate(national, request({ lost: { kind: 'CREDENTIAL_CERTIFICATE', state: 'VALID' } })),
    ).toEqual([]);
  });

  it('hubei-shiyan names no rule of its own and follows the baseline', () => {
    expect(shiyan.rules['GR-8']).toEqual(national.rules['GR-8']);
  });

  it('jilin: by the authority, with the ID checked, the newspaper notice and the verification sheet', () => {
    expect(checkCredentialCertificate(jilin, request({ role: 'AUTHORITY_REVIEWER' }))).toEqual([]);
    const byTheSchool = checkCredentialCertificate(jilin, request({ role: 'SCHOOL_REGISTRAR' }));
    expect(rules(byTheSchool)).toEqual(['GR-8']);
    expect(byTheSchool[0]!.message.en).toMatch(/competent authority/);
    const bare = checkCredentialCertificate(jilin, request({ role: 'AUTHORITY_REVIEWER', proofs: NO_PROOFS }));
    expect(fieldsOf(bare)).toEqual(['identityDocumentChecked', 'lossNoticeRef', 'verificationSheetRef']);
    expect(new Set(rules(bare))).toEqual(new Set(['GR-8']));
    const noNotice = checkCredentialCertificate(
      jilin,
      request({ role: 'AUTHORITY_REVIEWER', proofs: { ...ALL_PROOFS, lossNoticeRef: '  ' } }),
    );
    expect(fieldsOf(noNotice)).toEqual(['lossNoticeRef']);
  });

  it('beijing: by the school', () => {
    expect(checkCredentialCertificate(beijing, request())).toEqual([]);
    expect(rules(checkCredentialCertificate(beijing, request({ role: 'AUTHORITY_REVIEWER' })))).toEqual(['GR-8']);
  });

  it('fujian: once only, at the authority, after the notice of loss', () => {
    const reviewer = { role: 'AUTHORITY_REVIEWER' as const };
    expect(checkCredentialCertificate(fujian, request(reviewer))).toEqual([]);
    expect(
      fieldsOf(
        checkCredentialCertificate(fujian, request({ ...reviewer, proofs: { ...ALL_PROOFS, lossNoticeRef: null } })),
      ),
    ).toEqual(['lossNoticeRef']);
    // A second one: for the original again, or for the credential certificate lost in turn.
    const again = checkCredentialCertificate(
      fujian,
      request({ ...reviewer, lost: { kind: 'DIPLOMA', state: 'REPLACED' } }),
    );
    expect(rules(again)).toEqual(['GR-8']);
    expect(again[0]!.message.en).toMatch(/once only/);
    expect(
      rules(
        checkCredentialCertificate(
          fujian,
          request({ ...reviewer, lost: { kind: 'CREDENTIAL_CERTIFICATE', state: 'VALID' } }),
        ),
      ),
    ).toEqual(['GR-8']);
    // Elsewhere a replaced original is refused too (the credential certificate stands for it).
    expect(
      rules(checkCredentialCertificate(national, request({ lost: { kind: 'DIPLOMA', state: 'REPLACED' } }))),
    ).toEqual(['GR-8']);
  });

  it('every profile: a recalled (void), exchanged or leaving certificate is not replaced', () => {
    for (const profile of [national, beijing]) {
      for (const lost of [
        { kind: 'DIPLOMA', state: 'RECALLED' },
        { kind: 'COMPLETION', state: 'EXCHANGED' },
        { kind: 'STUDY_RECORD', state: 'VALID' },
        { kind: 'PARTIAL_STUDY', state: 'VALID' },
      ] as const)
        expect(rules(checkCredentialCertificate(profile, request({ lost })))).toEqual(['GR-8']);
      expect(checkCredentialCertificate(profile, request({ lost: { kind: 'COMPLETION', state: 'VALID' } }))).toEqual(
        [],
      );
    }
  });

  it('numbered in a sequence of its own, prefixed ZM, and stating the certificate it stands for', () => {
    const facts = {
      kind: 'CREDENTIAL_CERTIFICATE' as const,
      year: 2030,
      schoolId: 's',
      schoolCode: '3501021234',
      authorityRegionCode: '350100',
    };
    expect(certificateNumber('FUJIAN_12_DIGIT', facts, 1)).toBe('ZM203012340001');
    expect(certificateNumber('NATIONAL', facts, 7)).toBe('ZM2030350100000007');
    expect(
      credentialCertificateStatement({
        kind: 'DIPLOMA',
        number: '202912340001',
        issuedOn: '2029-06-20',
        statedDuration: null,
      }),
    ).toBe(
      '代替遗失的中等职业学校毕业证书 202912340001（2029-06-20），效力相同 / stands for the lost Secondary Vocational School Diploma 202912340001 (2029-06-20), of equal force',
    );
  });
});

describe('GR-12: wrong or missing verification data corrected through the authority', () => {
  it('fujian provides it; national (and the others) refuse with GR-12', () => {
    expect(checkCorrectionsProvided(fujian)).toEqual([]);
    for (const profile of [national, jilin, beijing, shiyan])
      expect(rules(checkCorrectionsProvided(profile))).toEqual(['GR-12']);
  });

  const shown: VerificationData = {
    name: '王小东',
    sex: 'MALE',
    birthDate: null,
    majorCode: '710201',
    studyForm: 'FULL_TIME',
  };

  it('a correction changes only the fields given that differ, keeping what was shown before', () => {
    expect(correctionChanges(shown, { name: ' 王晓东 ', birthDate: '2010-03-04', majorCode: '710201' })).toEqual({
      before: { name: '王小东', birthDate: null },
      after: { name: '王晓东', birthDate: '2010-03-04' },
    });
    expect(correctionChanges(shown, { sex: 'FEMALE', studyForm: 'PART_TIME' })).toEqual({
      before: { sex: 'MALE', studyForm: 'FULL_TIME' },
      after: { sex: 'FEMALE', studyForm: 'PART_TIME' },
    });
  });

  it('nothing to correct: the same data, or none given', () => {
    expect(correctionChanges(shown, { name: '王小东' })).toBeNull();
    expect(correctionChanges(shown, {})).toBeNull();
  });
});

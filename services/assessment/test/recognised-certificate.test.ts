/** AS-4 / GR-11: the certificate a recognition rests on is stated whole; prior work states none. */
import { recognisedCertificate } from '../src/domain/recognition';

describe('AS-4 / GR-11: recognisedCertificate', () => {
  const whole = { certificateTitle: ' 焊工（四级） ', certificateNumber: ' S-1 ', issuedOn: '2026-06-30' };

  it('a vocational qualification or skill certificate with title, number and date: the certificate', () => {
    expect(recognisedCertificate('SKILL_CERTIFICATE', whole)).toEqual({
      certificate: { kind: 'SKILL_CERTIFICATE', title: '焊工（四级）', number: 'S-1', issuedOn: '2026-06-30' },
    });
    expect(recognisedCertificate('VOCATIONAL_QUALIFICATION', whole)).toMatchObject({
      certificate: { kind: 'VOCATIONAL_QUALIFICATION' },
    });
  });

  it('a certificate missing its title, number or date: refused on that field', () => {
    expect(recognisedCertificate('SKILL_CERTIFICATE', { ...whole, certificateTitle: ' ' })).toMatchObject({
      field: 'certificateTitle',
    });
    expect(recognisedCertificate('SKILL_CERTIFICATE', { ...whole, certificateNumber: null })).toMatchObject({
      field: 'certificateNumber',
    });
    expect(recognisedCertificate('VOCATIONAL_QUALIFICATION', { ...whole, issuedOn: undefined })).toMatchObject({
      field: 'issuedOn',
    });
  });

  it('prior work or a PE exemption: no certificate; one stated is refused', () => {
    expect(recognisedCertificate('PRIOR_WORK', {})).toEqual({ certificate: null });
    expect(recognisedCertificate('MEDICAL_EXEMPTION', { certificateNumber: null })).toEqual({ certificate: null });
    expect(recognisedCertificate('PRIOR_WORK', { certificateNumber: 'S-1' })).toMatchObject({
      field: 'certificateNumber',
    });
  });
});

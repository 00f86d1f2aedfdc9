/**
 * The certificate PDF as a reader and a printer see it (poppler's tools from Debian): the Chinese
 * text is real text in an embedded font subset, the QR code is there, and the signed credential
 * is attached.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { certificatePdf, CertificateFontMissing } from '../src';

const page = {
  title: { zh: '中等职业学校毕业证书', en: 'Secondary Vocational School Diploma' },
  number: '202735010042',
  fields: [
    { label: { zh: '姓名', en: 'Name' }, value: '王晓东' },
    { label: { zh: '专业', en: 'Major' }, value: '计算机应用（710201）' },
    { label: { zh: '学习形式', en: 'Study form' }, value: '全日制，三年' },
  ],
  issuer: '福州市第一职业中专学校　校长　林建华',
  issuedOn: '2027年7月1日',
  lookupUrl: 'https://xueji.example/lookup?number=202735010042',
  credential: 'eyJhbGciOiJFZERTQSIsInR5cCI6InZjK2p3dCIsImtpZCI6ImsxIn0.e30.c2ln',
};

function written(pdf: Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cert-')), 'certificate.pdf');
  writeFileSync(file, pdf);
  return file;
}
const run = (tool: string, ...args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });

describe('certificate PDF', () => {
  it('Chinese text in an embedded CJK subset, the QR code, the credential attached', async () => {
    const file = written(await certificatePdf(page));
    const text = run('pdftotext', '-enc', 'UTF-8', file, '-');
    for (const expected of [
      '中等职业学校毕业证书',
      '王晓东',
      '计算机应用（710201）',
      '202735010042',
      'Scan to verify',
    ]) {
      expect(text).toContain(expected);
    }
    const fonts = run('pdffonts', file);
    expect(fonts).toMatch(/\+WenQuanYiMicroHei/); // a subset (tag+name), embedded
    expect(
      fonts
        .split('\n')
        .filter((l) => l.includes('WenQuanYi'))
        .every((l) => / yes +yes +yes /.test(l)),
    ).toBe(true);
    expect(run('pdfimages', '-list', file).split('\n').length).toBeGreaterThan(3); // header, rule, the QR image
    expect(run('pdfdetach', '-list', file)).toContain('credential.jwt');
  });

  it('without the font it says which Debian package is missing', async () => {
    await expect(certificatePdf(page, { file: '/nonexistent.ttc', face: 'X' })).rejects.toThrow(CertificateFontMissing);
  });
});

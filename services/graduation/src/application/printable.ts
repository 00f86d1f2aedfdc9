/** A certificate's printable PDF (GR-11 data, the lookup's QR code, the signed credential attached). */
import { certificatePdf } from '@xueji/certificate-pdf';
import { CERTIFICATE_TITLES } from '../domain/credential';
import type { PrintFactsRow } from '../reads/lookup';
import { credentialSettings } from './credentials';

const STUDY_FORMS: Record<string, string> = { FULL_TIME: '全日制', PART_TIME: '非全日制', FLEXIBLE: '弹性学制' };
const SEXES: Record<string, string> = { MALE: '男', FEMALE: '女' };

export async function printableCertificate(c: PrintFactsRow): Promise<{ fileName: string; contentBase64: string }> {
  const line = (zh: string, en: string, value: string | null) => ({ label: { zh, en }, value: value ?? '—' });
  const pdf = await certificatePdf({
    title: CERTIFICATE_TITLES[c.kind],
    number: c.number,
    fields: [
      line('姓名', 'Name', c.name),
      line('性别', 'Sex', c.sex ? (SEXES[c.sex] ?? c.sex) : null), // GR-11
      line('出生日期', 'Date of birth', c.birthDate),
      line('专业代码', 'Major', c.majorCode),
      line('学习形式', 'Study form', STUDY_FORMS[c.studyForm] ?? c.studyForm),
      line('修业时间', 'Study period', `${c.entryDate} – ${c.issuedOn}`),
      ...(c.statedDuration ? [line('修业说明', 'Study stated', c.statedDuration)] : []),
      line('校长', 'Principal', c.principalName), // GR-11
    ],
    issuer: c.schoolName,
    issuedOn: c.issuedOn,
    lookupUrl: `${credentialSettings().publicUrl}/lookup?number=${encodeURIComponent(c.number)}`,
    ...(c.credential ? { credential: c.credential } : {}),
  });
  return { fileName: `${c.number}.pdf`, contentBase64: pdf.toString('base64') };
}

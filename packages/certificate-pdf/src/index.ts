/**
 * A printable certificate (diploma, completion, partial study, credential certificate) as PDF:
 * Chinese text in an embedded subset of a CJK font from Debian's packages (WenQuanYi Micro Hei,
 * Apache-2.0 or GPL-3 with the font exception: embedding a subset is allowed), a QR code linking
 * to the public lookup, and the signed digital credential attached as a file, so that the paper's
 * own PDF carries what verifies it.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/** Debian's `fonts-wqy-microhei`, and the face inside its collection. */
export const DEFAULT_CJK_FONT = { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' };

export interface Bilingual {
  zh: string;
  en: string;
}

export interface CertificatePage {
  title: Bilingual;
  /** The certificate's number, printed and in the lookup link. */
  number: string;
  /** The lines of the certificate, in order (GR-11: name, sex, date of birth, study period, …). */
  fields: { label: Bilingual; value: string }[];
  /** Who issues it, e.g. the school and its principal. */
  issuer: string;
  issuedOn: string;
  /** The public lookup for this certificate; the QR code opens it. */
  lookupUrl: string;
  /** The signed credential (compact JWS), attached as `credential.jwt`. */
  credential?: string;
}

export class CertificateFontMissing extends Error {
  override readonly name = 'CertificateFontMissing';
}

/** The PDF of one certificate, A4 portrait. */
export async function certificatePdf(page: CertificatePage, font = DEFAULT_CJK_FONT): Promise<Buffer> {
  if (!existsSync(font.file)) {
    throw new CertificateFontMissing(`the CJK font ${font.file} is missing (Debian package fonts-wqy-microhei)`);
  }
  const qr = await QRCode.toBuffer(page.lookupUrl, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: `${page.title.zh} ${page.number}`, Subject: page.title.en, Creator: 'xueji' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  doc.registerFont('cjk', font.file, font.face);
  doc.font('cjk');
  doc.fontSize(26).text(page.title.zh, { align: 'center' });
  doc.fontSize(12).fillColor('#444').text(page.title.en, { align: 'center' }).moveDown(0.5);
  doc.fontSize(11).text(`编号 No. ${page.number}`, { align: 'center' }).moveDown(1.5);
  doc.fillColor('#000');
  for (const { label, value } of page.fields) {
    doc.fontSize(13).text(`${label.zh}：${value}`, { continued: false });
    doc.fontSize(9).fillColor('#666').text(label.en).fillColor('#000').moveDown(0.4);
  }
  doc.moveDown(1).fontSize(12).text(page.issuer, { align: 'right' }).text(page.issuedOn, { align: 'right' });
  const qrSize = 120;
  doc.image(qr, doc.page.margins.left, doc.page.height - doc.page.margins.bottom - qrSize - 24, {
    width: qrSize,
    height: qrSize,
  });
  doc
    .fontSize(8)
    .fillColor('#444')
    .text('扫码查验 Scan to verify', doc.page.margins.left, doc.page.height - doc.page.margins.bottom - 20, {
      lineBreak: false,
    });
  if (page.credential) {
    doc.file(Buffer.from(page.credential, 'utf8'), {
      name: 'credential.jwt',
      type: 'application/vc+jwt',
      description: 'Signed digital credential (W3C VC 2.0, compact JWS)',
    });
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

import { PassThrough } from 'node:stream';
import { stream } from 'exceljs';

/**
 * An .xlsx written with exceljs's streaming writer (issue 10's abusive uploads): the roster header,
 * then `rows` rows of the one cell `cell` each. 800,000 rows of one short cell are about 4.3 MB.
 */
export async function streamedWorkbook(rows: number, cell: string | number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  const workbook = new stream.xlsx.WorkbookWriter({ stream: sink, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('名单');
  sheet.addRow(['姓名', '性别', '出生日期', '身份证号', '入学日期', '入学批次', '学制']).commit();
  for (let i = 0; i < rows; i++) sheet.addRow([cell]).commit();
  sheet.commit();
  await workbook.commit();
  await ended;
  return Buffer.concat(chunks);
}

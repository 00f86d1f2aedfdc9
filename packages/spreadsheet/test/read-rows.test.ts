import { Workbook, type CellValue } from 'exceljs';
import { NoWorksheetError, writeSheet, xlsxRows } from '../src';

/** What a full load gives: the first worksheet's rows as `[row number, row.values]`. */
async function fullLoad(content: Buffer): Promise<[number, CellValue[]][]> {
  const workbook = new Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: [number, CellValue[]][] = [];
  sheet.eachRow((row, number) => rows.push([number, row.values as CellValue[]]));
  return rows;
}

/** A hyperlink cell as its text, rich-text runs without a font as `font: null`: what the streaming reader gives. */
const asStreamed = (rows: [number, CellValue[]][]) =>
  rows.map(([n, values]) => [
    n,
    values.map((v) => {
      if (v && typeof v === 'object' && 'hyperlink' in v) return v.text;
      if (v && typeof v === 'object' && 'richText' in v)
        return { richText: v.richText.map((r) => ({ font: null, ...r })) };
      return v;
    }),
  ]);

async function streamed(content: Buffer): Promise<[number, CellValue[]][]> {
  const rows: [number, CellValue[]][] = [];
  for await (const row of xlsxRows(content)) rows.push(row);
  return rows;
}

describe('xlsxRows', () => {
  it('gives what a full load gives: shared and rich text, dates, formulas, merged cells, the first sheet', async () => {
    const workbook = new Workbook();
    const first = workbook.addWorksheet('名单');
    workbook.addWorksheet('其他').addRow(['不读']);
    first.addRow(['姓名', '出生日期', '入学日期', '班级', '备注']);
    first.addRow([
      { richText: [{ text: '王' }, { text: '伟', font: { bold: true } }] },
      new Date(Date.UTC(2010, 8, 1)),
      { formula: 'DATE(2026,9,1)', result: 46266 },
      '2026级1班',
      { text: '链接', hyperlink: 'https://example.org' },
    ]);
    first.addRow(['李娜', 40000, '2026-09-01', null, '横']);
    first.addRow(['张三', '2010-01-02', '2026-09-01', null, null]);
    first.getCell('C2').numFmt = 'yyyy-mm-dd';
    first.mergeCells('D2:D4');
    first.mergeCells('E3:F3');
    const content = Buffer.from(await workbook.xlsx.writeBuffer());
    const rows = await streamed(content);
    expect(rows).toEqual(asStreamed(await fullLoad(content)));
    expect(rows[3]![1][4]).toBe('2026级1班');
    expect(rows[1]![1][3]).toEqual({ formula: 'DATE(2026,9,1)', result: new Date(Date.UTC(2026, 8, 1)) });
  });

  it('keeps Chinese text whole across the chunks a large sheet streams in (inline strings)', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => [i + 1, `吉林省长春市南关区人民大街${i}号`, '汉族']);
    const content = await writeSheet({ sheetName: '名单', headers: ['序号', '家庭住址', '民族'], rows });
    const read = await streamed(content);
    expect(read).toEqual(await fullLoad(content));
    expect(read.some(([, values]) => values.some((v) => typeof v === 'string' && v.includes('\uFFFD')))).toBe(false);
  });

  it('refuses a workbook without a worksheet', async () => {
    const content = Buffer.from(await new Workbook().xlsx.writeBuffer());
    await expect(streamed(content)).rejects.toBeInstanceOf(NoWorksheetError);
  });
});

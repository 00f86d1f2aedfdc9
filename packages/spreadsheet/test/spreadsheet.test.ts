import { Workbook } from 'exceljs';
import { readSheet, writeSheet } from '../src';

describe('spreadsheet', () => {
  it('writes a title, a header, the rows and the footer, and reads them back', async () => {
    const content = await writeSheet({
      sheetName: '名单',
      title: '2026 年名单',
      headers: ['序号', '学籍号', '姓名'],
      rows: [
        [1, '220102201009011234', '张三'],
        [2, '0012345', null],
      ],
      textColumns: [2],
      footer: [['合计 2 人']],
    });
    expect(content.subarray(0, 2).toString()).toBe('PK');
    expect(await readSheet(content)).toEqual([
      ['2026 年名单', '2026 年名单', '2026 年名单'],
      ['序号', '学籍号', '姓名'],
      ['1', '220102201009011234', '张三'],
      ['2', '0012345'],
      ['合计 2 人'],
    ]);
    // Student and ID numbers stay text (Excel would round an 18-digit number or drop a leading zero).
    const workbook = new Workbook();
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('名单');
    expect(sheet.getCell('B3').numFmt).toBe('@');
    expect(sheet.getCell('A1').isMerged).toBe(true);
  });
});

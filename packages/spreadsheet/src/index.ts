import { PassThrough } from 'node:stream';
import { setImmediate as turn } from 'node:timers/promises';
import { stream, Workbook } from 'exceljs';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type Cell = string | number | null;

/** One sheet of a report: a title line, a header row, the rows, and lines under them. */
export interface SheetSpec {
  sheetName: string;
  /** Merged across the columns, bold, above the header. */
  title?: string;
  headers: readonly string[];
  rows: readonly (readonly Cell[])[];
  /** Column widths in characters, in header order. */
  widths?: readonly number[];
  /** 1-based columns kept as text (student and ID numbers: Excel would round them). */
  textColumns?: readonly number[];
  /** Lines after the rows (an empty-report notice, a signature line). */
  footer?: readonly (readonly Cell[])[];
  landscape?: boolean;
}

/** Rows `writeSheet` writes before it lets the event loop run other work. */
export const ROWS_PER_TURN = 500;

/**
 * The workbook as .xlsx bytes: the one way every service writes the reports it hands out. Rows
 * are streamed into the file as they are added (a 100,000-row roster is not held as a model).
 */
export async function writeSheet(spec: SheetSpec): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  const workbook = new stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(
    spec.sheetName,
    spec.landscape ? { pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1 } } : {},
  );
  // Column formats must be known before the first row is written.
  sheet.columns = spec.headers.map((_, i) => ({
    width: spec.widths?.[i],
    style: spec.textColumns?.includes(i + 1) ? { numFmt: '@' } : {},
  }));
  if (spec.title !== undefined) {
    const title = sheet.addRow([spec.title]);
    if (spec.headers.length > 1) sheet.mergeCells(title.number, 1, title.number, spec.headers.length);
    title.font = { bold: true, size: 14 };
    title.alignment = { horizontal: 'center' };
    title.commit();
  }
  const header = sheet.addRow([...spec.headers]);
  header.font = { bold: true };
  header.commit();
  // Other callers of the process get a turn between batches of rows (issue 10: ~1 s per 20,000 rows).
  for (let i = 0; i < spec.rows.length; i++) {
    sheet.addRow([...spec.rows[i]!]).commit();
    if ((i + 1) % ROWS_PER_TURN === 0) await turn();
  }
  for (const line of spec.footer ?? []) sheet.addRow([...line]).commit();
  sheet.commit();
  await workbook.commit();
  await ended;
  return Buffer.concat(chunks);
}

/** The first sheet's rows as arrays of cell text (index 0 = column A), for imports and tests. */
export async function readSheet(content: Buffer): Promise<string[][]> {
  const workbook = new Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const rows: string[][] = [];
  sheet?.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cell.text;
    });
    rows.push(Array.from(cells, (c) => c ?? ''));
  });
  return rows;
}
export * from './bounds';
export * from './read-rows';

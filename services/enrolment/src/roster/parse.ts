/**
 * Read a roster file (.xlsx or .csv) into rows of header → cell text, keeping each row's number
 * in the file so problems can point at it. CSV files are read as UTF-8 (with or without BOM);
 * GBK-encoded CSV is refused with a request to save as UTF-8 or .xlsx.
 */
import { setImmediate as turn } from 'node:timers/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import type { CellValue } from 'exceljs';
import { badUserInput, CodedError } from '@xueji/errors';
import { checkXlsxBounds, NoWorksheetError, xlsxRows, XlsxBoundsError } from '@xueji/spreadsheet';
import { canonicalHeader, DATE_HEADERS, ID_NUMBER_HEADER, REQUIRED_HEADERS } from './columns';

/** Most data rows one import accepts. */
export const MAX_ROSTER_ROWS = 20_000;

/** Rows read between two turns of the event loop, so that an import does not hold other callers. */
export const ROWS_PER_TURN = 250;

/**
 * Most bytes the parts of one .xlsx may inflate to, all parts together: a 20,000-row roster is
 * about 12 MB unzipped, a decompression bomb is refused here before exceljs builds a model of it.
 */
export const MAX_XLSX_UNZIPPED_BYTES = 64 * 1024 * 1024;

export interface ParsedRow {
  /** 1-based row number in the file; the header is row 1. */
  row: number;
  /** Cell text by header (recognised headers in their Chinese form, others as written). */
  values: Record<string, string>;
  /** Headers of the cells the spreadsheet held as numbers (ID numbers must be text). */
  numericCells?: string[];
}

export interface ParsedRoster {
  header: string[];
  rows: ParsedRow[];
}

interface Cell {
  text: string;
  numeric: boolean;
}

const EMPTY: Cell = { text: '', numeric: false };

/** The text a spreadsheet cell shows, whatever exceljs gives for it. */
function cellOf(value: CellValue | undefined): Cell {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === 'string') return { text: value, numeric: false };
  if (typeof value === 'number') return { text: String(value), numeric: true };
  if (typeof value === 'boolean') return { text: value ? '是' : '否', numeric: false };
  // exceljs reads date cells as UTC midnight of the day shown.
  if (value instanceof Date)
    return { text: Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10), numeric: false };
  if ('richText' in value) return { text: value.richText.map((r) => r.text).join(''), numeric: false };
  if ('formula' in value || 'sharedFormula' in value) return cellOf(value.result as CellValue);
  if ('hyperlink' in value) return cellOf(value.text as CellValue);
  return EMPTY; // error cells
}

function unreadable(fileName: string, reason: string): never {
  throw badUserInput(
    { zh: `无法读取文件 ${fileName}：${reason}`, en: `Cannot read ${fileName}: ${reason}` },
    { field: 'contentBase64' },
  );
}

function tooManyRows(fileName: string): Error {
  return badUserInput(
    {
      zh: `文件 ${fileName} 超过每次导入 ${MAX_ROSTER_ROWS} 行的上限，请拆分文件`,
      en: `${fileName} has more than ${MAX_ROSTER_ROWS} rows, the most one import accepts: split the file`,
    },
    { field: 'contentBase64', maxRows: MAX_ROSTER_ROWS },
  );
}

function tooLargeUnzipped(fileName: string): Error {
  const mb = MAX_XLSX_UNZIPPED_BYTES / 1024 / 1024;
  return badUserInput(
    {
      zh: `文件 ${fileName} 解压后超过 ${mb} MB 的上限，请拆分文件`,
      en: `${fileName} unzips to more than ${mb} MB, the most one import accepts: split the file`,
    },
    { field: 'contentBase64', maxUnzippedBytes: MAX_XLSX_UNZIPPED_BYTES },
  );
}

/**
 * Before exceljs loads a workbook (and holds all of it as a model): the shared guard of
 * @xueji/spreadsheet inflates every part a chunk at a time and refuses the file once the parts
 * together pass MAX_XLSX_UNZIPPED_BYTES or a worksheet passes MAX_ROSTER_ROWS data rows (header
 * aside); here its refusal becomes the roster's coded, bilingual one.
 */
async function checkXlsxSize(fileName: string, content: Buffer): Promise<void> {
  try {
    await checkXlsxBounds(content, { maxUnzippedBytes: MAX_XLSX_UNZIPPED_BYTES, maxRows: MAX_ROSTER_ROWS + 1 });
  } catch (error) {
    if (!(error instanceof XlsxBoundsError)) throw error;
    if (error.kind === 'TOO_LARGE_UNZIPPED') throw tooLargeUnzipped(fileName);
    if (error.kind === 'TOO_MANY_ROWS') throw tooManyRows(fileName);
    unreadable(fileName, '不是有效的 .xlsx 文件 / not a valid .xlsx workbook');
  }
}

/** Map the header row's cells to column names and check that every required column is there. */
function readHeader(cells: string[]): string[] {
  const header = cells.map((raw) => canonicalHeader(raw) ?? raw.trim());
  const seen = new Set<string>();
  const repeated = header.filter((h) => h && (seen.has(h) || !seen.add(h)));
  if (repeated.length > 0) {
    throw badUserInput(
      { zh: `表头列重复：${repeated.join('、')}`, en: `Columns appear more than once: ${repeated.join(', ')}` },
      { columns: repeated },
    );
  }
  const missing = REQUIRED_HEADERS.filter((h) => !seen.has(h));
  if (missing.length > 0) {
    throw badUserInput(
      {
        zh: `缺少必填列：${missing.join('、')}（表头应在第一行）`,
        en: `Required columns are missing: ${missing.join(', ')} (the header must be the first row)`,
      },
      { missingColumns: missing },
    );
  }
  return header;
}

/**
 * Collect data rows from (row number, cells) pairs: header first, empty rows skipped, capped. Lets
 * the event loop run other work every ROWS_PER_TURN lines.
 */
async function collect(
  fileName: string,
  lines: Iterable<[number, Cell[]]> | AsyncIterable<[number, Cell[]]>,
): Promise<ParsedRoster> {
  let header: string[] | null = null;
  const rows: ParsedRow[] = [];
  let read = 0;
  for await (const [row, cells] of lines) {
    if (++read % ROWS_PER_TURN === 0) await turn();
    if (cells.every((c) => !c.text.trim())) continue;
    if (!header) {
      header = readHeader(cells.map((c) => c.text));
      continue;
    }
    if (rows.length === MAX_ROSTER_ROWS) throw tooManyRows(fileName);
    const values: Record<string, string> = {};
    const numericCells: string[] = [];
    header.forEach((h, i) => {
      const cell = cells[i];
      if (!h || !cell?.text) return;
      values[h] = cell.text;
      if (cell.numeric && (h === ID_NUMBER_HEADER || DATE_HEADERS.includes(h))) numericCells.push(h);
    });
    rows.push(numericCells.length > 0 ? { row, values, numericCells } : { row, values });
  }
  if (!header) {
    throw badUserInput({ zh: '文件为空：未找到表头', en: 'The file is empty: no header row' });
  }
  return { header, rows };
}

/**
 * The first worksheet read as it streams (exceljs's WorkbookReader, through `xlsxRows`): rows as
 * they come, never the whole workbook as a model.
 */
async function readXlsx(fileName: string, content: Buffer): Promise<ParsedRoster> {
  await checkXlsxSize(fileName, content);
  async function* lines(): AsyncIterable<[number, Cell[]]> {
    for await (const [row, values] of xlsxRows(content)) {
      // row.values is sparse and 1-based: index 0 is unused.
      const cells: Cell[] = [];
      for (let c = 1; c < values.length; c++) cells.push(cellOf(values[c]));
      yield [row, cells];
    }
  }
  try {
    return await collect(fileName, lines());
  } catch (error) {
    if (error instanceof CodedError) throw error;
    if (error instanceof NoWorksheetError) unreadable(fileName, '没有工作表 / no worksheet');
    unreadable(fileName, '不是有效的 .xlsx 文件 / not a valid .xlsx workbook');
  }
}

async function readCsv(fileName: string, content: Buffer): Promise<ParsedRoster> {
  let text: string;
  try {
    // Decoding strips a UTF-8 byte-order mark; anything that is not UTF-8 (e.g. GBK) fails here.
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    unreadable(
      fileName,
      'CSV 须为 UTF-8 编码，请另存为“CSV UTF-8”或 .xlsx / CSV must be UTF-8: save as "CSV UTF-8" or .xlsx',
    );
  }
  let records: string[][];
  try {
    // Parsing stops at the first data row over the limit (empty rows aside), before the rest is materialised.
    let filled = 0;
    records = parseCsv(text, {
      relax_column_count: true,
      skip_empty_lines: false,
      on_record: (record: string[]) => {
        if (record.some((cell) => cell.trim()) && ++filled > MAX_ROSTER_ROWS + 1) throw tooManyRows(fileName);
        return record;
      },
    }) as string[][];
  } catch (error) {
    if (error instanceof CodedError) throw error;
    unreadable(fileName, (error as Error).message);
  }
  // One record is one spreadsheet row (a quoted cell may span lines), so the row number is the record's index.
  return collect(
    fileName,
    records.map((cells, i): [number, Cell[]] => [i + 1, cells.map((t) => ({ text: t, numeric: false }))]),
  );
}

/** Parse a roster file by its extension. Throws BAD_USER_INPUT (bilingual) for anything it cannot use. */
export async function parseRoster(fileName: string, content: Buffer): Promise<ParsedRoster> {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase();
  if (extension === 'xlsx') return readXlsx(fileName, content);
  if (extension === 'csv') return readCsv(fileName, content);
  throw badUserInput(
    {
      zh: `不支持的文件类型“${fileName}”：请上传 .xlsx 或 .csv（旧版 .xls 请另存为 .xlsx）`,
      en: `Unsupported file "${fileName}": upload .xlsx or .csv (save old .xls files as .xlsx)`,
    },
    { field: 'fileName' },
  );
}

import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { crc32, createInflateRaw, inflateRaw } from 'node:zlib';
import { stream, type CellValue } from 'exceljs';
import { XlsxBoundsError, zipEntries, type ZipEntry } from './bounds';

/** A local file header for `entry` with its sizes and CRC from the central directory, no data descriptor. */
function localHeader(entry: Pick<ZipEntry, 'name' | 'method' | 'flags' | 'crc32' | 'uncompressedSize'>, size: number) {
  const name = Buffer.from(entry.name, 'utf8');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE((entry.flags & ~0x08) | 0x800, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt32LE(entry.crc32, 14);
  header.writeUInt32LE(size, 18);
  header.writeUInt32LE(entry.uncompressedSize, 22);
  header.writeUInt16LE(name.length, 26);
  return [header, name];
}

const EMPTY_SHARED_STRINGS = Buffer.from('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>');
const inflate = promisify(inflateRaw);
const textOf = async (entry: ZipEntry) =>
  (entry.method === 0 ? entry.data : await inflate(entry.data)).toString('utf8');
const attribute = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`).exec(tag)?.[1];

const WORKSHEET_PART = /^xl\/worksheets\/[^/]+\.xml$/i;

/**
 * The part of the workbook's first worksheet (in the workbook's order, as `workbook.worksheets[0]`
 * of a full load): the first `<sheet>` of `xl/workbook.xml` whose relationship points at a
 * worksheet part (not a chart sheet). Else the first worksheet part in the zip.
 */
async function firstSheet(entries: ZipEntry[]): Promise<ZipEntry | undefined> {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const workbook = byName.get('xl/workbook.xml');
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  if (workbook && rels) {
    const relations = (await textOf(rels)).match(/<(?:\w+:)?Relationship\s[^>]*>/g) ?? [];
    for (const sheet of (await textOf(workbook)).match(/<(?:\w+:)?sheet\s[^>]*>/g) ?? []) {
      const id = /\s(?:\w+:)?id\s*=\s*"([^"]*)"/.exec(sheet.replace(/\ssheetId\s*=\s*"[^"]*"/, ''))?.[1];
      const target = attribute(relations.find((r) => attribute(r, 'Id') === id) ?? '', 'Target');
      const part = target && byName.get(target.startsWith('/') ? target.slice(1) : `xl/${target}`);
      if (part && WORKSHEET_PART.test(part.name)) return part;
    }
  }
  return entries.find((e) => WORKSHEET_PART.test(e.name));
}

/** A cell range `A1:C3` as 1-based bounds. */
interface Range {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

const columnNumber = (letters: string) => [...letters].reduce((n, l) => n * 26 + l.charCodeAt(0) - 64, 0);

/** Most columns a merged range is filled across (a roster has a few dozen; Excel's own limit is 16,384). */
const MAX_MERGE_COLUMNS = 1024;

/** The sheet's merged ranges (`<mergeCell ref="A2:A9"/>`, after its rows), read a chunk at a time. */
async function mergedRanges(sheet: ZipEntry): Promise<Range[]> {
  const refs = new Set<string>();
  const chunks = sheet.method === 0 ? [sheet.data] : Readable.from([sheet.data]).pipe(createInflateRaw());
  let carry = '';
  for await (const chunk of chunks as AsyncIterable<Buffer>) {
    const text = carry + chunk.toString('latin1');
    for (const m of text.matchAll(/<(?:\w+:)?mergeCell\s[^>]*?ref\s*=\s*"([A-Z]+\d+:[A-Z]+\d+)"/g)) refs.add(m[1]!);
    carry = text.slice(Math.max(text.lastIndexOf('<'), text.length - 256));
  }
  return [...refs].flatMap((ref) => {
    const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(ref)!;
    const [a, b] = [columnNumber(m[1]!), columnNumber(m[3]!)];
    const [top, bottom] = [Number(m[2]), Number(m[4])];
    const range = {
      top: Math.min(top, bottom),
      bottom: Math.max(top, bottom),
      left: Math.min(a, b),
      right: Math.min(Math.max(a, b), MAX_MERGE_COLUMNS),
    };
    return range.left <= range.right ? [range] : [];
  });
}

/**
 * One part stored (not deflated) for exceljs's streaming reader, inflated here a chunk at a time
 * and cut only between UTF-8 characters: exceljs decodes each chunk on its own (`bufferToString`),
 * so a character split between two chunks would come out as U+FFFD.
 */
async function* stored(entry: ZipEntry, name = entry.name): AsyncGenerator<Buffer> {
  yield* localHeader({ ...entry, name, method: 0 }, entry.uncompressedSize);
  const source = entry.method === 0 ? [entry.data] : Readable.from([entry.data]).pipe(createInflateRaw());
  let carry: Buffer = Buffer.alloc(0);
  let size = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    const joined = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    // Keep back the last character (from its lead byte on): it may go on in the next chunk.
    let cut = joined.length - 1;
    while (cut > 0 && (joined[cut]! & 0xc0) === 0x80) cut--;
    carry = joined.subarray(Math.max(cut, 0));
    size += Math.max(cut, 0);
    if (size > entry.uncompressedSize) throw new XlsxBoundsError('INVALID');
    if (cut > 0) yield joined.subarray(0, cut);
  }
  size += carry.length;
  if (size !== entry.uncompressedSize) throw new XlsxBoundsError('INVALID');
  if (carry.length > 0) yield carry;
}

/**
 * The zip again as exceljs's streaming reader wants it: only parts the central directory lists
 * (what `checkXlsxBounds` measured), each stored; the workbook, its relationships, styles and
 * shared strings before the one worksheet read, so that it is parsed as it streams, with its date
 * formats and strings known, not spooled to a temporary file (an empty shared-string table when
 * the file has none: inline strings); that worksheet under the name the reader looks for.
 */
async function* reordered(entries: ZipEntry[], sheet: ZipEntry): AsyncGenerator<Buffer> {
  for (const entry of entries) if (!WORKSHEET_PART.test(entry.name)) yield* stored(entry);
  if (!entries.some((e) => e.name === 'xl/sharedStrings.xml')) {
    const data = EMPTY_SHARED_STRINGS;
    yield* stored({
      name: 'xl/sharedStrings.xml',
      method: 0,
      flags: 0,
      crc32: crc32(data),
      uncompressedSize: data.length,
      data,
    });
  }
  yield* stored(sheet, 'xl/worksheets/sheet1.xml');
  // An (empty) end-of-directory record: without it the zip reader may find the input ended before
  // it asks for the next record, and fail (unzipper's FILE_ENDED).
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  yield end;
}

/** exceljs's test for a date number format (`utils.isDateFmt`). */
const isDateFormat = (format: string | undefined) =>
  !!format && /[ymdhMsb]+/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));

/** An Excel serial day as the Date exceljs gives for it (`utils.excelToDate`). */
const excelDate = (serial: number, date1904: boolean) =>
  new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));

/** Thrown by `xlsxRows` for a workbook without a worksheet. */
export class NoWorksheetError extends Error {
  constructor() {
    super('the workbook has no worksheet');
  }
}

interface ReaderInternals {
  properties?: { model?: { date1904?: boolean } };
}

/**
 * The first worksheet's rows (in the workbook's sheet order), one at a time as the file is inflated
 * and parsed: `[row number, values]`, values as exceljs's `row.values` (sparse, 1-based) — the
 * values `workbook.xlsx.load` gives, a merged range's master value in each of its cells included
 * (a hyperlink cell gives its text alone) — without holding the workbook as a model. Rows with no
 * cells in the file are not given. Run `checkXlsxBounds` first: it bounds what is inflated here.
 * Throws `NoWorksheetError` when there is no worksheet, and what exceljs or the zip throws for an
 * unreadable file.
 */
export async function* xlsxRows(content: Buffer): AsyncGenerator<[number, CellValue[]]> {
  const entries = [...zipEntries(content)];
  const sheet = await firstSheet(entries);
  if (!sheet) throw new NoWorksheetError();
  const merges = await mergedRanges(sheet);
  const reader = new stream.xlsx.WorkbookReader(Readable.from(reordered(entries, sheet), { objectMode: false }), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const date1904 = () => (reader as unknown as ReaderInternals).properties?.model?.date1904 === true;
  // Merged ranges by their first row; those over the current row, each with its master's value.
  const pending = merges.sort((a, b) => a.top - b.top);
  let next = 0;
  let active: { range: Range; master: CellValue }[] = [];
  for await (const worksheet of reader) {
    for await (const row of worksheet) {
      const values = row.values as CellValue[];
      // As a full load does: a formula's result in a date-formatted cell is a date.
      row.eachCell((cell, column) => {
        const value = values[column];
        if (value && typeof value === 'object' && 'formula' in value && typeof value.result === 'number') {
          if (isDateFormat(cell.numFmt)) values[column] = { ...value, result: excelDate(value.result, date1904()) };
        }
      });
      active = active.filter((a) => a.range.bottom >= row.number);
      for (; next < pending.length && pending[next]!.top <= row.number; next++) {
        const range = pending[next]!;
        if (range.bottom < row.number) continue; // over rows the file does not have
        // A full load refuses merges that overlap (exceljs: "Cannot merge already merged cells").
        if (active.some((a) => a.range.left <= range.right && range.left <= a.range.right)) {
          throw new Error('overlapping merged cells');
        }
        active.push({ range, master: range.top === row.number ? (values[range.left] ?? null) : null });
      }
      for (const { range, master } of active) {
        for (let c = range.left; c <= range.right; c++) {
          if (row.number !== range.top || c !== range.left) values[c] = master;
        }
      }
      yield [row.number, values];
    }
  }
}

import { createInflateRaw } from 'node:zlib';

/** Why an .xlsx was refused before it was loaded. */
export type XlsxRefusal = 'INVALID' | 'TOO_LARGE_UNZIPPED' | 'TOO_MANY_ROWS';

/** Thrown by `checkXlsxBounds`; the caller turns it into its own coded, bilingual refusal. */
export class XlsxBoundsError extends Error {
  constructor(readonly kind: XlsxRefusal) {
    super(`xlsx refused: ${kind}`);
  }
}

const ROW_TAGS = [Buffer.from('<row '), Buffer.from('<row>')];

/** Occurrences of the needles in `chunk`, counting a match split across chunks via `carry` (the previous tail). */
function countTags(carry: Buffer, chunk: Buffer): number {
  const joined = Buffer.concat([carry, chunk]);
  let count = 0;
  for (const needle of ROW_TAGS) {
    for (let at = joined.indexOf(needle); at !== -1; at = joined.indexOf(needle, at + 1)) {
      if (at + needle.length > carry.length) count++;
    }
  }
  return count;
}

/** Inflate one zip entry a chunk at a time within `budget` bytes, counting `<row` tags up to `maxRows`. */
async function inflateEntry(data: Buffer, stored: boolean, budget: number, maxRows: number | null): Promise<number> {
  if (stored) {
    if (data.length > budget) throw new XlsxBoundsError('TOO_LARGE_UNZIPPED');
    if (maxRows !== null && countTags(Buffer.alloc(0), data) > maxRows) throw new XlsxBoundsError('TOO_MANY_ROWS');
    return data.length;
  }
  const inflate = createInflateRaw();
  inflate.end(data);
  let bytes = 0;
  let rows = 0;
  let carry: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > budget) throw new XlsxBoundsError('TOO_LARGE_UNZIPPED');
      if (maxRows !== null) {
        rows += countTags(carry, chunk);
        if (rows > maxRows) throw new XlsxBoundsError('TOO_MANY_ROWS');
        carry = chunk.subarray(Math.max(0, chunk.length - 4));
      }
    }
  } catch (error) {
    if (error instanceof XlsxBoundsError) throw error;
    throw new XlsxBoundsError('INVALID');
  } finally {
    inflate.destroy();
  }
  return bytes;
}

/**
 * Before exceljs loads a workbook (and holds all of it as a model): read the zip's directory and
 * inflate every part a chunk at a time, refusing the file once the parts together pass
 * `maxUnzippedBytes` or a worksheet passes `maxRows` rows (the header included). Memory stays at
 * one chunk whatever the file claims; sizes declared in the zip are not trusted. (The same guard
 * as enrolment's roster import, for every importer.)
 */
export async function checkXlsxBounds(
  content: Buffer,
  bounds: { maxUnzippedBytes: number; maxRows: number },
): Promise<void> {
  let remaining = bounds.maxUnzippedBytes;
  for (const entry of zipEntries(content)) {
    const isSheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(entry.name);
    remaining -= await inflateEntry(entry.data, entry.method === 0, remaining, isSheet ? bounds.maxRows : null);
  }
}

/** One part of a zip as its central directory lists it; `data` is the part as stored (deflated or not). */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated (any other is refused). */
  method: number;
  /** General-purpose flags (bit 11: the name is UTF-8). */
  flags: number;
  crc32: number;
  uncompressedSize: number;
  data: Buffer;
}

/**
 * The parts of a zip in central-directory order, each checked against the bytes (`INVALID` when
 * the directory, a local header or a part's extent does not hold up). Only what the directory
 * lists: a local entry it does not name is never read.
 */
export function* zipEntries(content: Buffer): Generator<ZipEntry> {
  const invalid = () => {
    throw new XlsxBoundsError('INVALID');
  };
  let end = -1;
  for (let at = content.length - 22; at >= Math.max(0, content.length - 22 - 0xffff); at--) {
    if (content.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) invalid();
  const entries = content.readUInt16LE(end + 10);
  let at = content.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    if (at + 46 > content.length || content.readUInt32LE(at) !== 0x02014b50) invalid();
    const flags = content.readUInt16LE(at + 8);
    const method = content.readUInt16LE(at + 10);
    const crc32 = content.readUInt32LE(at + 16);
    const compressedSize = content.readUInt32LE(at + 20);
    const uncompressedSize = content.readUInt32LE(at + 24);
    const nameLength = content.readUInt16LE(at + 28);
    const local = content.readUInt32LE(at + 42);
    const name = content.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + content.readUInt16LE(at + 30) + content.readUInt16LE(at + 32);
    if (local + 30 > content.length || content.readUInt32LE(local) !== 0x04034b50) invalid();
    const start = local + 30 + content.readUInt16LE(local + 26) + content.readUInt16LE(local + 28);
    if ((method !== 0 && method !== 8) || start + compressedSize > content.length) invalid();
    yield { name, method, flags, crc32, uncompressedSize, data: content.subarray(start, start + compressedSize) };
  }
}

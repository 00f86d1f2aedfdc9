import { writeSheet } from '@xueji/spreadsheet';
import { ID_NUMBER_HEADER, ROSTER_HEADERS } from './columns';

export {
  decodeRosterFile,
  rosterCandidates,
  rowProblems,
  type RosterImportReport,
  type RosterRowProblem,
} from './import';
export { registrationRosterFile, REGISTRATION_ROSTER_HEADERS, type RosterFile } from './export';
export { registerInBulk, INSERT_CHUNK, type BulkOutcome, type Candidate } from './bulk';
export { parseRoster, MAX_ROSTER_ROWS, MAX_XLSX_UNZIPPED_BYTES, type ParsedRoster, type ParsedRow } from './parse';
export {
  canonicalHeader,
  headerOfField,
  normaliseDate,
  REQUIRED_HEADERS,
  ROSTER_COLUMNS,
  ROSTER_HEADERS,
  rowToRegistration,
  type RosterColumn,
  type RowProblem,
} from './columns';

const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * Write a roster file in the import layout. The header is the rows' keys in order of first
 * appearance (the full import layout when `rows` is empty: a blank template); an empty object
 * is an empty row. In .xlsx, strings are text cells and numbers numeric cells; .csv is UTF-8 with BOM.
 */
export async function buildRosterFile(
  rows: Record<string, string | number>[],
  format: 'xlsx' | 'csv',
): Promise<Buffer> {
  const header = rows.length === 0 ? [...ROSTER_HEADERS] : [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = rows.map((r) => header.map((h) => r[h] ?? ''));
  if (format === 'csv') {
    const text = [header, ...lines].map((cells) => cells.map((c) => csvCell(String(c))).join(',')).join('\r\n');
    return Buffer.from(`\uFEFF${text}\r\n`, 'utf8');
  }
  const idColumn = header.indexOf(ID_NUMBER_HEADER);
  // A template's ID-number column is text, so what registrars type keeps every digit.
  return writeSheet({
    sheetName: '新生入学注册名单',
    headers: header,
    rows: lines,
    textColumns: idColumn >= 0 ? [idColumn + 1] : [],
  });
}

import { setImmediate as turn } from 'node:timers/promises';
import { badUserInput } from '@xueji/errors';
import { inputProblems, type RuleViolation } from '@xueji/rules';
import { REGISTRATION_LIMITS } from '../domain/registration';
import type { Candidate } from './bulk';
import { headerOfField, rowToRegistration } from './columns';
import { ROWS_PER_TURN, type ParsedRoster } from './parse';

/** GraphQL `RosterRowProblem`. */
export interface RosterRowProblem {
  /** 1-based row number in the file (the header is row 1). */
  row: number;
  column: string | null;
  rule: string | null;
  messageZh: string;
  messageEn: string;
}

/** GraphQL `RosterImportReport`. */
export interface RosterImportReport {
  rows: number;
  registered: number;
  alreadyRegistered: number;
  rejected: number;
  problems: RosterRowProblem[];
}

/** The file's bytes from its Base64 text (a data: URL prefix and whitespace allowed). */
export function decodeRosterFile(contentBase64: string): Buffer {
  const text = contentBase64.replace(/^data:[^,]*;base64,/, '').replace(/\s/g, '');
  if (!text || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw badUserInput(
      { zh: '文件内容应为 Base64 编码', en: 'The file content must be Base64-encoded' },
      { field: 'contentBase64' },
    );
  }
  return Buffer.from(text, 'base64');
}

/**
 * The rows of a parsed file as registrations for the school, and the problems of the rows that are
 * not; `rows`: how many data rows the file had. Lets the event loop run other work every
 * ROWS_PER_TURN rows (issue 10).
 */
export async function rosterCandidates(
  parsed: ParsedRoster,
  schoolId: string,
  today: string,
): Promise<{ rows: number; candidates: Candidate[]; problems: RosterRowProblem[] }> {
  const problems: RosterRowProblem[] = [];
  const candidates: Candidate[] = [];
  let done = 0;
  for (const { row, values, numericCells } of parsed.rows) {
    if (++done % ROWS_PER_TURN === 0) await turn();
    const mapped = rowToRegistration(values, schoolId, numericCells);
    // A row keeps the limits a submitted registration keeps, each reported against its column.
    const overLimit = mapped.ok ? inputProblems(REGISTRATION_LIMITS, mapped.input, today, '') : [];
    if (overLimit.length > 0) {
      problems.push(
        ...overLimit.map((p) => ({
          row,
          column: headerOfField(p.field.split('.')[0]),
          rule: null,
          messageZh: p.message.zh,
          messageEn: p.message.en,
        })),
      );
    } else if (mapped.ok) candidates.push({ row, input: mapped.input });
    else problems.push(...mapped.problems.map((p) => ({ row, rule: null, ...p })));
  }
  return { rows: parsed.rows.length, candidates, problems };
}

/** A row's broken rules as problems of the report, each against the column of its field. */
export const rowProblems = (row: number, breaches: RuleViolation[]): RosterRowProblem[] =>
  breaches.map((b) => ({
    row,
    column: headerOfField(b.field),
    rule: b.rule,
    messageZh: b.message.zh,
    messageEn: b.message.en,
  }));

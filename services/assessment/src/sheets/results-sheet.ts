/**
 * The results sheet schools use (成绩登记表): one row a student, one column a course. A student is
 * identified as schools identify them, by the student number (学号, ENR-11), with the name (姓名)
 * checked against it: a row whose name is not that number's student's is refused, naming the row.
 * A course column's header starts with the course code (`M1 数学`); a 序号 column is ignored. A cell
 * holds a score (0–100), a grade (优/良/中/及格/不及格, 合格/不合格 for a test), 作弊 or 缺考 (AS-15),
 * or nothing. The sheet goes to the school's registrar, who may read the ID number a student number
 * can carry (ADM-5); anyone else gets it through `maskIdentity`.
 */
import { badUserInput } from '@xueji/errors';
import type { RuleViolation } from '@xueji/rules';
import { checkXlsxBounds, readSheet, XlsxBoundsError } from '@xueji/spreadsheet';
import type { ExamIrregularity, ResultGrade } from '@xueji/vocabulary';

/** Most data rows one results import accepts (a whole year group). */
export const MAX_RESULT_ROWS = 5_000;
/** Most bytes the parts of one .xlsx may inflate to. */
export const MAX_RESULT_XLSX_UNZIPPED_BYTES = 32 * 1024 * 1024;

export const STUDENT_NUMBER_HEADER = '学号';
export const NAME_HEADER = '姓名';
/** Longest student number read (fujian's are 10 characters, `G` + an ID number 19). */
const MAX_STUDENT_NUMBER = 40;

/** One cell of a course column, as an entry of `recordResults`. */
export interface SheetCell {
  courseCode: string;
  /** The column's header as written, for problems. */
  column: string;
  score?: number;
  grade?: ResultGrade;
  irregularity?: ExamIrregularity;
}

export interface SheetRow {
  /** 1-based row number in the file. */
  row: number;
  /** 学号 as written (trimmed). */
  studentNumber: string;
  /** 姓名 as written (trimmed). */
  name: string;
  cells: SheetCell[];
}

/**
 * Whether the name written on a row is the student's: equal once Unicode-normalised (NFKC), with
 * spaces dropped and the middle dots of minority names (·・•) taken as one.
 */
export function sameName(written: string, recorded: string): boolean {
  const norm = (n: string) =>
    n
      .normalize('NFKC')
      .replace(/\s+/g, '')
      .replace(/[·・•‧]/g, '·');
  return norm(written) === norm(recorded);
}

/** A row problem as the import reports it. */
export interface SheetProblem {
  row: number;
  column: string | null;
  rule: string | null;
  messageZh: string;
  messageEn: string;
}

const GRADES: Record<string, ResultGrade> = {
  优: 'EXCELLENT',
  优秀: 'EXCELLENT',
  良: 'GOOD',
  良好: 'GOOD',
  中: 'FAIR',
  中等: 'FAIR',
  及格: 'PASS',
  合格: 'PASS',
  通过: 'PASS',
  不及格: 'FAIL',
  不合格: 'FAIL',
  不通过: 'FAIL',
};

const IRREGULARITIES: Record<string, ExamIrregularity> = {
  作弊: 'CHEATING',
  缺考: 'UNAPPROVED_ABSENCE',
  无故缺考: 'UNAPPROVED_ABSENCE',
};

/** A grade's word on a transcript or a sheet. */
export const GRADE_WORDS: Record<ResultGrade, string> = {
  EXCELLENT: '优',
  GOOD: '良',
  FAIR: '中',
  PASS: '及格',
  FAIL: '不及格',
};

export const IRREGULARITY_WORDS: Record<ExamIrregularity, string> = { CHEATING: '作弊', UNAPPROVED_ABSENCE: '缺考' };

function refuse(fileName: string, zh: string, en: string, details: Record<string, unknown> = {}): never {
  throw badUserInput(
    { zh: `${fileName}：${zh}`, en: `${fileName}: ${en}` },
    { field: 'input.contentBase64', ...details },
  );
}

/** The rows of a results sheet, and the problems of the cells it cannot read. */
export async function parseResultsSheet(
  fileName: string,
  content: Buffer,
): Promise<{ courseCodes: string[]; rows: SheetRow[]; problems: SheetProblem[] }> {
  try {
    await checkXlsxBounds(content, {
      maxUnzippedBytes: MAX_RESULT_XLSX_UNZIPPED_BYTES,
      maxRows: MAX_RESULT_ROWS + 10,
    });
  } catch (error) {
    if (!(error instanceof XlsxBoundsError)) throw error;
    if (error.kind === 'TOO_MANY_ROWS')
      refuse(
        fileName,
        `超过每次导入 ${MAX_RESULT_ROWS} 行的上限，请拆分文件`,
        `more than ${MAX_RESULT_ROWS} rows: split the file`,
        {
          maxRows: MAX_RESULT_ROWS,
        },
      );
    if (error.kind === 'TOO_LARGE_UNZIPPED')
      refuse(fileName, '解压后过大，请拆分文件', 'unzips too large: split the file');
    refuse(fileName, '不是有效的 .xlsx 文件', 'not a valid .xlsx workbook');
  }
  let lines: string[][];
  try {
    lines = await readSheet(content);
  } catch {
    refuse(fileName, '不是有效的 .xlsx 文件', 'not a valid .xlsx workbook');
  }
  const numbered = lines.map((cells, i) => ({ row: i + 1, cells })).filter((l) => l.cells.some((c) => c.trim()));
  const headerLine = numbered.find((l) => l.cells.some((c) => c.trim() === STUDENT_NUMBER_HEADER));
  if (!headerLine || !headerLine.cells.some((c) => c.trim() === NAME_HEADER)) {
    refuse(
      fileName,
      `未找到表头（应有“${STUDENT_NUMBER_HEADER}”和“${NAME_HEADER}”列）`,
      `no header row (with “${STUDENT_NUMBER_HEADER}” (student number) and “${NAME_HEADER}” (name) columns)`,
    );
  }
  const header = headerLine.cells.map((c) => c.trim());
  const numberColumn = header.indexOf(STUDENT_NUMBER_HEADER);
  const nameColumn = header.indexOf(NAME_HEADER);
  const courseColumns = header
    .map((h, i) => ({ i, column: h, code: h.split(/\s+/)[0] ?? '' }))
    .filter((c) => c.i !== numberColumn && c.i !== nameColumn && c.column && c.column !== '序号');
  const codes = courseColumns.map((c) => c.code);
  const repeated = codes.filter((c, i) => codes.indexOf(c) !== i);
  if (repeated.length > 0)
    refuse(fileName, `课程列重复：${repeated.join('、')}`, `courses appear twice: ${repeated.join(', ')}`);
  if (courseColumns.length === 0) refuse(fileName, '没有课程列', 'no course columns');

  const rows: SheetRow[] = [];
  const problems: SheetProblem[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of numbered.filter((l) => l.row > headerLine.row)) {
    const problem = (column: string | null, zh: string, en: string, rule: string | null = null) =>
      problems.push({ row, column, rule, messageZh: `第 ${row} 行：${zh}`, messageEn: `Row ${row}: ${en}` });
    const studentNumber = (cells[numberColumn] ?? '').trim();
    const name = (cells[nameColumn] ?? '').trim();
    if (!studentNumber || studentNumber.length > MAX_STUDENT_NUMBER || !/^[A-Za-z0-9-]+$/.test(studentNumber)) {
      problem(STUDENT_NUMBER_HEADER, '学号缺失或无效', 'the student number (学号) is missing or not valid');
      continue;
    }
    if (!name) {
      problem(NAME_HEADER, '姓名缺失', 'the name (姓名) is missing');
      continue;
    }
    if (seen.has(studentNumber)) {
      problem(
        STUDENT_NUMBER_HEADER,
        `学号与第 ${seen.get(studentNumber)} 行重复`,
        `the student number is on row ${seen.get(studentNumber)} too`,
      );
      continue;
    }
    seen.set(studentNumber, row);
    const parsed: SheetCell[] = [];
    let ok = true;
    for (const c of courseColumns) {
      const text = (cells[c.i] ?? '').trim();
      if (!text) continue;
      const base = { courseCode: c.code, column: c.column };
      if (/^\d+(\.\d+)?$/.test(text)) parsed.push({ ...base, score: Number(text) });
      else if (GRADES[text]) parsed.push({ ...base, grade: GRADES[text] });
      else if (IRREGULARITIES[text]) parsed.push({ ...base, irregularity: IRREGULARITIES[text] });
      else {
        ok = false;
        problem(
          c.column,
          `无法识别的成绩“${text.slice(0, 20)}”（分数、优/良/中/及格/不及格、作弊或缺考）`,
          `unreadable result “${text.slice(0, 20)}” (a score, a grade, 作弊 or 缺考)`,
        );
      }
    }
    if (ok) rows.push({ row, studentNumber, name, cells: parsed });
  }
  return { courseCodes: codes, rows, problems };
}

/** A rule broken by a row's cell, as a problem of the report. */
export const cellProblem = (row: number, column: string, b: RuleViolation): SheetProblem => ({
  row,
  column,
  rule: b.rule,
  messageZh: `第 ${row} 行：${b.message.zh}`,
  messageEn: `Row ${row}: ${b.message.en}`,
});

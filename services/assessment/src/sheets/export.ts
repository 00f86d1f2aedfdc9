import { writeSheet, XLSX_CONTENT_TYPE, type Cell } from '@xueji/spreadsheet';
import type { ConductGrade, ResultAttempt } from '@xueji/vocabulary';
import type { CreditTotals } from '../domain/results';
import type { ConductRow } from '../reads/conduct';
import type { CourseRow, PlanRow } from '../reads/plans';
import type { ResultRow } from '../reads/results';
import { GRADE_WORDS, IRREGULARITY_WORDS, NAME_HEADER, STUDENT_NUMBER_HEADER } from './results-sheet';

/** A student as a sheet shows them: the number already passed through `maskIdentity` for the caller (ADM-5). */
export interface SheetStudent {
  studentId: string;
  studentNumber: string | null;
  name: string | null;
}

/** GraphQL `SpreadsheetFile`. */
export interface SpreadsheetFile {
  fileName: string;
  contentType: string;
  contentBase64: string;
  rows: number;
}

const ATTEMPT_WORDS: Record<ResultAttempt, string> = { REGULAR: '正常', MAKE_UP: '补考', RETAKE: '重修' };
const CONDUCT_WORDS: Record<ConductGrade, string> = { EXCELLENT: '优秀', GOOD: '良好', PASS: '合格', FAIL: '不合格' };

/** A sitting's value as a sheet cell: the score, the grade's word, or the irregularity's. */
export function resultCell(r: Pick<ResultRow, 'score' | 'grade' | 'irregularity'>): Cell {
  if (r.irregularity) return IRREGULARITY_WORDS[r.irregularity];
  if (r.score !== null) return r.score;
  return r.grade ? GRADE_WORDS[r.grade] : null;
}

const file = async (fileName: string, rows: number, content: Buffer): Promise<SpreadsheetFile> => ({
  fileName,
  contentType: XLSX_CONTENT_TYPE,
  contentBase64: content.toString('base64'),
  rows,
});

/**
 * The class results sheet (成绩登记表) of a plan's students for one sitting: one row a student (学号,
 * 姓名, in student-number order), one column a course. It is also the import's template: filled in
 * and imported for the same sitting, the values already there change nothing. A student whose number
 * assessment has not heard yet has an empty 学号 (the import cannot take that row).
 */
export async function classResultsFile(
  plan: PlanRow,
  courses: CourseRow[],
  students: SheetStudent[],
  results: {
    studentId: string;
    courseId: string;
    score: number | null;
    grade: ResultRow['grade'];
    irregularity: ResultRow['irregularity'];
  }[],
  attempt: ResultAttempt,
  sitting: number,
): Promise<SpreadsheetFile> {
  const byCell = new Map(results.map((r) => [`${r.studentId}|${r.courseId}`, r]));
  const content = await writeSheet({
    sheetName: '成绩登记表',
    title: `${plan.name}（${plan.majorCode} ${plan.cohortYear}级）${ATTEMPT_WORDS[attempt]}${attempt === 'REGULAR' ? '' : ` 第${sitting}次`} 成绩登记表`,
    headers: [STUDENT_NUMBER_HEADER, NAME_HEADER, ...courses.map((c) => `${c.code} ${c.name}`)],
    widths: [22, 10, ...courses.map(() => 14)],
    textColumns: [1],
    rows: [...students]
      .sort(
        (a, b) =>
          (a.studentNumber ?? '\uffff').localeCompare(b.studentNumber ?? '\uffff') ||
          a.studentId.localeCompare(b.studentId),
      )
      .map((s) => [
        s.studentNumber ?? '',
        s.name ?? '',
        ...courses.map((c) => {
          const r = byCell.get(`${s.studentId}|${c.id}`);
          return r ? resultCell(r) : null;
        }),
      ]),
  });
  return file(
    `results-${plan.majorCode}-${plan.cohortYear}-${attempt.toLowerCase()}-${sitting}.xlsx`,
    students.length,
    content,
  );
}

/** A student's transcript (成绩单): every sitting by semester, the totals, and the conduct evaluations. */
export async function transcriptFile(
  student: SheetStudent,
  results: ResultRow[],
  totals: CreditTotals | null,
  conduct: ConductRow[],
): Promise<SpreadsheetFile> {
  const footer: Cell[][] = [[]];
  if (totals) {
    footer.push([
      '合计',
      `已修合格课程 ${totals.coursesPassed} 门，不及格 ${totals.coursesFailed} 门，未考核 ${totals.coursesOutstanding} 门`,
      null,
      null,
      `获得学分 ${totals.creditsEarned}${totals.creditsRequired !== null ? ` / 应修 ${totals.creditsRequired}` : ''}`,
    ]);
  }
  for (const c of conduct) {
    footer.push([
      c.period === 'GRADUATION' ? '毕业鉴定' : `操行 ${c.term}`,
      c.grade ? CONDUCT_WORDS[c.grade] : null,
      c.comment,
    ]);
  }
  const content = await writeSheet({
    sheetName: '成绩单',
    title: `学生成绩单（${STUDENT_NUMBER_HEADER} ${student.studentNumber ?? '—'}，${NAME_HEADER} ${student.name ?? '—'}）`,
    headers: ['学期', '课程代码', '课程名称', '学分', '考核', '成绩', '是否合格'],
    widths: [14, 12, 24, 6, 8, 10, 10],
    rows: results.map((r) => [
      r.semester,
      r.courseCode,
      r.courseName,
      r.credits,
      ATTEMPT_WORDS[r.attempt] + (r.attempt === 'REGULAR' ? '' : String(r.sitting)),
      resultCell(r),
      r.passed ? '合格' : '不合格',
    ]),
    footer,
  });
  return file(`transcript-${student.studentId}.xlsx`, results.length, content);
}

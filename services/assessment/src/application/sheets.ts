import { badUserInput, notFound } from '@xueji/errors';
import { selectRows } from '@xueji/db';
import { day, fields, isUuid, limits, refusal, text, uuid } from '@xueji/rules';
import { maskIdentity } from '@xueji/auth';
import { command, FILE_WORK_CONCURRENCY, type UnitOfWork } from '@xueji/service-kit';
import type { ResultAttempt } from '@xueji/vocabulary';
import type { ResultEntryInput, ResultsImportInput, ResultsImportReport } from '../generated/resolvers-types';
import { CONDUCT_COLUMNS, type ConductRow } from '../reads/conduct';
import { allCoursesOf, planById } from '../reads/plans';
import { allResultsOf, sittingResultsOfPlan, studentsOfPlan, totalsOf } from '../reads/results';
import { classResultsFile, transcriptFile, type SpreadsheetFile } from '../sheets/export';
import { identitiesOf, studentsByNumber } from '../reads/identity';
import {
  cellProblem,
  NAME_HEADER,
  parseResultsSheet,
  sameName,
  STUDENT_NUMBER_HEADER,
  type SheetProblem,
  type SheetRow,
} from '../sheets/results-sheet';
import {
  judgeCourseResults,
  makeUpTimingProblems,
  publishStandings,
  requireSitting,
  writeCourseResults,
} from './results';

/** The file's bytes from its Base64 text (a data: URL prefix and whitespace allowed). */
function decodeFile(contentBase64: string): Buffer {
  const text = contentBase64.replace(/^data:[^,]*;base64,/, '').replace(/\s/g, '');
  if (!text || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw badUserInput(
      { zh: '文件内容应为 Base64 编码', en: 'The file content must be Base64-encoded' },
      { field: 'input.contentBase64' },
    );
  }
  return Buffer.from(text, 'base64');
}

const rowProblem = (row: number, column: string, zh: string, en: string): SheetProblem => ({
  row,
  column,
  rule: null,
  messageZh: `第 ${row} 行：${zh}`,
  messageEn: `Row ${row}: ${en}`,
});

const unknownStudent = (row: number): SheetProblem =>
  rowProblem(
    row,
    STUDENT_NUMBER_HEADER,
    '评价系统中没有该学生的已审核注册',
    'assessment knows no approved registration of this student',
  );

/**
 * The sheet's rows with the student each names: the number (学号) must be a student of the plan's
 * school, and the name (姓名) that student's; a row failing either is a problem naming the row (in
 * Chinese and English) and is not recorded. The messages repeat neither the number nor the name.
 */
async function identifyRows(
  uow: UnitOfWork,
  schoolId: string,
  rows: SheetRow[],
): Promise<{ identified: (SheetRow & { studentId: string })[]; problems: SheetProblem[] }> {
  const byNumber = await studentsByNumber(
    uow.manager,
    schoolId,
    rows.map((r) => r.studentNumber),
  );
  const identified: (SheetRow & { studentId: string })[] = [];
  const problems: SheetProblem[] = [];
  for (const r of rows) {
    const found = byNumber.get(r.studentNumber) ?? [];
    if (found.length !== 1) {
      problems.push(
        found.length === 0
          ? rowProblem(
              r.row,
              STUDENT_NUMBER_HEADER,
              '本校没有该学号的学生（或其注册尚未审核）',
              'no student of the school has this student number (or the registration is not approved yet)',
            )
          : rowProblem(
              r.row,
              STUDENT_NUMBER_HEADER,
              '该学号对应多名学生，请联系学籍管理员',
              'this student number belongs to more than one student: ask the registry',
            ),
      );
    } else if (!found[0]!.name || !sameName(r.name, found[0]!.name)) {
      problems.push(
        rowProblem(
          r.row,
          NAME_HEADER,
          '姓名与该学号的学生不符',
          'the name does not match the student with this student number',
        ),
      );
    } else identified.push({ ...r, studentId: found[0]!.studentId });
  }
  return { identified, problems };
}

/**
 * Results of one sitting from the sheet schools use (one row a student, one column a course) for a
 * plan of the registrar's school. Every row is judged by the rules `recordResults` applies; a row
 * with any problem is reported (row, column, rule, Chinese and English) and none of its cells
 * written; the other rows are recorded. The same file again changes nothing.
 */
export const importResults = command<ResultsImportInput, ResultsImportReport>({
  name: 'IMPORT_RESULTS',
  roles: ['SCHOOL_REGISTRAR'],
  concurrency: FILE_WORK_CONCURRENCY,
  validate: limits(
    fields({ planId: uuid, fileName: text('fileName'), contentBase64: text('fileBase64'), examDate: day('pastDate') }),
    'input',
  ),
  async run(uow, input) {
    const plan = await planById(uow.manager, input.planId);
    if (!plan) throw notFound({ zh: '未知的教学计划', en: 'Unknown teaching plan' });
    uow.requireScope(plan);
    const sitting = input.sitting ?? 1;
    requireSitting(sitting, 'input.sitting');
    const parsed = await parseResultsSheet(input.fileName, decodeFile(input.contentBase64));
    const courses = new Map((await allCoursesOf(uow.manager, plan.id)).map((c) => [c.code, c]));
    const strange = parsed.courseCodes.filter((code) => !courses.has(code));
    if (strange.length > 0) {
      throw badUserInput(
        {
          zh: `教学计划中没有这些课程：${strange.join('、')}`,
          en: `The plan has no such courses: ${strange.join(', ')}`,
        },
        { field: 'input.contentBase64', columns: strange },
      );
    }
    // AS-3, timing: the file's sitting is one day; a make-up of each course inside the school's periods.
    const timing = [];
    for (const code of parsed.courseCodes) {
      timing.push(
        ...(await makeUpTimingProblems(uow, courses.get(code)!, input.attempt, input.examDate, 'input.examDate')),
      );
    }
    if (timing.length > 0) throw refusal(timing);
    const { identified, problems: unidentified } = await identifyRows(uow, plan.schoolId, parsed.rows);
    const problems: SheetProblem[] = [...parsed.problems, ...unidentified];
    const badRows = new Set(problems.map((p) => p.row));
    const judged = [];
    for (const code of parsed.courseCodes) {
      const course = courses.get(code)!;
      const cells = identified.flatMap((r) => {
        const cell = r.cells.find((c) => c.courseCode === code);
        return cell ? [{ row: r.row, column: cell.column, cell, studentId: r.studentId }] : [];
      });
      const entries: ResultEntryInput[] = cells.map(({ studentId, cell }) => ({
        studentId,
        score: cell.score ?? null,
        grade: cell.grade ?? null,
        irregularity: cell.irregularity ?? null,
      }));
      const judgement = await judgeCourseResults(
        uow,
        course,
        plan,
        input.attempt,
        sitting,
        entries,
        '',
        input.examDate ?? null,
      );
      for (const i of judgement.unknown) {
        if (!badRows.has(cells[i]!.row)) problems.push(unknownStudent(cells[i]!.row));
        badRows.add(cells[i]!.row);
      }
      for (const { index, message } of judgement.left) {
        if (!badRows.has(cells[index]!.row))
          problems.push(rowProblem(cells[index]!.row, STUDENT_NUMBER_HEADER, message.zh, message.en));
        badRows.add(cells[index]!.row);
      }
      for (const { index, violations } of judgement.refused) {
        badRows.add(cells[index]!.row);
        problems.push(...violations.map((v) => cellProblem(cells[index]!.row, cells[index]!.column, v)));
      }
      judged.push({ course, cells, judgement });
    }
    let recorded = 0;
    let unchanged = 0;
    const changed = new Set<string>();
    const years = new Set<number>();
    for (const { course, cells, judgement } of judged) {
      const rowOf = new Map(cells.map((c) => [c.studentId, c.row]));
      const writes = judgement.writes.filter((w) => !badRows.has(rowOf.get(w.studentId)!));
      await writeCourseResults(uow, course, plan, input.attempt as ResultAttempt, sitting, writes);
      recorded += writes.length;
      unchanged += judgement.unchanged;
      for (const w of writes) changed.add(w.studentId);
      if (writes.length > 0) years.add(course.studyYear);
    }
    await publishStandings(uow, [...changed], [...years]);
    problems.sort((a, b) => a.row - b.row);
    return {
      rows: parsed.rows.length + parsed.problems.length,
      recorded,
      unchanged,
      rejected: badRows.size,
      problems: problems.slice(0, 1000),
    };
  },
  audit: (report, input) => ({
    entity: 'teaching_plan',
    entityId: input.planId,
    reason: input.fileName,
    details: { recorded: report.recorded, unchanged: report.unchanged, rejected: report.rejected },
  }),
});

/** The class results sheet of a plan for one sitting (also the import's template). */
export const exportClassResults = command<
  { planId: string; attempt: ResultAttempt; sitting: number },
  SpreadsheetFile & { planId: string }
>({
  name: 'EXPORT_CLASS_RESULTS',
  roles: ['SCHOOL_REGISTRAR', 'AUTHORITY_REVIEWER', 'SUBSIDY_OFFICER'],
  concurrency: FILE_WORK_CONCURRENCY,
  validate: limits(fields({ planId: uuid })),
  async run(uow, input) {
    const plan = await planById(uow.manager, input.planId);
    if (!plan) throw notFound({ zh: '未知的教学计划', en: 'Unknown teaching plan' });
    uow.requireScope(plan);
    requireSitting(input.sitting, 'sitting');
    const [courses, students, results] = [
      await allCoursesOf(uow.manager, plan.id),
      await studentsOfPlan(uow.manager, plan),
      await sittingResultsOfPlan(uow.manager, plan.id, input.attempt, input.sitting),
    ];
    // ADM-5: the numbers whole for the school's registrar (and a reviewer), masked for anyone else.
    const identities = await identitiesOf(uow.manager, students);
    const named = students.map((studentId) => ({
      studentId,
      studentNumber: maskIdentity(uow.actor, identities.get(studentId)?.studentNumber ?? null),
      name: identities.get(studentId)?.name ?? null,
    }));
    return {
      ...(await classResultsFile(plan, courses, named, results, input.attempt, input.sitting)),
      planId: plan.id,
    };
  },
  audit: (file) => ({ entity: 'teaching_plan', entityId: file.planId, details: { rows: file.rows } }),
});

/** A student's transcript (成绩单) as .xlsx: the school's registrar, or a reviewer or officer of its region. */
export const exportTranscript = command<{ studentId: string }, SpreadsheetFile & { studentId: string }>({
  name: 'EXPORT_TRANSCRIPT',
  roles: ['SCHOOL_REGISTRAR', 'AUTHORITY_REVIEWER', 'SUBSIDY_OFFICER'],
  concurrency: FILE_WORK_CONCURRENCY,
  async run(uow, { studentId }) {
    const [scope] = isUuid(studentId)
      ? await selectRows<{ schoolId: string; regionCode: string }>(
          uow.manager,
          `SELECT school_id AS "schoolId", region_code AS "regionCode" FROM student_scope WHERE student_id = $1`,
          [studentId],
        )
      : [];
    if (!scope) throw notFound({ zh: '未知的学生', en: 'Unknown student' });
    uow.requireScope(scope);
    const results = await allResultsOf(uow.manager, studentId);
    const totals = (await totalsOf(uow.manager, [studentId])).get(studentId) ?? null;
    const conduct = await selectRows<ConductRow>(
      uow.manager,
      `SELECT ${CONDUCT_COLUMNS} FROM conduct_evaluation e WHERE e.student_id = $1 ORDER BY e.term, e.id`,
      [studentId],
    );
    const identity = (await identitiesOf(uow.manager, [studentId])).get(studentId);
    const student = {
      studentId,
      studentNumber: maskIdentity(uow.actor, identity?.studentNumber ?? null), // ADM-5
      name: identity?.name ?? null,
    };
    return { ...(await transcriptFile(student, results, totals, conduct)), studentId };
  },
  audit: (file) => ({ entity: 'student', entityId: file.studentId, details: { rows: file.rows } }),
});

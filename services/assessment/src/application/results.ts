import { createEvent } from '@xueji/events';
import { badUserInput, conflict, notFound, type BilingualMessage } from '@xueji/errors';
import { day, fields, limits, listOf, refusal, uuid, violation, type RuleViolation } from '@xueji/rules';
import { command, type UnitOfWork } from '@xueji/service-kit';
import type { ResultAttempt } from '@xueji/vocabulary';
import { checkEarlyCourse, studyYearOn } from '../domain/recognition';
import { standingRefusal } from '../domain/standing';
import {
  checkMakeUpTiming,
  checkSitting,
  judgeEntry,
  termOfCourse,
  yearFailures,
  type JudgedResult,
} from '../domain/results';
import type { RecordResultsInput, RecordResultsPayload, ResultEntryInput } from '../generated/resolvers-types';
import { courseWithPlan, makeUpPeriodsOf, type CourseRow, type PlanRow } from '../reads/plans';
import { sittingsOf, studyRecords, totalsOf } from '../reads/results';

/** One row to write: the entry judged. */
export interface ResultWrite extends JudgedResult {
  studentId: string;
  irregularity: string | null;
  afterRepentance: boolean;
  /** AS-3: the day the sitting was held; null keeps the one recorded, if any. */
  examDate: string | null;
}

/** What judging one course's entries found: rows to write, rows unchanged, and each refused row's rules. */
export interface CourseJudgement {
  writes: ResultWrite[];
  unchanged: number;
  /** Entries (by index) the rules refuse. */
  refused: { index: number; violations: RuleViolation[] }[];
  /** Entries (by index) of students assessment knows no approved registration of. */
  unknown: number[];
  /** Entries (by index) of students who have left, whose standing refuses the sitting (`standingRefusal`). */
  left: { index: number; message: BilingualMessage }[];
}

type PlanFacts = Pick<PlanRow, 'schoolId' | 'majorCode' | 'cohortYear' | 'makeUpsPerCourse'>;

/**
 * After results changed, per student: the totals graduation needs (results.changed) and, unless the
 * profile runs on credits, SC-11's fact for each study year given (year-failures.counted).
 */
export async function publishStandings(uow: UnitOfWork, studentIds: string[], studyYears: number[]) {
  if (studentIds.length === 0) return;
  const totals = await totalsOf(uow.manager, studentIds);
  const at = uow.now().toISOString();
  for (const studentId of studentIds) {
    const t = totals.get(studentId);
    if (!t) continue;
    const { standings, schoolId, ...summary } = t;
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.assessment.results.changed.v1', studentId, {
        studentId,
        schoolId,
        ...summary,
        changedAt: at,
      }),
    });
    for (const studyYear of [...new Set(studyYears)]) {
      const fact = yearFailures(standings, studyYear, uow.profile); // SC-11
      if (!fact) continue;
      uow.publish({
        topic: uow.topics.own,
        event: createEvent('xueji.assessment.year-failures.counted.v1', studentId, {
          studentId,
          schoolId,
          studyYear,
          ...fact,
          countedAt: at,
        }),
      });
    }
  }
}

const sameResult = (
  a: {
    score: number | null;
    grade: string | null;
    irregularity: string | null;
    afterRepentance: boolean;
    examDate: string | null;
  },
  b: ResultWrite,
) =>
  a.score === b.score &&
  a.grade === b.grade &&
  a.irregularity === b.irregularity &&
  a.afterRepentance === b.afterRepentance &&
  (b.examDate === null || a.examDate === b.examDate);

/**
 * AS-3, timing: the make-up periods the school set for the course's semester, and what they make of
 * the sitting's exam date (none set: nothing).
 */
export async function makeUpTimingProblems(
  uow: UnitOfWork,
  course: CourseRow,
  attempt: ResultAttempt,
  examDate: string | null | undefined,
  field: string,
): Promise<RuleViolation[]> {
  if (attempt !== 'MAKE_UP') return [];
  const windows = await makeUpPeriodsOf(uow.manager, course.planId, course.studyYear, course.semester);
  return checkMakeUpTiming(attempt, examDate, windows, field);
}

const ORDER = { REGULAR: 0, MAKE_UP: 1, RETAKE: 2 } as const;

/** Whether a sitting comes after (attempt, sitting). */
const isLater = (o: { attempt: ResultAttempt; sitting: number }, attempt: ResultAttempt, sitting: number) =>
  ORDER[o.attempt] * 1000 + o.sitting > ORDER[attempt] * 1000 + sitting;

/** A sitting's number within bounds, or BAD_USER_INPUT naming it. */
export function requireSitting(sitting: number, field: string): void {
  if (!Number.isInteger(sitting) || sitting < 1 || sitting > 20)
    throw badUserInput({ zh: '考核次数应在 1–20 之间', en: 'The sitting lies between 1 and 20' }, { field });
}

/**
 * Judge one course's entries for one sitting (AS-1, AS-3, AS-5, AS-15) without writing: each row
 * on its own, against the student's other sittings of the course. `at` prefixes each field named.
 */
export async function judgeCourseResults(
  uow: UnitOfWork,
  course: CourseRow,
  plan: PlanFacts,
  attempt: ResultAttempt,
  sitting: number,
  entries: ResultEntryInput[],
  at: string,
  examDate: string | null = null,
): Promise<CourseJudgement> {
  const ids = entries.map((e) => e.studentId);
  const study = await studyRecords(uow.manager, ids);
  const prior = await sittingsOf(uow.manager, ids, course.id);
  const judgement: CourseJudgement = { writes: [], unchanged: 0, refused: [], unknown: [], left: [] };
  entries.forEach((entry, i) => {
    const field = `${at}entries[${i}]`;
    const s = study.get(entry.studentId);
    if (!s) {
      judgement.unknown.push(i);
      return;
    }
    // A student who has left: a correction, a sitting held before that day, GR-6's make-ups (domain/standing.ts).
    const onFile = prior.some((p) => p.studentId === entry.studentId && p.attempt === attempt && p.sitting === sitting);
    const leftMessage = standingRefusal({ status: s.status, since: s.statusSince }, 'RESULT', {
      attempt,
      examDate,
      onFile,
    });
    if (leftMessage) {
      judgement.left.push({ index: i, message: leftMessage });
      return;
    }
    const found: RuleViolation[] = [];
    if (s.schoolId !== plan.schoolId || s.majorCode !== plan.majorCode) {
      found.push(
        violation(
          'AS-1',
          `第 ${i + 1} 行：该课程不在学生所在学校和专业的教学计划中`,
          `Row ${i + 1}: the course is not in the plan of the student's school and major`,
          `${field}.studentId`,
        ),
      );
      judgement.refused.push({ index: i, violations: found });
      return;
    }
    // AS-5: a later study year's course, taken early where the profile allows it.
    found.push(
      ...checkEarlyCourse(course.studyYear, studyYearOn(s.cohortYear, uow.today()), uow.profile).map((b) => ({
        ...b,
        field: `${at}courseId`,
      })),
    );
    const judged = judgeEntry(entry, uow.profile, field);
    found.push(...judged.problems);
    if (judged.result) {
      const mine = prior.filter((p) => p.studentId === entry.studentId);
      const current = mine.find((p) => p.attempt === attempt && p.sitting === sitting);
      const others = mine.filter((p) => p !== current);
      const facts = {
        attempt,
        sitting,
        assessmentType: course.assessmentType,
        makeUpsPerCourse: plan.makeUpsPerCourse,
      };
      found.push(
        ...checkSitting(facts, entry, others, uow.profile, field).map((b) =>
          b.field === 'sitting' ? { ...b, field: `${at}sitting` } : b,
        ),
      );
      const write: ResultWrite = {
        ...judged.result,
        studentId: entry.studentId,
        irregularity: entry.irregularity ?? null,
        afterRepentance: entry.afterRepentance ?? false,
        examDate,
      };
      if (current && current.passed !== write.passed && others.some((o) => isLater(o, attempt, sitting))) {
        found.push(
          violation(
            'AS-3',
            `第 ${i + 1} 行：其后已有补考或重修成绩，不能改变本次是否合格`,
            `Row ${i + 1}: later sittings exist; whether this one passed cannot change`,
            `${field}.score`,
          ),
        );
      }
      if (found.length === 0) {
        if (current && sameResult(current, write)) judgement.unchanged++;
        else judgement.writes.push(write);
      }
    }
    if (found.length > 0) judgement.refused.push({ index: i, violations: found });
  });
  return judgement;
}

/** Write judged rows of one course and sitting (new sittings inserted, changed ones corrected). */
export async function writeCourseResults(
  uow: UnitOfWork,
  course: CourseRow,
  plan: PlanFacts,
  attempt: ResultAttempt,
  sitting: number,
  writes: ResultWrite[],
): Promise<void> {
  if (writes.length === 0) return;
  await uow.manager.query(
    `INSERT INTO course_result (student_id, semester, course, score, course_id, school_id, attempt, sitting, grade,
                                passed, irregularity, after_repentance, exam_date, recorded_at)
     SELECT w.student_id, $1, $2, w.score, $3, $4, $5, $6, w.grade, w.passed, w.irregularity, w.after_repentance,
            w.exam_date, $7
       FROM unnest($8::uuid[], $9::numeric[], $10::text[], $11::boolean[], $12::text[], $13::boolean[], $14::date[])
            AS w(student_id, score, grade, passed, irregularity, after_repentance, exam_date)
     ON CONFLICT (student_id, course_id, attempt, sitting) WHERE course_id IS NOT NULL DO UPDATE
        SET score = EXCLUDED.score, grade = EXCLUDED.grade, passed = EXCLUDED.passed,
            irregularity = EXCLUDED.irregularity, after_repentance = EXCLUDED.after_repentance,
            exam_date = coalesce(EXCLUDED.exam_date, course_result.exam_date),
            school_id = EXCLUDED.school_id, recorded_at = EXCLUDED.recorded_at`,
    [
      termOfCourse(plan.cohortYear, course.studyYear, course.semester),
      course.code,
      course.id,
      plan.schoolId,
      attempt,
      sitting,
      uow.now(),
      writes.map((w) => w.studentId),
      writes.map((w) => w.score),
      writes.map((w) => w.grade),
      writes.map((w) => w.passed),
      writes.map((w) => w.irregularity),
      writes.map((w) => w.afterRepentance),
      writes.map((w) => w.examDate),
    ],
  );
}

/**
 * One course's results of one sitting for many students (AS-1, AS-3, AS-5, AS-15): every row
 * judged first, a refusal naming the row, nothing written unless all pass. A row equal to what is
 * recorded is left as it is (recording the same class twice changes nothing); a different one
 * corrects it.
 */
export const recordResults = command<RecordResultsInput, RecordResultsPayload>({
  name: 'RECORD_RESULTS',
  roles: ['SCHOOL_REGISTRAR'],
  validate: limits(
    fields({
      courseId: uuid,
      entries: listOf('resultEntries', fields({ studentId: uuid })),
      examDate: day('pastDate'),
    }),
    'input',
  ),
  async run(uow, input) {
    const found = await courseWithPlan(uow.manager, input.courseId);
    if (!found) throw notFound({ zh: '未知的课程', en: 'Unknown course' });
    const { course, plan } = found;
    uow.requireScope(plan);
    const sitting = input.sitting ?? 1;
    requireSitting(sitting, 'input.sitting');
    // AS-3, timing: a make-up inside the make-up periods the school set for the course's semester.
    const timing = await makeUpTimingProblems(uow, course, input.attempt, input.examDate, 'input.examDate');
    if (timing.length > 0) throw refusal(timing);
    const seen = new Set<string>();
    input.entries.forEach(({ studentId }, i) => {
      if (seen.has(studentId))
        throw badUserInput(
          { zh: `第 ${i + 1} 行：学生重复`, en: `Row ${i + 1}: the student is given twice` },
          { field: `input.entries[${i}].studentId` },
        );
      seen.add(studentId);
    });
    const judged = await judgeCourseResults(
      uow,
      course,
      plan,
      input.attempt,
      sitting,
      input.entries,
      'input.',
      input.examDate ?? null,
    );
    const [unknown] = judged.unknown;
    if (unknown !== undefined) {
      throw notFound({
        zh: `第 ${unknown + 1} 行：评价系统中没有该学生的已审核注册`,
        en: `Row ${unknown + 1}: assessment knows no approved registration of this student`,
      });
    }
    const [left] = judged.left;
    if (left !== undefined) {
      throw conflict(
        { zh: `第 ${left.index + 1} 行：${left.message.zh}`, en: `Row ${left.index + 1}: ${left.message.en}` },
        { field: `input.entries[${left.index}].studentId` },
      );
    }
    if (judged.refused.length > 0) throw refusal(judged.refused.flatMap((r) => r.violations));
    await writeCourseResults(uow, course, plan, input.attempt, sitting, judged.writes);
    await publishStandings(
      uow,
      judged.writes.map((w) => w.studentId),
      [course.studyYear],
    );
    return { recorded: judged.writes.length, unchanged: judged.unchanged };
  },
  audit: (payload, input) => ({
    entity: 'course',
    entityId: input.courseId,
    reason: `${input.attempt} ${input.sitting ?? 1}: ${payload.recorded} recorded, ${payload.unchanged} unchanged`,
  }),
});

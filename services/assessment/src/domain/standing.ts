/**
 * The student's standing as status-change publishes it (`status.changed`'s new status), and what it
 * leaves possible to record. Pure: no I/O. The reading is in docs/decisions.md ("Assessment after a
 * student leaves").
 */
import type { BilingualMessage } from '@xueji/errors';
import { ENDED_STATUS_CODES, type ResultAttempt, type StatusCode } from '@xueji/vocabulary';

/** The status assessment keeps on the study record, and the day it took effect (null: never changed). */
export interface Standing {
  status: StatusCode;
  since: string | null;
}

/** What a registrar may record about a student. */
export type StudentWrite = 'RESULT' | 'CONDUCT' | 'ATTENDANCE' | 'REWARD' | 'SANCTION' | 'INTERNSHIP';

/** A result's sitting, as far as the standing judges it. */
export interface SittingFacts {
  attempt: ResultAttempt;
  /** The day the sitting was held, where given. */
  examDate: string | null;
  /** The student already has a result of this sitting on file (the write corrects it). */
  onFile: boolean;
}

const STATUS_WORDS: Record<StatusCode, BilingualMessage> = {
  REGISTRATION_PENDING: { zh: '注册待审核', en: 'registration pending' },
  ACTIVE: { zh: '在籍', en: 'enrolled' },
  SUSPENDED: { zh: '休学', en: 'suspended' },
  WITHDRAWN: { zh: '退学', en: 'withdrawn' },
  CANCELLED: { zh: '学籍已注销', en: 'cancelled' },
  DECEASED: { zh: '死亡', en: 'deceased' },
  TRANSFERRED_OUT: { zh: '已转出', en: 'transferred out' },
  EXPELLED: { zh: '开除学籍', en: 'expelled' },
  GRADUATED: { zh: '毕业', en: 'graduated' },
  COMPLETED: { zh: '结业', en: 'completed (certificate of completion)' },
};

const WRITE_WORDS: Record<StudentWrite, BilingualMessage> = {
  RESULT: { zh: '成绩', en: 'results' },
  CONDUCT: { zh: '操行评定', en: 'conduct evaluations' },
  ATTENDANCE: { zh: '考勤（旷课、擅自离校）', en: 'attendance (truancy, absence without leave)' },
  REWARD: { zh: '奖励', en: 'rewards' },
  SANCTION: { zh: '处分', en: 'sanctions' },
  INTERNSHIP: { zh: '实习', en: 'internships' },
};

const ENDED: ReadonlySet<StatusCode> = new Set(ENDED_STATUS_CODES);

/**
 * The student has left school (离校): withdrawn (SC-16, SC-17), cancelled (SC-19, ENR-9), deceased
 * (SC-20), expelled (AS-11), graduated or completed (GR-3, GR-6). TRANSFERRED_OUT never reaches
 * assessment's record: a transfer moves it to the receiving school, ACTIVE.
 */
export const hasLeft = (status: StatusCode): boolean => ENDED.has(status);

/**
 * The school year (August–July, as `semesterOf`) a day falls in, by its first calendar year:
 * 2026-09-01 and 2027-03-01 are both in 2026.
 */
export function schoolYearOf(day: string): number {
  const year = Number(day.slice(0, 4));
  return Number(day.slice(5, 7)) >= 8 ? year : year - 1;
}

/**
 * SC-15: a resuming student joins the same major's cohort that, in the school year he returns, is at
 * the stage he left: his own cohort year plus the school years he was away (one year's suspension, the
 * usual period of SC-13: the next cohort, like a repeat, SC-11). A suspension and resumption within
 * one school year keeps the cohort; an unknown suspension date keeps it too.
 */
export function resumedCohort(cohortYear: number, suspendedOn: string | null, resumedOn: string): number {
  if (!suspendedOn) return cohortYear;
  return cohortYear + Math.max(0, schoolYearOf(resumedOn) - schoolYearOf(suspendedOn));
}

/**
 * A result the standing still allows for a student who has left: a correction of a sitting on file, a
 * sitting held before the day the student left (GR-7: the leaver's factual study record), and, after a
 * certificate of completion, the make-ups and retakes that exchange it for a diploma (GR-6).
 */
function resultStillPossible(standing: Standing, sitting: SittingFacts): boolean {
  if (sitting.onFile) return true;
  if (standing.status === 'COMPLETED' && sitting.attempt !== 'REGULAR') return true;
  return sitting.examDate !== null && standing.since !== null && sitting.examDate < standing.since;
}

/**
 * Why a write is refused for the student's standing (a CONFLICT), or null. A student who has left gets
 * nothing new recorded (results: see `resultStillPossible`); a suspended one (SC-14: the school keeps the
 * status and is not responsible for the student meanwhile) no attendance, which would otherwise feed
 * SC-17 and SB-4. Appeals, sanction notices and revocations are not writes of this list: an expelled
 * student may still appeal (AS-14).
 */
export function standingRefusal(
  standing: Standing | null,
  write: StudentWrite,
  sitting?: SittingFacts,
): BilingualMessage | null {
  if (!standing) return null;
  const left = hasLeft(standing.status);
  if (!left && !(standing.status === 'SUSPENDED' && write === 'ATTENDANCE')) return null;
  if (left && write === 'RESULT' && sitting && resultStillPossible(standing, sitting)) return null;
  const status = STATUS_WORDS[standing.status];
  const what = WRITE_WORDS[write];
  const sinceZh = standing.since ? `（自 ${standing.since} 起）` : '';
  const sinceEn = standing.since ? ` since ${standing.since}` : '';
  const base = {
    zh: `该学生学籍状态为“${status.zh}”${sinceZh}，不能再记录${what.zh}`,
    en: `The student is ${status.en}${sinceEn}: no new ${what.en} can be recorded`,
  };
  if (write !== 'RESULT') return base;
  return {
    zh: `${base.zh}；只能更正已录入的成绩，或录入离校前举行的考核（须填考试日期）`,
    en: `${base.en}; only a result on file can be corrected, or a sitting held before that day recorded (with its exam date)`,
  };
}

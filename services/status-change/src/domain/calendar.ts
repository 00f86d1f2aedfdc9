import { rule, type PolicyProfile } from '@xueji/policy';
import { dayNumber } from './rules';

/**
 * The school year of the profile (CALENDAR): two semesters, spring and autumn, each running to the next one's
 * first day. Semesters are numbered on one line — 2·year for spring, 2·year+1 for autumn — so that counting
 * semesters of study is a subtraction.
 */
function semesterIndex(profile: PolicyProfile, day: string): number {
  const { autumnSemesterStarts, springSemesterStarts } = rule(profile, 'CALENDAR');
  const year = Number(day.slice(0, 4));
  const monthDay = day.slice(5);
  if (monthDay >= autumnSemesterStarts) return 2 * year + 1;
  if (monthDay >= springSemesterStarts) return 2 * year;
  return 2 * (year - 1) + 1;
}

function semesterStartOf(profile: PolicyProfile, index: number): string {
  const { autumnSemesterStarts, springSemesterStarts } = rule(profile, 'CALENDAR');
  const year = Math.floor(index / 2);
  return `${String(year).padStart(4, '0')}-${index % 2 === 0 ? springSemesterStarts : autumnSemesterStarts}`;
}

/**
 * A cohort's first semester is the one whose first day is nearest to the entry date (ties: the later one),
 * so a student arriving a few days before term, or registered in June for autumn, starts with that term.
 */
function entrySemester(profile: PolicyProfile, entryDate: string): number {
  const index = semesterIndex(profile, entryDate);
  const sinceStart = dayNumber(entryDate) - dayNumber(semesterStartOf(profile, index));
  const untilNext = dayNumber(semesterStartOf(profile, index + 1)) - dayNumber(entryDate);
  return untilNext <= sinceStart ? index + 1 : index;
}

export interface StudyPosition {
  studyYear: number;
  semester: 1 | 2;
  /** The last study year of the programme (or later). */
  graduatingYear: boolean;
  /** Still in the first semester of study (or not yet started). */
  firstSemester: boolean;
  semesterStart: string;
  nextSemesterStart: string;
}

/** Where a student who entered on `entryDate` stands on `day`: study year and semester (SC-4, SC-6, SC-9). */
export function studyPosition(
  profile: PolicyProfile,
  entryDate: string,
  expectedYears: number,
  day: string,
): StudyPosition {
  const first = entrySemester(profile, entryDate);
  const done = Math.max(0, semesterIndex(profile, day) - first);
  const studyYear = Math.floor(done / 2) + 1;
  return {
    studyYear,
    semester: done % 2 === 0 ? 1 : 2,
    graduatingYear: studyYear >= expectedYears,
    firstSemester: done === 0,
    semesterStart: semesterStartOf(profile, first + done),
    nextSemesterStart: semesterStartOf(profile, first + done + 1),
  };
}

/** Semesters of study completed by `day`: 0 during the first semester. */
export function semestersCompleted(profile: PolicyProfile, entryDate: string, day: string): number {
  return Math.max(0, semesterIndex(profile, day) - entrySemester(profile, entryDate));
}

/** The day after the given semester of study ends (the next semester's first day). */
export function semesterEnd(profile: PolicyProfile, entryDate: string, studyYear: number, semester: 1 | 2): string {
  return semesterStartOf(profile, entrySemester(profile, entryDate) + (studyYear - 1) * 2 + semester);
}

/** The first day of the calendar semester `day` falls in. */
export function semesterStartOn(profile: PolicyProfile, day: string): string {
  return semesterStartOf(profile, semesterIndex(profile, day));
}

/** Whether `day` is the first day of a semester of the profile's calendar. */
export function isSemesterStart(profile: PolicyProfile, day: string): boolean {
  return semesterStartOn(profile, day) === day;
}

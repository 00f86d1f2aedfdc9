import { addDays, dayNumber, violation, type RuleViolation } from '@xueji/rules';

/**
 * AS-14: working days follow the national holiday calendar (国务院办公厅 notice each year), with its
 * adjusted working days (调休: a Saturday or Sunday worked in place of a holiday). Only years the
 * calendar holds count: a deadline that would reach past them is refused, never counted as
 * Monday–Friday.
 */
export interface CalendarYear {
  year: number;
  /** Days off of the holiday arrangement (weekend days of a holiday run included). */
  holidays: readonly string[];
  /** Weekend days made working days. */
  workdays: readonly string[];
}

/** The calendar a count runs on: the years it covers. */
export interface WorkingDayCalendar {
  years: ReadonlyMap<number, { holidays: ReadonlySet<string>; workdays: ReadonlySet<string> }>;
}

export function workingDayCalendar(years: readonly CalendarYear[]): WorkingDayCalendar {
  return {
    years: new Map(
      years.map((y) => [y.year, { holidays: new Set(y.holidays), workdays: new Set(y.workdays) }] as const),
    ),
  };
}

/** A count reached a year the calendar does not hold. */
export class CalendarNotCovered extends Error {
  override readonly name = 'CalendarNotCovered';
  constructor(readonly year: number) {
    super(`the working-day calendar holds no arrangement for ${year}`);
  }
}

/** Whether a day is a working day; throws `CalendarNotCovered` for a day of a year not in the calendar. */
export function isWorkingDay(calendar: WorkingDayCalendar, day: string): boolean {
  const year = calendar.years.get(Number(day.slice(0, 4)));
  if (!year) throw new CalendarNotCovered(Number(day.slice(0, 4)));
  if (year.workdays.has(day)) return true;
  if (year.holidays.has(day)) return false;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * AS-14: the last day of a period of `n` working days counted from the day after `from` (the day
 * something was received does not count): "within 15 working days of receiving it" ends on the 15th
 * working day after the day of receipt. Throws `CalendarNotCovered` past the calendar's last year.
 */
export function addWorkingDays(calendar: WorkingDayCalendar, from: string, n: number): string {
  let day = from;
  let counted = 0;
  while (counted < n) {
    day = addDays(day, 1);
    if (isWorkingDay(calendar, day)) counted++;
  }
  return day;
}

/** The refusal of a deadline the calendar cannot count (AS-14): an administrator must add the year first. */
export function calendarNotCovered(year: number, field?: string): RuleViolation {
  return violation(
    'AS-14',
    `工作日历尚无 ${year} 年的节假日安排，无法计算期限；请管理员先录入该年安排`,
    `The working-day calendar holds no holiday arrangement for ${year}, so the deadline cannot be counted; an administrator must add that year first`,
    field,
  );
}

/** What an administrator's arrangement for a year must satisfy: days of that year, weekend days as adjusted working days. */
export function calendarYearProblems(input: CalendarYear): RuleViolation[] {
  const problems: RuleViolation[] = [];
  const inYear = (day: string) => day.slice(0, 4) === String(input.year);
  for (const [field, days] of [
    ['holidays', input.holidays],
    ['workdays', input.workdays],
  ] as const) {
    const outside = days.find((d) => !inYear(d));
    if (outside) {
      problems.push(
        inputProblemOf(field, `${outside} 不在 ${input.year} 年内`, `${outside} does not lie in ${input.year}`),
      );
    }
  }
  const weekdayWorkday = input.workdays.find((d) => {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  });
  if (weekdayWorkday) {
    problems.push(
      inputProblemOf(
        'workdays',
        `${weekdayWorkday} 不是周末，无须调休上班`,
        `${weekdayWorkday} is not a weekend day, so it cannot be an adjusted working day`,
      ),
    );
  }
  const both = input.workdays.find((d) => input.holidays.includes(d));
  if (both) {
    problems.push(
      inputProblemOf(
        'workdays',
        `${both} 不能既是假日又是调休工作日`,
        `${both} cannot be both a holiday and a working day`,
      ),
    );
  }
  return problems;
}

function inputProblemOf(field: string, zh: string, en: string): RuleViolation {
  return { ...violation('AS-14', zh, en, `input.${field}`), input: true };
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string) => dayNumber(to) - dayNumber(from);

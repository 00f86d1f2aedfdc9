import { rule, type PolicyProfile } from '@xueji/policy';
import { addDays, dayNumber, violation, type RuleViolation } from '@xueji/rules';

/**
 * AS-8 / SC-17: truant class hours are counted per semester; reaching the profile's limit
 * (`truancyHoursPerSemester`, 90) is the fact status-change turns into an imposed-withdrawal case.
 */
export function truancyLimitReached(profile: PolicyProfile, semesterTotal: number): boolean {
  return semesterTotal >= rule(profile, 'SC-17').truancyHoursPerSemester;
}

/** AS-8: hours recorded at once: a whole number of class hours, 1 to a semester's worth (at most 600). */
export const MAX_TRUANT_HOURS_PER_RECORD = 600;

export function truancyInputProblems(hours: number): RuleViolation[] {
  if (Number.isInteger(hours) && hours >= 1 && hours <= MAX_TRUANT_HOURS_PER_RECORD) return [];
  return [
    {
      ...violation(
        'AS-8',
        `旷课学时应为 1 至 ${MAX_TRUANT_HOURS_PER_RECORD} 的整数`,
        `Truant hours must be a whole number from 1 to ${MAX_TRUANT_HOURS_PER_RECORD}`,
        'input.hours',
      ),
      input: true,
    },
  ];
}

/** A run of consecutive days away without leave, first and last day inclusive. */
export interface AbsenceRun {
  from: string;
  to: string;
  days: number;
}

/**
 * The run of consecutive calendar days absent without leave that contains `day`, among the days recorded
 * (SC-17 "擅自离校连续两周": days in a row, weekends inside the run included, see docs/decisions.md).
 */
export function absenceRunAround(recordedDays: ReadonlySet<string>, day: string): AbsenceRun | null {
  if (!recordedDays.has(day)) return null;
  let from = day;
  while (recordedDays.has(addDays(from, -1))) from = addDays(from, -1);
  let to = day;
  while (recordedDays.has(addDays(to, 1))) to = addDays(to, 1);
  return { from, to, days: dayNumber(to) - dayNumber(from) + 1 };
}

/** SC-17: absence without leave for the profile's consecutive days (`absenceDays`, 14: two weeks). */
export function absenceLimitReached(profile: PolicyProfile, run: AbsenceRun): boolean {
  return run.days >= rule(profile, 'SC-17').absenceDays;
}

/** AS-8: at most 31 days are recorded at once, and the period runs forward. */
export const MAX_ABSENCE_DAYS_PER_RECORD = 31;

export function absencePeriodProblems(from: string, to: string): RuleViolation[] {
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days >= 1 && days <= MAX_ABSENCE_DAYS_PER_RECORD) return [];
  return [
    {
      ...violation(
        'AS-8',
        `缺勤期间应从 from 到 to，且不超过 ${MAX_ABSENCE_DAYS_PER_RECORD} 天`,
        `An absence runs from \`from\` to \`to\`, at most ${MAX_ABSENCE_DAYS_PER_RECORD} days at once`,
        'input.to',
      ),
      input: true,
    },
  ];
}

/** Every day of a period, first to last. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

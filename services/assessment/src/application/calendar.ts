/** AS-14: the working-day calendar, kept by an administrator year by year. */
import { conflict } from '@xueji/errors';
import { fields, limits, listOf, refusal, text, type FieldLimit } from '@xueji/rules';
import { command } from '@xueji/service-kit';
import { calendarYearProblems } from '../domain/working-days';
import { isIsoDate } from '@xueji/rules';

export interface CalendarYearInput {
  year: number;
  /** Days off of the year's holiday arrangement. */
  holidays: string[];
  /** Weekend days made working days (调休). */
  workdays: string[];
  /** The State Council notice the arrangement comes from. */
  source: string;
}

const isoDay: FieldLimit = {
  check: (value) =>
    isIsoDate(value) ? null : { zh: `日期无效：${value}（应为 YYYY-MM-DD）`, en: `Not a valid date: ${value}` },
};

/**
 * AS-14: an administrator records a year's holiday arrangement (the State Council's notice): its holidays
 * and adjusted working days. Next year's arrangement is added as a new year; a year already in the
 * calendar may be corrected only while it has not begun, since deadlines counted in it may stand.
 */
export const recordWorkingDayCalendar = command<CalendarYearInput, { year: number }>({
  name: 'RECORD_WORKING_DAY_CALENDAR',
  roles: ['ADMINISTRATOR'],
  validate: limits(
    fields({
      holidays: listOf('calendarDays', isoDay),
      workdays: listOf('calendarDays', isoDay),
      source: text('reference'),
    }),
    'input',
  ),
  async run(uow, input) {
    const thisYear = Number(uow.today().slice(0, 4));
    if (!Number.isInteger(input.year) || input.year < thisYear || input.year > thisYear + 2) {
      throw refusal([
        {
          rule: 'AS-14',
          message: {
            zh: `年份应在 ${thisYear} 至 ${thisYear + 2} 之间`,
            en: `The year must lie between ${thisYear} and ${thisYear + 2}`,
          },
          field: 'input.year',
          input: true,
        },
      ]);
    }
    const problems = calendarYearProblems(input);
    if (problems.length > 0) throw refusal(problems);
    const existing = (await uow.manager.query(`SELECT year FROM working_day_calendar WHERE year = $1 FOR UPDATE`, [
      input.year,
    ])) as unknown[];
    if (existing.length > 0 && input.year <= thisYear) {
      throw conflict(
        {
          zh: `${input.year} 年的安排已在使用中，不能更改`,
          en: `The arrangement of ${input.year} is in use and cannot be changed`,
        },
        { year: input.year },
      );
    }
    await uow.manager.query(
      `INSERT INTO working_day_calendar (year, holidays, workdays, source, recorded_by, recorded_at)
       VALUES ($1, $2::date[], $3::date[], $4, $5, $6)
       ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays, workdays = EXCLUDED.workdays,
         source = EXCLUDED.source, recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at`,
      [
        input.year,
        [...new Set(input.holidays)].sort(),
        [...new Set(input.workdays)].sort(),
        input.source,
        uow.actor.subject,
        uow.now(),
      ],
    );
    return { year: input.year };
  },
  audit: ({ year }, input) => ({
    entity: 'working_day_calendar',
    entityId: String(year),
    reason: input.source,
    details: { holidays: input.holidays.length, workdays: input.workdays.length },
  }),
});

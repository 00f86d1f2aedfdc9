/**
 * AS-14: appeal deadlines in working days of the national holiday calendar, with its adjusted working
 * days (调休), from `chinese-days` 1.5.7's data as the migration seeds it. No I/O beyond reading the
 * package's files.
 */
import { loadPolicyProfile } from '@xueji/policy';
import { judgeAuthorityAppeal, workingDaysLeft } from '../src/domain/appeals';
import {
  addWorkingDays,
  CalendarNotCovered,
  calendarYearProblems,
  isWorkingDay,
  workingDayCalendar,
} from '../src/domain/working-days';
import { packagedCalendarYears } from '../src/migrations/1763800010500-create-attendance-sanctions-appeals';

const calendar = workingDayCalendar(packagedCalendarYears());
const national = loadPolicyProfile('national');
const decided = (deliveredOn: string) => ({ state: 'DECIDED' as const, deliveredOn });

describe('AS-14: the working-day calendar', () => {
  it('seeds 2004–2026 from chinese-days, and no later year', () => {
    const years = packagedCalendarYears().map((y) => y.year);
    expect(years[0]).toBe(2004);
    expect(years.at(-1)).toBe(2026);
  });

  it('knows adjusted working days and holidays (2026)', () => {
    expect(isWorkingDay(calendar, '2026-01-04')).toBe(true); // a Sunday worked (元旦调休)
    expect(isWorkingDay(calendar, '2026-02-14')).toBe(true); // a Saturday worked (春节调休)
    expect(isWorkingDay(calendar, '2026-02-28')).toBe(true); // a Saturday worked (春节调休)
    expect(isWorkingDay(calendar, '2026-02-16')).toBe(false); // Spring Festival, a Monday
    expect(isWorkingDay(calendar, '2026-10-05')).toBe(false); // National Day week, a Monday
    expect(isWorkingDay(calendar, '2026-10-10')).toBe(true); // a Saturday worked (国庆调休)
    expect(isWorkingDay(calendar, '2026-10-17')).toBe(false); // an ordinary Saturday
    expect(isWorkingDay(calendar, '2026-10-12')).toBe(true);
  });

  it('15 working days across the National Day week (2026-10), and 30 to the authority’s answer', () => {
    expect(addWorkingDays(calendar, '2026-09-15', 15)).toBe('2026-10-12');
    expect(addWorkingDays(calendar, '2026-09-15', 30)).toBe('2026-11-02');
  });

  it('15 and 30 working days across the Spring Festival (2026-02) with its adjusted Saturdays', () => {
    expect(addWorkingDays(calendar, '2026-02-10', 15)).toBe('2026-03-09');
    expect(addWorkingDays(calendar, '2026-02-10', 30)).toBe('2026-03-30');
  });

  it('refuses to count past the last year the calendar holds, never Monday–Friday', () => {
    expect(() => addWorkingDays(calendar, '2026-12-20', 15)).toThrow(CalendarNotCovered);
    expect(() => isWorkingDay(calendar, '2027-01-04')).toThrow(/2027/);
  });

  it('an administrator’s arrangement: days of its year, weekend days as adjusted working days', () => {
    expect(calendarYearProblems({ year: 2027, holidays: ['2027-02-06'], workdays: ['2027-01-30'] })).toEqual([]);
    expect(calendarYearProblems({ year: 2027, holidays: ['2028-01-01'], workdays: [] })[0]).toMatchObject({
      rule: 'AS-14',
      field: 'input.holidays',
      input: true,
    });
    expect(calendarYearProblems({ year: 2027, holidays: [], workdays: ['2027-02-01'] })[0]?.field).toBe(
      'input.workdays',
    );
  });
});

describe('AS-14: an appeal to the authority', () => {
  it('on the last day is received, with the answer due 30 working days later', () => {
    expect(judgeAuthorityAppeal(national, calendar, decided('2026-09-15'), '2026-10-12')).toEqual({
      ok: true,
      appealDeadline: '2026-10-12',
      answerDue: '2026-11-23',
    });
  });

  it('a day late is refused naming AS-14', () => {
    const late = judgeAuthorityAppeal(national, calendar, decided('2026-09-15'), '2026-10-13');
    expect(late).toMatchObject({ ok: false, problems: [{ rule: 'AS-14', field: 'input.receivedOn' }] });
  });

  it('before the school has reviewed is refused', () => {
    expect(judgeAuthorityAppeal(national, calendar, null, '2026-10-01')).toMatchObject({
      ok: false,
      problems: [{ rule: 'AS-14' }],
    });
  });

  it('fujian: the school reviews; there is no appeal to the authority', () => {
    const fujian = loadPolicyProfile('fujian');
    expect(judgeAuthorityAppeal(fujian, calendar, decided('2026-09-15'), '2026-09-20')).toMatchObject({
      ok: false,
      problems: [{ rule: 'AS-14' }],
    });
  });

  it('a deadline past the calendar is refused with the year named', () => {
    const judged = judgeAuthorityAppeal(national, calendar, decided('2026-12-10'), '2026-12-15');
    expect(judged).toMatchObject({ ok: false, problems: [{ rule: 'AS-14' }] });
    expect(!judged.ok && judged.problems[0]!.message.en).toMatch(/2027/);
  });

  it('working days left to a deadline, for the reviewer’s queue', () => {
    expect(workingDaysLeft(calendar, '2026-09-30', '2026-10-12')).toBe(4); // 10-08, 10-09, 10-10 (adjusted Saturday), 10-12
    expect(workingDaysLeft(calendar, '2026-10-12', '2026-10-12')).toBe(0);
    expect(workingDaysLeft(calendar, '2026-12-20', '2027-01-10')).toBeNull();
  });
});

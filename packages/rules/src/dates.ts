/** Whole-day arithmetic on `YYYY-MM-DD` dates, free of time zones (what deadlines are counted in), and the China day of an instant. */

/** Days since the epoch (UTC). */
export function dayNumber(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);
}

export function addMonths(isoDate: string, months: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  return new Date((dayNumber(isoDate) + days) * 86_400_000).toISOString().slice(0, 10);
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Whole months between two days, rounded: 09-01 → next 08-31 and 09-01 → next 09-01 are both 12. */
export function monthsBetween(from: string, to: string): number {
  return Math.max(0, Math.round((dayNumber(to) - dayNumber(from)) / (365.25 / 12)));
}

/** China (Asia/Shanghai) is UTC+8 all year: no daylight saving since 1991. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The day in China an instant falls on (`YYYY-MM-DD`): what a record's submission and approval are dated. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The last day of the calendar month `isoDate` falls in. */
export function lastDayOfMonth(isoDate: string): string {
  return addDays(addMonths(`${isoDate.slice(0, 7)}-01`, 1), -1);
}

/** A record's submission and final approval, as China days, and whether the approval was in time. */
export interface ApprovalTiming {
  submittedOn: string;
  approvedOn: string;
  approvedInTime: boolean;
}

/**
 * ADM-3 / SC-22 ("report and review within the month the event happens"; GR-1 jilin: every record
 * approved in time): a record is approved in time when the competent authority's final approval falls
 * on or before the last day of the calendar month (China time) in which the school submitted it.
 */
export function approvalTiming(submittedAt: Date, approvedAt: Date): ApprovalTiming {
  const submittedOn = chinaDay(submittedAt);
  const approvedOn = chinaDay(approvedAt);
  return { submittedOn, approvedOn, approvedInTime: approvedOn <= lastDayOfMonth(submittedOn) };
}

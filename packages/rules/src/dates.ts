/** Whole-day arithmetic on `YYYY-MM-DD` dates, free of time zones: what deadlines are counted in. */

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

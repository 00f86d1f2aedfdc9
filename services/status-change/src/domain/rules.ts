import type { BilingualMessage } from '@xueji/errors';

// Copied from services/enrolment/src/domain/rules.ts: services do not import each other's code.

/** One rule a fact broke: the rule id of POLICY.md and what a registrar should read. */
export interface RuleViolation {
  rule: string;
  message: BilingualMessage;
  /** Which request field it concerns (`transfer.ground`, `effectiveDate`, …). */
  field?: string;
  /** Malformed input (a bad date, a missing section) rather than a policy refusal. */
  input?: boolean;
}

export const violation = (rule: string, zh: string, en: string, field?: string): RuleViolation => ({
  rule,
  message: { zh, en },
  ...(field ? { field } : {}),
});

export const inputProblem = (rule: string, zh: string, en: string, field: string): RuleViolation => ({
  ...violation(rule, zh, en, field),
  input: true,
});

/** `YYYY-MM-DD` → days since the epoch (UTC), for whole-day arithmetic without time zones. */
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

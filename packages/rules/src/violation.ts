import { badUserInput, policyViolation, type BilingualMessage, type CodedError } from '@xueji/errors';
import type { RuleId } from '@xueji/errors';

/** One rule a fact broke: the rule id of POLICY.md and what a registrar should read. */
export interface RuleViolation {
  rule: RuleId;
  message: BilingualMessage;
  /** Which input field it concerns, for form and roster-row reports. */
  field?: string;
  /** Malformed input (a bad date, an impossible ID number) rather than a policy refusal. */
  input?: boolean;
}

export const violation = (rule: RuleId, zh: string, en: string, field?: string): RuleViolation => ({
  rule,
  message: { zh, en },
  ...(field ? { field } : {}),
});

export const inputProblem = (rule: RuleId, zh: string, en: string, field: string): RuleViolation => ({
  ...violation(rule, zh, en, field),
  input: true,
});

/** A violation as GraphQL reports it. */
export const toBreach = (b: RuleViolation) => ({
  rule: b.rule,
  field: b.field ?? null,
  messageZh: b.message.zh,
  messageEn: b.message.en,
});

/**
 * The one coded error a refusal becomes: BAD_USER_INPUT when any input is malformed, otherwise
 * POLICY_VIOLATION naming the first rule; every violation is listed in `details.breaches`.
 */
export function refusal(violations: RuleViolation[]): CodedError {
  const details = { breaches: violations.map(toBreach) };
  const first = violations.find((b) => b.input) ?? violations[0]!;
  return first.input
    ? badUserInput(first.message, { field: first.field, ...details })
    : policyViolation(first.rule, first.message, details);
}

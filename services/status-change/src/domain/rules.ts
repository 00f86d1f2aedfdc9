import { violation, type RuleId, type RuleViolation } from '@xueji/rules';

// Rule violations and day arithmetic are shared by every service's domain.
export {
  addDays,
  addMonths,
  dayNumber,
  inputProblem,
  isIsoDate,
  monthsBetween,
  violation,
  type RuleId,
  type RuleViolation,
} from '@xueji/rules';

/**
 * A ground the profile does not allow for a change. `what` completes "“…”不是{zh}" and "“…” is not
 * a ground for {en}"; given `allowed`, the message also lists the grounds that are.
 */
export function groundRefused<G extends string>(
  rule: RuleId,
  field: string,
  names: Record<G, { zh: string; en: string }>,
  ground: G,
  what: { zh: string; en: string },
  allowed?: readonly G[],
): RuleViolation {
  const zhAllowed = allowed ? `（可为：${allowed.map((g) => names[g].zh).join('、')}）` : '';
  const enAllowed = allowed ? ` (allowed: ${allowed.map((g) => names[g].en).join('; ')})` : '';
  return violation(
    rule,
    `“${names[ground].zh}”不是${what.zh}${zhAllowed}`,
    `“${names[ground].en}” is not a ground for ${what.en}${enAllowed}`,
    field,
  );
}

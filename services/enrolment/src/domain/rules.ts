// Rule violations and day arithmetic are shared by every service's domain.
export { addMonths, dayNumber, inputProblem, isIsoDate, violation, type RuleViolation } from '@xueji/rules';

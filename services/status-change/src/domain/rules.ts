// Rule violations and day arithmetic are shared by every service's domain.
export {
  addDays,
  addMonths,
  dayNumber,
  inputProblem,
  isIsoDate,
  monthsBetween,
  violation,
  type RuleViolation,
} from '@xueji/rules';

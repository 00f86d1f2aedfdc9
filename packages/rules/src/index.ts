export * from './violation';
export * from './dates';
export * from './formats';
export { RULE_IDS, isRuleId, type RuleId } from '@xueji/errors';
export * from './input-limits';

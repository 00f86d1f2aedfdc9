import {
  addDays,
  addMonths,
  dayNumber,
  inputProblem,
  isIsoDate,
  isRuleId,
  monthsBetween,
  refusal,
  RULE_IDS,
  violation,
} from '@xueji/rules';

describe('rule violations and dates', () => {
  it('a refusal is POLICY_VIOLATION naming the first rule, or BAD_USER_INPUT when any input is malformed', () => {
    const policy = refusal([
      violation('SC-13', '超过上限', 'Over the cap', 'suspension.months'),
      violation('SC-12', 'a', 'b'),
    ]);
    expect(policy.extensions).toMatchObject({ code: 'POLICY_VIOLATION', rule: 'SC-13' });
    expect((policy.extensions.details as { breaches: unknown[] }).breaches).toHaveLength(2);
    const input = refusal([violation('SC-13', 'a', 'b'), inputProblem('ENR-2', '日期无效', 'Bad date', 'birthDate')]);
    expect(input.extensions).toMatchObject({ code: 'BAD_USER_INPUT', messageEn: 'Bad date' });
  });

  it('counts whole days and months without time zones', () => {
    expect(dayNumber('2026-09-15') - dayNumber('2026-09-01')).toBe(14);
    expect(addMonths('2026-09-01', 12)).toBe('2027-09-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(monthsBetween('2026-09-01', '2027-08-31')).toBe(12);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2010-13-01')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
  });
});

describe('rule ids', () => {
  it('are the ids of POLICY.md; a misspelt id does not compile', () => {
    expect(isRuleId('SC-13')).toBe(true);
    expect(isRuleId('SC-99')).toBe(false);
    expect(RULE_IDS).toHaveLength(new Set(RULE_IDS).size);
    // @ts-expect-error 'SC-99' is not a rule of POLICY.md: the type check fails if this compiles.
    expect(violation('SC-99', 'a', 'b').rule).toBe('SC-99');
  });
});

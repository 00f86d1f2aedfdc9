import {
  addDays,
  addMonths,
  approvalTiming,
  chinaDay,
  dayNumber,
  inputProblem,
  isIsoDate,
  isRuleId,
  lastDayOfMonth,
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

describe('a record approved in time (ADM-3, SC-22; GR-1 jilin)', () => {
  const at = (iso: string) => new Date(iso);

  it('dates instants in China time and knows the end of each month', () => {
    expect(chinaDay(at('2026-03-31T15:59:59Z'))).toBe('2026-03-31');
    expect(chinaDay(at('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
    expect(lastDayOfMonth('2028-02-10')).toBe('2028-02-29');
    expect(lastDayOfMonth('2026-12-01')).toBe('2026-12-31');
  });

  it('in time: approved within the month of submission, the last day included', () => {
    expect(approvalTiming(at('2026-03-02T02:00:00Z'), at('2026-03-20T02:00:00Z'))).toEqual({
      submittedOn: '2026-03-02',
      approvedOn: '2026-03-20',
      approvedInTime: true,
    });
    // 2026-03-31 23:59 in China is still March.
    expect(approvalTiming(at('2026-03-02T02:00:00Z'), at('2026-03-31T15:59:00Z')).approvedInTime).toBe(true);
  });

  it('late: approved in a later month, even a day later', () => {
    expect(approvalTiming(at('2026-03-02T02:00:00Z'), at('2026-04-01T02:00:00Z'))).toEqual({
      submittedOn: '2026-03-02',
      approvedOn: '2026-04-01',
      approvedInTime: false,
    });
    expect(approvalTiming(at('2026-12-15T02:00:00Z'), at('2027-01-05T02:00:00Z')).approvedInTime).toBe(false);
  });

  it('the month boundary is China’s: UTC would judge both of these the other way', () => {
    // Approved 2026-04-01 00:30 in China (still March 31 in UTC): late.
    expect(approvalTiming(at('2026-03-10T02:00:00Z'), at('2026-03-31T16:30:00Z'))).toMatchObject({
      approvedOn: '2026-04-01',
      approvedInTime: false,
    });
    // Submitted 2026-04-01 07:00 in China (March 31 in UTC), approved on April 20: in time.
    expect(approvalTiming(at('2026-03-31T23:00:00Z'), at('2026-04-20T02:00:00Z'))).toMatchObject({
      submittedOn: '2026-04-01',
      approvedInTime: true,
    });
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

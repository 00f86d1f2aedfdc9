import { GraphQLError } from 'graphql';
import { formatCodedError, policyViolation } from '@xueji/errors';

describe('coded errors', () => {
  it('a policy violation names its rule and speaks Chinese and English', () => {
    const error = policyViolation(
      'SC-13',
      { zh: '累计休学不得超过两年', en: 'Suspension may not exceed two years in total' },
      { months: 30 },
    );
    expect(error.extensions).toEqual({
      code: 'POLICY_VIOLATION',
      rule: 'SC-13',
      messageZh: '累计休学不得超过两年',
      messageEn: 'Suspension may not exceed two years in total',
      details: { months: 30 },
    });
    expect(error.message).toBe('累计休学不得超过两年 / Suspension may not exceed two years in total');
  });

  it('passes coded errors through and hides internal faults', () => {
    const coded = policyViolation('ENR-7', { zh: '重复学籍', en: 'Double status' });
    expect(formatCodedError({ message: coded.message, extensions: coded.extensions }, coded)).toEqual({
      message: coded.message,
      extensions: coded.extensions,
    });
    const logged: unknown[] = [];
    const fault = new GraphQLError('relation "student" does not exist');
    const shown = formatCodedError({ message: fault.message, path: ['student'] }, fault, (e: unknown) =>
      logged.push(e),
    );
    expect(shown.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(shown.message).not.toMatch(/relation/);
    expect(shown.path).toEqual(['student']);
    expect(logged).toEqual([fault]);
  });
});

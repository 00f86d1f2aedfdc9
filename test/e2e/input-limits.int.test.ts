/**
 * Issue 10, "bad input that is stored today", through the gateway: over-long and ill-charactered
 * names, impossible and out-of-range dates and NUL bytes are BAD_USER_INPUT naming the field, with
 * HTTP 200 (never 5xx), and nothing is stored.
 */
import { graphql, tokenFor } from '@xueji/testkit';
import { registration, school, seedSchools, SUBMIT, TEST_TODAY } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';

describe('input limits through the gateway (real PostgreSQL, Kafka, five subgraphs, gateway)', () => {
  let stack: Stack;
  let A: string;

  beforeAll(async () => {
    stack = await startStack({ today: TEST_TODAY });
    [A] = (await seedSchools(stack.services.enrolment, [
      school('LIM-A01', '220102', { name: '长春市第一职业中专' }),
    ])) as [string];
  });
  afterAll(() => stack?.stop());

  it('refuses each bad input with BAD_USER_INPUT naming the field, and stores nothing', async () => {
    const registrar = tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId: A });
    const cases: [Record<string, unknown>, string | null][] = [
      [{ name: '张'.repeat(100_000) }, 'input.name'],
      [{ name: '张\u202E三' }, 'input.name'],
      [{ name: '张\u0000三' }, 'input.name'],
      [{ entryDate: '9999-12-31' }, 'input.entryDate'],
      // The Date scalar's refusals name the variable's path in their message; they were
      // INTERNAL_SERVER_ERROR through the gateway (the subgraph's HTTP 400 became an uncoded error).
      [{ entryDate: '2025-02-30' }, null],
      [{ entryDate: '0000-01-01' }, null],
      [{ entryDate: '+12026-01-01' }, null],
    ];
    for (const [i, [overrides, field]] of cases.entries()) {
      const answer = await graphql(
        stack.gatewayUrl,
        SUBMIT,
        { input: registration(A, '220102', 200 + i, overrides) },
        registrar,
      );
      expect(answer.status).toBeLessThan(500);
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      if (field) expect(answer.errors?.[0]?.extensions?.details).toMatchObject({ field });
      else expect(answer.errors?.[0]?.message).toMatch(/entryDate/);
    }
    const reviewer = tokenFor({ subject: 'reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '220000' });
    const search = await graphql(
      stack.gatewayUrl,
      'query ($filter: StudentFilter) { students(first: 5, filter: $filter) { totalCount } }',
      { filter: { search: '\u0000' } },
      reviewer,
    );
    expect(search.status).toBeLessThan(500);
    expect(search.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { field: 'filter.search' },
    });
    const stored: unknown = await stack.services.enrolment.dataSource.query('SELECT count(*)::int AS n FROM student');
    expect(stored).toEqual([{ n: 0 }]);
  });
});

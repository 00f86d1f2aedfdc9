import { buildSchema, parse, validate } from 'graphql';
import { GATEWAY_QUERY_LIMITS, queryLimits, SUBGRAPH_QUERY_LIMITS } from '../src';

/** Issue 10, "Resource abuse": aliases, cost and tokens, the same rules at the gateway and the subgraphs. */

const schema = buildSchema(`
  type School { name: String students(first: Int): [Student] }
  type Student { name: String school: School }
  type Query { student: Student school: School }
`);

const limits = { maxDepth: 10, maxAliases: 3, maxCost: 50, maxTokens: 100 };
const errorsFor = (query: string, l = limits) =>
  validate(schema, parse(query, queryLimits(l).parseOptions), queryLimits(l).validationRules);

describe('query limits', () => {
  it('accepts an ordinary query', () => {
    expect(errorsFor('{ student { name school { name } } }')).toEqual([]);
    expect(errorsFor('{ a: student { name } b: student { name } }')).toEqual([]);
  });

  it('refuses more aliases than the limit with a coded, bilingual error', () => {
    const errors = errorsFor('{ a: student { name } b: student { name } c: student { name } d: student { name } }');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      maxAliases: 3,
      messageZh: '查询中的别名超过上限 3',
      messageEn: 'The query has more than 3 aliases',
    });
  });

  it('counts aliases inside fragments', () => {
    const query = '{ ...F ...F } fragment F on Query { a: student { n1: name n2: name } b: school { name } }';
    expect(errorsFor(query)[0]?.extensions).toMatchObject({ maxAliases: 3 });
  });

  it('refuses a query whose cost is over the limit (`first` multiplies)', () => {
    const [error] = errorsFor('{ school { students(first: 100) { name } } }');
    expect(error?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', maxCost: 50 });
    expect(error?.message).toMatch(/复杂度超过上限 50 \/ The query's cost exceeds the limit of 50/);
  });

  it('stops parsing at the token limit', () => {
    const fields = Array.from({ length: 120 }, () => 'name').join(' ');
    expect(() => errorsFor(`{ student { ${fields} } }`)).toThrow(/Document contains more th[ae]t? 100 tokens/);
  });

  it('refuses 1,000 aliases of a field at the gateway’s limits in milliseconds', () => {
    const query = `{ student { ${Array.from({ length: 1000 }, (_, i) => `a${i}: name`).join(' ')} } }`;
    const started = performance.now();
    const errors = validate(
      schema,
      parse(query, queryLimits(GATEWAY_QUERY_LIMITS).parseOptions),
      queryLimits(GATEWAY_QUERY_LIMITS).validationRules,
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(errors.map((e) => e.extensions)).toContainEqual(
      expect.objectContaining({ maxAliases: GATEWAY_QUERY_LIMITS.maxAliases }),
    );
  });

  it('gives a subgraph room for the gateway’s query plans, never less than the gateway', () => {
    for (const key of Object.keys(GATEWAY_QUERY_LIMITS) as (keyof typeof GATEWAY_QUERY_LIMITS)[]) {
      expect(SUBGRAPH_QUERY_LIMITS[key]).toBeGreaterThan(GATEWAY_QUERY_LIMITS[key]);
    }
  });
});

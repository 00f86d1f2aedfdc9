import { buildSchema, parse, print, validate } from 'graphql';
import { queryLimits, withPageSizesWritten } from '../src';

/**
 * Issue 10, "Resource abuse": the cost rule counts the page a caller asks for, whether `first` is
 * written in the operation, passed as a variable, or left to the schema's default.
 */
const schema = buildSchema(`
  type Student { name: String }
  type Query { students(first: Int = 50, search: String): [Student] school: Student }
`);
const limits = { maxDepth: 10, maxAliases: 30, maxCost: 1_000, maxTokens: 1_000 };
const costErrors = (query: string, variables?: Record<string, unknown>) =>
  validate(schema, withPageSizesWritten(schema, parse(query), variables), queryLimits(limits).validationRules);

describe('page sizes in the cost (first as a variable or a default)', () => {
  it('writes a variable’s value, or the variable’s default, where `first` takes it', () => {
    const query = 'query ($n: Int, $m: Int = 7) { a: students(first: $n) { name } b: students(first: $m) { name } }';
    expect(print(withPageSizesWritten(schema, parse(query), { n: 500 }))).toContain('a: students(first: 500)');
    expect(print(withPageSizesWritten(schema, parse(query), {}))).toContain('b: students(first: 7)');
  });

  it('writes the schema’s default where `first` is not given, and leaves other fields alone', () => {
    const written = print(
      withPageSizesWritten(schema, parse('{ students(search: "王") { name } school { name } }'), {}),
    );
    expect(written).toContain('students(search: "王", first: 50)');
    expect(written).toContain('school {');
  });

  it('returns the same document when nothing is to be written (no second validation)', () => {
    const document = parse('{ students(first: 3) { name } }');
    expect(withPageSizesWritten(schema, document, {})).toBe(document);
  });

  it('refuses 30 aliases of a 500-student page passed as a variable, as it does when written', () => {
    const aliases = (arg: string) =>
      Array.from({ length: 30 }, (_, i) => `a${i}: students(first: ${arg}) { name }`).join(' ');
    const written = validate(schema, parse(`{ ${aliases('500')} }`), queryLimits(limits).validationRules);
    expect(written.map((e) => e.extensions?.maxCost)).toContain(1_000);
    // Without the variables the rule sees one student per alias and lets it through …
    const query = `query ($n: Int) { ${aliases('$n')} }`;
    expect(validate(schema, parse(query), queryLimits(limits).validationRules)).toEqual([]);
    // … with them it counts 500 each and refuses.
    expect(costErrors(query, { n: 500 })[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      maxCost: 1_000,
    });
    expect(costErrors(query, { n: 1 })).toEqual([]);
  });
});

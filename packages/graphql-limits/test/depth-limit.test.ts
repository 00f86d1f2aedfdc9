import { buildSchema, parse, validate } from 'graphql';
import { depthLimit } from '../src';

const schema = buildSchema(`
  type School { name: String students: [Student] }
  type Student { name: String school: School }
  type Query { student: Student }
`);

const errorsFor = (query: string, max: number) => validate(schema, parse(query), [depthLimit(max)]);

describe('query depth limit', () => {
  it('allows queries up to the limit', () => {
    expect(errorsFor('{ student { school { name } } }', 3)).toEqual([]);
  });

  it('refuses deeper queries with a coded, bilingual error', () => {
    const [error] = errorsFor('{ student { school { students { school { name } } } } }', 3);
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', depth: 5, maxDepth: 3 });
    expect(error?.message).toMatch(/超过上限.*exceeds the limit/);
  });

  it('counts fragments at the depth where they are spread', () => {
    const viaFragment = 'query { student { ...S } } fragment S on Student { school { students { name } } }';
    expect(errorsFor(viaFragment, 3)).toHaveLength(1);
    expect(errorsFor(viaFragment, 4)).toEqual([]);
  });
});

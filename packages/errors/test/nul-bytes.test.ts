import { parse } from 'graphql';
import { nulByteRefusal } from '../src/nul-bytes';

const QUERY = parse('query ($input: In) { a(input: $input) }');

describe('a NUL byte in any string a client sends is BAD_USER_INPUT (issue 10)', () => {
  it('names the variable path where the NUL is', () => {
    const refused = nulByteRefusal(QUERY, { input: { name: '张\u0000三', refs: ['ok'] } });
    expect(refused?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'input.name' } });
    expect(refused?.message).toMatch(/空字符.*NUL/);
    expect(nulByteRefusal(QUERY, { input: { refs: ['ok', 'x\u0000'] } })?.extensions).toMatchObject({
      details: { field: 'input.refs[1]' },
    });
    expect(nulByteRefusal(QUERY, { input: { ['k\u0000']: 1 } })?.extensions).toMatchObject({
      details: { field: 'input.k\u0000' },
    });
  });

  it('finds a NUL in a literal of the query, and passes what holds none', () => {
    const literal = parse('query { a(input: { name: "x\\u0000" }) }');
    expect(nulByteRefusal(literal, {})?.extensions).toMatchObject({ details: { field: 'query' } });
    expect(nulByteRefusal(QUERY, { input: { name: '张三', n: 1, ok: true, none: null } })).toBeNull();
    expect(nulByteRefusal(parse('query { a(input: { name: "x" }) }'), undefined)).toBeNull();
  });
});

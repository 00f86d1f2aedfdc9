import { parse, Kind } from 'graphql';
import { DateScalar, DateTimeScalar, scalarResolversFor } from '@xueji/service-kit';

/** The code of the error `parse` throws, or null when it does not throw. */
function codeOf(parse: () => unknown): unknown {
  try {
    parse();
    return null;
  } catch (error) {
    return (error as { extensions?: { code?: unknown } }).extensions?.code;
  }
}

describe('the DateTime and Date scalars', () => {
  it('write a Date as ISO 8601 and read ISO 8601 back as a Date', () => {
    const at = new Date('2026-09-01T08:00:00.000Z');
    expect(DateTimeScalar.serialize(at)).toBe('2026-09-01T08:00:00.000Z');
    expect(DateTimeScalar.parseValue('2026-09-01T16:00:00+08:00')).toEqual(at);
    expect(DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: '2026-09-01T08:00:00Z' })).toEqual(at);
  });

  it('refuse what is not a time, with BAD_USER_INPUT in Chinese and English', () => {
    for (const bad of [
      '2026-09-01',
      'yesterday',
      '2026-13-01T00:00:00Z',
      '2025-02-30T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '+012026-01-01T00:00:00Z',
      42,
    ]) {
      expect(codeOf(() => DateTimeScalar.parseValue(bad))).toBe('BAD_USER_INPUT');
    }
    expect(() => DateTimeScalar.parseValue('nope')).toThrow(/时间格式无效.*Not a valid time/);
    // HTTP 200 like other BAD_USER_INPUT: the gateway turns a subgraph's 400 into INTERNAL_SERVER_ERROR.
    expect(() => DateScalar.parseValue('2025-02-30')).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ http: { status: 200 } }) }) as Error,
    );
    expect(() => DateTimeScalar.serialize(new Date('invalid'))).toThrow(TypeError);
  });

  it('keep a calendar day as YYYY-MM-DD and refuse impossible days', () => {
    expect(DateScalar.parseValue('2028-02-29')).toBe('2028-02-29');
    expect(DateScalar.serialize('2026-09-01')).toBe('2026-09-01');
    expect(DateScalar.serialize(new Date('2026-09-01T00:00:00Z'))).toBe('2026-09-01');
    for (const bad of [
      '2026-02-29',
      '2025-02-30',
      '0000-01-01',
      '+12026-01-01',
      '2026-9-1',
      '2026-09-01T00:00:00Z',
      null,
    ]) {
      expect(codeOf(() => DateScalar.parseValue(bad))).toBe('BAD_USER_INPUT');
    }
  });

  it('are added to a schema only where it declares them', () => {
    expect(Object.keys(scalarResolversFor(parse('scalar DateTime type Query { a: Int }')))).toEqual(['DateTime']);
    expect(Object.keys(scalarResolversFor(parse('scalar Date scalar DateTime type Query { a: Int }'))).sort()).toEqual([
      'Date',
      'DateTime',
    ]);
    expect(scalarResolversFor(parse('type Query { a: Int }'))).toEqual({});
  });
});

import { decodeCursor, encodeCursor, microsInstant, requirePageSize, toPage } from '../src';

describe('keyset pagination', () => {
  it('a cursor round-trips its typed parts; one not of this read is BAD_USER_INPUT naming `after`', () => {
    const cursor = encodeCursor(['2026-09-01', '6f1b0c7e-2f4a-4a57-9a3e-1d0c1b2a3f4e', 3]);
    expect(decodeCursor(cursor, ['text', 'uuid', 'int'])).toEqual([
      '2026-09-01',
      '6f1b0c7e-2f4a-4a57-9a3e-1d0c1b2a3f4e',
      3,
    ]);
    for (const bad of [
      'not base64 json',
      encodeCursor(['x', 'not-a-uuid', 3]),
      encodeCursor(['2026-09-01']),
      encodeCursor(["x'; drop table", '6f1b0c7e-2f4a-4a57-9a3e-1d0c1b2a3f4e', 3]),
    ]) {
      expect(() => decodeCursor(bad, ['text', 'uuid', 'int'])).toThrow(
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
      );
    }
    expect(() => decodeCursor(encodeCursor(['2026-09-01T00:00:00Z']), ['instant'])).toThrow(); // not canonical
    expect(decodeCursor(encodeCursor(['2026-09-01T00:00:00.000Z']), ['instant'])).toEqual(['2026-09-01T00:00:00.000Z']);
  });

  it('an instant to the microsecond as a cursor part: a real UTC instant, or BAD_USER_INPUT', () => {
    expect(microsInstant('20240601000001234567')).toBe('2024-06-01T00:00:01.234567Z');
    for (const bad of ['20240230000000000000', '2024060100000123456', '2024-06-01T00:00:01', '00000601000000000000'])
      expect(microsInstant(bad)).toBeNull();
    const id = '6f1b0c7e-2f4a-4a57-9a3e-1d0c1b2a3f4e';
    expect(decodeCursor(encodeCursor(['20240601000001234567', id]), ['micros', 'uuid'])).toEqual([
      '20240601000001234567',
      id,
    ]);
    expect(() => decodeCursor(encodeCursor(['20241301000000000000', id]), ['micros', 'uuid'])).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });

  it('first within bounds; a page from first + 1 rows says whether another follows', () => {
    expect(() => requirePageSize(0, 100)).toThrow();
    expect(() => requirePageSize(101, 100)).toThrow();
    expect(() => requirePageSize(100, 100)).not.toThrow();
    const page = toPage([1, 2, 3], 2, null, (n) => [n]);
    expect(page.edges.map((e) => e.node)).toEqual([1, 2]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: encodeCursor([2]) });
    expect(toPage([1], 2, 'x', (n) => [n]).pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});

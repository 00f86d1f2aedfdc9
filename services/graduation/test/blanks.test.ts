/** GR-3 (beijing) numbered blanks and GR-4 city-wide numbers, pure. */
import { randomUUID } from 'node:crypto';
import { blankRange, certificateNumber, drawBlanks, remainingBlanks, type BlankRange } from '../src/domain';

const range = (id: string, first: number, last: number, next = first): BlankRange => ({ id, first, last, next });

describe('GR-3 (beijing): diplomas numbered from the school’s blanks in order', () => {
  it('draws in number order across ranges, and moves each range on', () => {
    const a = range('a', 202900000001, 202900000003);
    const b = range('b', 202900000011, 202900000015);
    expect(drawBlanks([b, a], new Set(), 5)).toEqual({
      numbers: ['202900000001', '202900000002', '202900000003', '202900000011', '202900000012'],
      advances: [
        { rangeId: 'a', next: 202900000004 },
        { rangeId: 'b', next: 202900000013 },
      ],
    });
  });

  it('never uses a voided (spoiled) blank, and passes over one right after the last drawn', () => {
    const a = range('a', 202900000001, 202900000006, 202900000002);
    const draw = drawBlanks([a], new Set([202900000003, 202900000005]), 2);
    expect(draw).toEqual({
      numbers: ['202900000002', '202900000004'],
      advances: [{ rangeId: 'a', next: 202900000006 }],
    });
    expect(remainingBlanks({ ...a, next: 202900000006 }, new Set([202900000003, 202900000005]))).toBe(1);
  });

  it('too few blanks left: no draw (the approval is refused, GR-3)', () => {
    const a = range('a', 202900000001, 202900000003, 202900000002);
    expect(remainingBlanks(a, new Set([202900000003]))).toBe(1);
    expect(drawBlanks([a], new Set([202900000003]), 2)).toBeNull();
    expect(drawBlanks([], new Set(), 1)).toBeNull();
    expect(drawBlanks([a], new Set([202900000003]), 1)).toEqual({
      numbers: ['202900000002'],
      advances: [{ rangeId: 'a', next: 202900000004 }],
    });
  });

  it('GR-4 CITY_WIDE: a range is the city sequence’s values as 12-digit numbers of the year', () => {
    const facts = {
      kind: 'DIPLOMA' as const,
      year: 2029,
      schoolId: randomUUID(),
      schoolCode: '1101011234',
      authorityRegionCode: '110100',
    };
    expect(blankRange(facts, 150, 50)).toEqual({ first: 202900000101, last: 202900000150 });
    expect(String(blankRange(facts, 150, 50).first)).toBe(certificateNumber('CITY_WIDE', facts, 101));
  });
});

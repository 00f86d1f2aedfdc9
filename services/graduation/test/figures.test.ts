/** The region's figures per term, pure: which issue days a term counts, and the counts of every kind. */
import { CERTIFICATE_KINDS } from '@xueji/vocabulary';
import { figureCounts, termIssueDays } from '../src/domain/figures';
import { parseBatch } from '../src/domain/issuing';

describe('the days a term counts for certificates on no graduate list (GR-6, GR-7; GR-3 batches)', () => {
  it('spring: 01-01 … 07-31; autumn: 08-01 … 12-31 of the batch’s year', () => {
    expect(termIssueDays(parseBatch('2029-spring')!)).toEqual({ from: '2029-01-01', to: '2029-07-31' });
    expect(termIssueDays(parseBatch('2029-autumn')!)).toEqual({ from: '2029-08-01', to: '2029-12-31' });
  });
});

describe('figure counts', () => {
  it('every kind of the vocabulary in its order, zero when none, and the exchanges', () => {
    const counts = figureCounts([
      { kind: 'COMPLETION', count: 2, exchanges: 0 },
      { kind: 'DIPLOMA', count: 5, exchanges: 1 },
      { kind: null, count: 0, exchanges: 0 },
    ]);
    expect(counts.byKind.map((k) => k.kind)).toEqual([...CERTIFICATE_KINDS]);
    expect(Object.fromEntries(counts.byKind.map((k) => [k.kind, k.count]))).toMatchObject({
      DIPLOMA: 5,
      COMPLETION: 2,
      STUDY_RECORD: 0,
      PARTIAL_STUDY: 0,
    });
    expect(counts.exchanges).toBe(1);
  });

  it('a kind the vocabulary does not list yet is still counted, after the known ones', () => {
    const counts = figureCounts([{ kind: 'SOMETHING_NEW', count: 1, exchanges: 0 }]);
    expect(counts.byKind[counts.byKind.length - 1]).toEqual({ kind: 'SOMETHING_NEW', count: 1 });
    expect(counts.byKind).toHaveLength(CERTIFICATE_KINDS.length + 1);
  });
});

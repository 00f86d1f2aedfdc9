/**
 * The region's figures per term (issue 12, for the reviewers), pure: which certificates fall in a
 * term, and the counts of every kind of the vocabulary's list (a kind added there is counted without
 * a change here).
 */
import { CERTIFICATE_KINDS, type CertificateKind } from '@xueji/vocabulary';
import type { Batch } from './issuing';

/**
 * The issue days a term counts for the certificates that are on no graduate list (completion,
 * study record, partial study, an exchange's diploma, …): spring 01-01 … 07-31, autumn 08-01 …
 * 12-31 of the batch's year. A diploma on a graduate list counts in its list's batch (GR-3).
 */
export function termIssueDays(batch: Batch): { from: string; to: string } {
  return batch.season === 'spring'
    ? { from: `${batch.year}-01-01`, to: `${batch.year}-07-31` }
    : { from: `${batch.year}-08-01`, to: `${batch.year}-12-31` };
}

/** How many certificates of each kind, and how many diplomas were exchanges (GR-6). */
export interface FigureCounts {
  byKind: { kind: CertificateKind; count: number }[];
  exchanges: number;
}

/** One grouped row: a kind (null: none issued) with its count and its exchanges. */
export interface KindCountRow {
  kind: string | null;
  count: number;
  exchanges: number;
}

/** Every kind of the vocabulary in its order, zero when none was issued; unknown kinds are kept after them. */
export function figureCounts(rows: readonly KindCountRow[]): FigureCounts {
  const counted = new Map<string, number>();
  let exchanges = 0;
  for (const row of rows) {
    exchanges += row.exchanges;
    if (row.kind !== null) counted.set(row.kind, (counted.get(row.kind) ?? 0) + row.count);
  }
  const kinds: string[] = [...CERTIFICATE_KINDS, ...[...counted.keys()].filter((k) => !isKnownKind(k))];
  return { byKind: kinds.map((kind) => ({ kind: kind as CertificateKind, count: counted.get(kind) ?? 0 })), exchanges };
}

const isKnownKind = (kind: string): boolean => (CERTIFICATE_KINDS as readonly string[]).includes(kind);

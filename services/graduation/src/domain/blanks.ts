/**
 * GR-3 (beijing): the city hands numbered diploma blanks to schools; GR-4: city-wide numbering. A school's
 * diplomas are numbered from its own blanks of the year, in order, a spoiled (voided) blank never used. Pure:
 * the ranges and voided blanks come from the database, locked while they are drawn.
 */
import { certificateNumber, type NumberingFacts } from './issuing';

/** A range of blanks a school holds: the 12-digit numbers `first`…`last`; `next` is the first not yet used. */
export interface BlankRange {
  id: string;
  first: number;
  last: number;
  next: number;
}

/** The blanks drawn: their numbers in order, and where each range's `next` moves. */
export interface BlankDraw {
  numbers: string[];
  advances: { rangeId: string; next: number }[];
}

/**
 * Draw `count` blanks from the ranges in order of their numbers, skipping the voided ones; null when the
 * school holds fewer than `count` unused blanks (the approval is refused, GR-3).
 */
export function drawBlanks(ranges: BlankRange[], voided: ReadonlySet<number>, count: number): BlankDraw | null {
  const numbers: string[] = [];
  const advances: BlankDraw['advances'] = [];
  for (const range of [...ranges].sort((a, b) => a.first - b.first)) {
    if (numbers.length === count) break;
    let next = range.next;
    while (next <= range.last && numbers.length < count) {
      if (!voided.has(next)) numbers.push(String(next));
      next++;
    }
    // Voided blanks right after the last one drawn are passed over too.
    while (next <= range.last && voided.has(next)) next++;
    if (next !== range.next) advances.push({ rangeId: range.id, next });
  }
  return numbers.length === count ? { numbers, advances } : null;
}

/** The unused blanks of a range: from `next` to `last`, less those voided. */
export function remainingBlanks(range: BlankRange, voided: ReadonlySet<number>): number {
  let voidedAhead = 0;
  for (const n of voided) if (n >= range.next && n <= range.last) voidedAhead++;
  return range.last - range.next + 1 - voidedAhead;
}

/**
 * A new range of `count` blanks from the city-wide sequence (GR-4 CITY_WIDE): the sequence's values
 * `lastValue - count + 1`…`lastValue` as 12-digit numbers of the year.
 */
export function blankRange(facts: NumberingFacts, lastValue: number, count: number): { first: number; last: number } {
  const first = Number(certificateNumber('CITY_WIDE', { ...facts, kind: 'DIPLOMA' }, lastValue - count + 1));
  return { first, last: first + count - 1 };
}

/**
 * Keyset pagination as the schemas' Relay connections give it: a page size within bounds, opaque
 * cursors of typed parts (refused naming `after` when they are not this read's), and a page made
 * from `first + 1` rows read in order on an index.
 */
import { badUserInput } from '@xueji/errors';
import { isUuid, TEXT_LIMITS } from '@xueji/rules';

/** One page of a list, as the schema's Relay connections give it. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** The parts of a keyset cursor, each of a known kind. */
export type CursorPart = 'int' | 'text' | 'uuid' | 'instant' | 'micros';

/**
 * A timestamptz column as a cursor part to the microsecond (`YYYYMMDDHHMMSSffffff`, UTC): a
 * JavaScript Date keeps milliseconds only, so rows written within one millisecond would tie.
 */
export const microsCursorSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS')`;

const MICROS = /^([1-9]\d{3})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d{6})$/;

/** A `microsCursorSql` part as an ISO 8601 instant to the microsecond (for `$n::timestamptz`), or null when it is none. */
export function microsInstant(part: string): string | null {
  const m = MICROS.exec(part);
  if (!m) return null;
  const ms = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]!.slice(0, 3)}Z`;
  if (Number.isNaN(Date.parse(ms)) || new Date(ms).toISOString() !== ms) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`;
}

/** `first` within 1…max, or BAD_USER_INPUT naming it. */
export function requirePageSize(first: number, max: number): void {
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw badUserInput({ zh: `每页 1–${max} 条`, en: `Page size must be 1 to ${max}` }, { field: 'first' });
}

export const encodeCursor = (parts: (string | number)[]): string =>
  Buffer.from(JSON.stringify(parts)).toString('base64url');

/** The parts of a cursor this read wrote, or BAD_USER_INPUT naming `after`. */
export function decodeCursor(cursor: string, shape: CursorPart[]): (string | number)[] {
  const invalid = () => badUserInput({ zh: '分页游标无效', en: 'Invalid cursor' }, { field: 'after' });
  // Issue 10: the limit the schemas state for `after`, before anything is decoded.
  if (cursor.length > TEXT_LIMITS.cursor.max) throw invalid();
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parts) || parts.length !== shape.length) throw invalid();
  shape.forEach((kind, i) => {
    const v: unknown = parts[i];
    const ok =
      kind === 'int'
        ? Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 1_000_000
        : kind === 'uuid'
          ? typeof v === 'string' && isUuid(v)
          : kind === 'micros'
            ? typeof v === 'string' && microsInstant(v) !== null
            : kind === 'instant'
              ? typeof v === 'string' &&
                /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v) &&
                !Number.isNaN(Date.parse(v)) &&
                new Date(v).toISOString() === v
              : // What the reads write: semesters, terms, course codes.
                typeof v === 'string' && /^[A-Za-z0-9._-]{0,40}$/.test(v);
    if (!ok) throw invalid();
  });
  return parts as (string | number)[];
}

/** A page from `first + 1` rows read in order: the extra row says there is a next page. */
export function toPage<T>(
  rows: T[],
  first: number,
  after: string | null | undefined,
  key: (row: T) => (string | number)[],
): Page<T> {
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(key(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

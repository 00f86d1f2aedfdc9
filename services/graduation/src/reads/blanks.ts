import { assertCanReadSchool, requireRole } from '@xueji/auth';
import { selectOne, selectRows, type Queryable } from '@xueji/db';
import { badUserInput, notFound } from '@xueji/errors';
import { decodeCursor, requirePageSize, toPage, type Page } from '@xueji/pagination';
import { isUuid } from '@xueji/rules';
import type { ServiceContext } from '@xueji/service-kit';
import { findSchool } from './schools';

/** GR-3 (beijing): a range of numbered diploma blanks the city handed a school, and how far it is used. */
export interface DiplomaBlankRangeRow {
  id: string;
  schoolId: string;
  year: number;
  first: string;
  last: string;
  count: number;
  /** Blanks numbered on a diploma. */
  used: number;
  /** Blanks recorded spoiled: never used. */
  voided: number;
  remaining: number;
  allocatedAt: Date;
}

const RANGE_COLUMNS = `
  r.id, r.school_id AS "schoolId", r.year, r.first_number::text AS "first", r.last_number::text AS "last",
  (r.last_number - r.first_number + 1)::int AS "count",
  (r.next_number - r.first_number - (SELECT count(*) FROM diploma_blank_void v
                                      WHERE v.range_id = r.id AND v.number < r.next_number))::int AS "used",
  (SELECT count(*) FROM diploma_blank_void v WHERE v.range_id = r.id)::int AS "voided",
  (r.last_number - r.next_number + 1 - (SELECT count(*) FROM diploma_blank_void v
                                         WHERE v.range_id = r.id AND v.number >= r.next_number))::int AS "remaining",
  r.allocated_at AS "allocatedAt"`;

export function blankRangeById(db: Queryable, id: string): Promise<DiplomaBlankRangeRow | null> {
  return selectOne<DiplomaBlankRangeRow>(db, `SELECT ${RANGE_COLUMNS} FROM diploma_blank_range r WHERE r.id = $1`, [
    id,
  ]);
}

/**
 * GR-3 (beijing): a school's blanks of a year, in number order (keyset on `diploma_blank_range_school`),
 * for the school's registrar and the reviewers whose region covers it.
 */
export async function diplomaBlanks(
  ctx: ServiceContext,
  args: { schoolId: string; year: number; first: number; after?: string | null },
): Promise<Page<DiplomaBlankRangeRow>> {
  requirePageSize(args.first, 200);
  requireRole(ctx.principal, 'SCHOOL_REGISTRAR', 'AUTHORITY_REVIEWER');
  const school = isUuid(args.schoolId) ? await findSchool(ctx.dataSource, args.schoolId) : null;
  if (!school) throw notFound({ zh: '毕业管理尚不知道该学校', en: 'Graduation does not know this school' });
  assertCanReadSchool(ctx.principal, { schoolId: args.schoolId, regionCode: school.authorityRegionCode });
  const params: unknown[] = [args.schoolId, args.year];
  let after = '';
  if (args.after) {
    const [first] = decodeCursor(args.after, ['text']) as [string];
    if (!/^\d{1,18}$/.test(first)) throw badUserInput({ zh: '分页游标无效', en: 'Invalid cursor' }, { field: 'after' });
    params.push(first);
    after = `AND r.first_number > $${params.length}::bigint`;
  }
  params.push(args.first + 1);
  const rows = await selectRows<DiplomaBlankRangeRow>(
    ctx.dataSource,
    `SELECT ${RANGE_COLUMNS} FROM diploma_blank_range r
      WHERE r.school_id = $1 AND r.year = $2 ${after} ORDER BY r.first_number LIMIT $${params.length}`,
    params,
  );
  return toPage(rows, args.first, args.after, (r) => [r.first]);
}

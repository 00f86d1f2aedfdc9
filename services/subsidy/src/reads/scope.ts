import { isRegionCode, regionCovers, regionPrefix, requirePrincipal, type Principal } from '@xueji/auth';
import { selectOne, SqlParams, type Queryable } from '@xueji/db';
import { badUserInput, forbidden } from '@xueji/errors';
import { isUuid } from '@xueji/rules';

/** A school or region a list is narrowed to, inside the caller's own. */
export interface ListFilter {
  schoolId?: string | null;
  regionCode?: string | null;
}

/**
 * The students a list may show, as a condition on `student_scope s` (or, with `on`, another table
 * with `school_id` and `region_code`: the roster's `subsidy_student st`): a registrar's own school;
 * an officer's or reviewer's region, narrowed to a school or region inside it. Anyone else, or a
 * school or region outside, is refused. On `subsidy_student`, a region is an equality on its
 * level's prefix (`left(region_code, 2) = '22'`, a county the whole code), the expression the
 * roster's indexes are built on (issue 13).
 */
export async function listScope(
  db: Queryable,
  principal: Principal | null,
  params: SqlParams,
  filter: ListFilter = {},
  on = 's',
): Promise<string> {
  const caller = requirePrincipal(principal);
  if (filter.schoolId != null && !isUuid(filter.schoolId)) {
    throw badUserInput(
      { zh: 'schoolId 不是有效的学校编号', en: 'schoolId is not a valid school id' },
      { field: 'schoolId' },
    );
  }
  if (filter.regionCode != null && !isRegionCode(filter.regionCode)) {
    throw badUserInput(
      { zh: 'regionCode 须为 6 位行政区划代码', en: 'regionCode must be a 6-digit region code' },
      { field: 'regionCode' },
    );
  }
  if (caller.role === 'SCHOOL_REGISTRAR' && caller.schoolId) {
    if (filter.schoolId != null && filter.schoolId !== caller.schoolId) {
      throw forbidden({ zh: '只能查看本校学生', en: 'You may see only your own school’s students' });
    }
    return `${on}.school_id = ${params.add(caller.schoolId)}::uuid`;
  }
  if ((caller.role === 'SUBSIDY_OFFICER' || caller.role === 'AUTHORITY_REVIEWER') && caller.regionCode) {
    const region = filter.regionCode ?? caller.regionCode;
    if (!regionCovers(caller.regionCode, region)) {
      throw forbidden({ zh: '该地区不在您的辖区内', en: 'That region is outside yours' });
    }
    // On `subsidy_student`, the expression its roster indexes are built on (and have statistics
    // of); on `student_scope`, which has no such index, `LIKE` on the column's own statistics.
    const prefix = regionPrefix(region);
    const conditions = [
      on === 's'
        ? `s.region_code LIKE ${params.add(`${prefix}%`)}`
        : prefix.length === 6
          ? `${on}.region_code = ${params.add(prefix)}`
          : `left(${on}.region_code, ${prefix.length}) = ${params.add(prefix)}`,
    ];
    if (filter.schoolId != null) {
      const school = await selectOne<{ region_code: string }>(
        db,
        `SELECT region_code FROM school_catalogue WHERE school_id = $1`,
        [filter.schoolId],
      );
      if (school && !regionCovers(caller.regionCode, school.region_code)) {
        throw forbidden({ zh: '该校不在您的辖区内', en: 'This school is outside your region' });
      }
      conditions.push(`${on}.school_id = ${params.add(filter.schoolId)}::uuid`);
    }
    return conditions.join(' AND ');
  }
  throw forbidden({ zh: '无权查看资助信息', en: 'You may not read subsidy records' });
}

/** A page size: 100 unless asked, at most `max`. */
export const pageSize = (first: number | null | undefined, max = 1000) => Math.min(Math.max(first ?? 100, 1), max);

import { regionCovers, regionPrefix, requirePrincipal, type Principal } from '@xueji/auth';
import { selectOne, SqlParams, type Queryable } from '@xueji/db';

/** A school as graduation learned it from enrolment's `school.registered`. */
export interface SchoolRow {
  schoolId: string;
  code: string;
  name: string;
  regionCode: string;
  authorityRegionCode: string;
}

/**
 * The school as graduation learned it; null before its `school.registered` arrived. `lock`: its row
 * is held until the unit of work ends, so one school's submissions take turns (no student lands on
 * two open lists).
 */
export function findSchool(db: Queryable, schoolId: string, lock = false): Promise<SchoolRow | null> {
  return selectOne<SchoolRow>(
    db,
    `SELECT school_id AS "schoolId", code, name, region_code AS "regionCode", authority_region_code AS "authorityRegionCode"
       FROM graduation_school WHERE school_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [schoolId],
  );
}

/**
 * May the caller read what a school holds (its graduate lists, certificates, audits): the school's
 * registrar, or a reviewer whose region covers the school or its competent authority. A school
 * graduation has not heard of yet (`school` null) is its registrar's alone.
 */
export function mayReadSchool(
  principal: Principal,
  schoolId: string,
  school: Pick<SchoolRow, 'regionCode' | 'authorityRegionCode'> | null,
): boolean {
  if (principal.role === 'SCHOOL_REGISTRAR') return principal.schoolId === schoolId;
  return (
    principal.role === 'AUTHORITY_REVIEWER' &&
    principal.regionCode !== undefined &&
    school !== null &&
    (regionCovers(principal.regionCode, school.authorityRegionCode) ||
      regionCovers(principal.regionCode, school.regionCode))
  );
}

/**
 * The rows a registrar's or reviewer's list may show, as a condition: a registrar's own school (on
 * `columns.schoolId`); a reviewer's region on the schools' competent authority, on
 * `columns.authorityRegionCode` when the statement joins `graduation_school`, else through it. Anyone
 * else: `refused()`.
 */
export function callerSchools(
  principal: Principal | null,
  params: SqlParams,
  columns: { schoolId: string; authorityRegionCode?: string },
  refused: () => Error,
): string {
  const p = requirePrincipal(principal);
  if (p.role === 'SCHOOL_REGISTRAR' && p.schoolId) return `${columns.schoolId} = ${params.add(p.schoolId)}`;
  if (p.role === 'AUTHORITY_REVIEWER' && p.regionCode) {
    const region = params.add(`${regionPrefix(p.regionCode)}%`);
    return columns.authorityRegionCode
      ? `${columns.authorityRegionCode} LIKE ${region}`
      : `${columns.schoolId} IN (SELECT school_id FROM graduation_school WHERE authority_region_code LIKE ${region})`;
  }
  throw refused();
}

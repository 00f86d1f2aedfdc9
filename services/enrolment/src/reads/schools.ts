import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { canReadSchool, isRegionCode, regionPrefix, requirePrincipal } from '@xueji/auth';
import { selectRows } from '@xueji/db';
import { badUserInput } from '@xueji/errors';
import { rule } from '@xueji/policy';
import { fields, isUuid, limits, text } from '@xueji/rules';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import { outOfAreaReviewNeeded, termOf } from '../domain/lifecycle';
import type { Major } from '../entities/major';
import { School, TeachingPoint } from '../entities/school';

/** Schools by id, batched per request. */
export const schoolLoader = (ctx: ServiceContext) =>
  perRequest(
    ctx,
    'schools',
    () =>
      new DataLoader<string, School | null>(async (ids) => {
        const rows = await ctx.dataSource.getRepository(School).findBy({ id: In([...ids]) });
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );

/** Schools the caller may see, in a region or all. */
export async function listSchools(ctx: ServiceContext, regionCode?: string | null): Promise<School[]> {
  const principal = requirePrincipal(ctx.principal);
  const qb = ctx.dataSource.getRepository(School).createQueryBuilder('school').orderBy('school.code', 'ASC');
  if (regionCode) {
    if (!isRegionCode(regionCode))
      throw badUserInput({ zh: '行政区划代码应为6位数字', en: 'A region code has 6 digits' });
    qb.where('school.region_code LIKE :region', { region: `${regionPrefix(regionCode)}%` });
  }
  return (await qb.getMany()).filter((s) => canReadSchool(principal, { schoolId: s.id, regionCode: s.regionCode }));
}

/** A school the caller may see, or null (references of many schools are batched). */
export async function schoolById(ctx: ServiceContext, id: string): Promise<School | null> {
  const principal = requirePrincipal(ctx.principal);
  const school = isUuid(id) ? await schoolLoader(ctx).load(id) : null;
  return school && canReadSchool(principal, { schoolId: school.id, regionCode: school.regionCode }) ? school : null;
}

/** ENR-16: the majors each school is approved to teach, by code; every school of a request in one statement. */
export const approvedMajorsLoader = (ctx: ServiceContext) =>
  perRequest(
    ctx,
    'approved-majors',
    () =>
      new DataLoader<string, Major[]>(async (schoolIds) => {
        const rows = await selectRows<Major & { schoolId: string }>(
          ctx.dataSource,
          `SELECT sm.school_id AS "schoolId", m.code, m.name, m.category_code AS "categoryCode",
                  m.agriculture_related AS "agricultureRelated", m.waiver_excluded AS "waiverExcluded",
                  m.standard_years AS "standardYears"
             FROM school_major sm JOIN major m ON m.code = sm.major_code
            WHERE sm.school_id = ANY($1::uuid[])
            ORDER BY m.code`,
          [schoolIds],
        );
        return schoolIds.map((id) => rows.filter((r) => r.schoolId === id).map(({ schoolId: _, ...major }) => major));
      }),
  );

/** ENR-20: each school's teaching points, by name; every school of a request in one statement. */
export const teachingPointsLoader = (ctx: ServiceContext) =>
  perRequest(
    ctx,
    'teaching-points-of-school',
    () =>
      new DataLoader<string, TeachingPoint[]>(async (schoolIds) => {
        const rows = await ctx.dataSource
          .getRepository(TeachingPoint)
          .find({ where: { schoolId: In([...schoolIds]) }, order: { name: 'ASC' } });
        return schoolIds.map((id) => rows.filter((r) => r.schoolId === id));
      }),
  );

/** `School.headcount`: ADM-6 head count, ENR-20 out-of-area recruiting and ENR-21 non-mainland students. */
export interface HeadcountRow {
  term: string;
  registered: number;
  termRegistered: number;
  gap: number;
  pendingApproval: number;
  outOfArea: number;
  outOfAreaReviewNeeded: boolean;
  nonMainland: number;
}

interface HeadcountCounts {
  schoolId: string;
  term: string;
  registered: number;
  termRegistered: number;
  pending: number;
  outOfArea: number;
  nonMainland: number;
}

/** Head counts of schools for terms (default: the current one); every school of a request in one statement. */
export const headcountLoader = (ctx: ServiceContext) =>
  perRequest(
    ctx,
    'headcounts',
    () =>
      new DataLoader<{ schoolId: string; term: string }, HeadcountRow, string>(
        async (keys) => {
          const rows = await selectRows<HeadcountCounts>(
            ctx.dataSource,
            `SELECT q.school_id AS "schoolId", q.term,
                    count(s.id) FILTER (WHERE s.registration_status = 'APPROVED')::int                AS registered,
                    count(s.id) FILTER (WHERE s.registration_status = 'APPROVED'
                                          AND t.student_id IS NOT NULL)::int                          AS "termRegistered",
                    count(s.id) FILTER (WHERE s.registration_status = 'SUBMITTED')::int               AS pending,
                    count(s.id) FILTER (WHERE s.registration_status = 'APPROVED' AND s.origin = 'MAINLAND'
                                          AND left(s.id_number, 4) <> left(sc.region_code, 4))::int   AS "outOfArea",
                    count(s.id) FILTER (WHERE s.registration_status = 'APPROVED'
                                          AND s.origin <> 'MAINLAND')::int                            AS "nonMainland"
               FROM unnest($1::uuid[], $2::text[]) AS q(school_id, term)
               JOIN school sc ON sc.id = q.school_id
               LEFT JOIN student s ON s.school_id = q.school_id AND s.left_at IS NULL
               LEFT JOIN term_registration t ON t.student_id = s.id AND t.term = q.term
              GROUP BY q.school_id, q.term`,
            [keys.map((k) => k.schoolId), keys.map((k) => k.term)],
          );
          const reportsNonMainland = rule(ctx.profile, 'ENR-21').applies;
          return keys.map(({ schoolId, term }): HeadcountRow => {
            const r = rows.find((row) => row.schoolId === schoolId && row.term === term);
            const registered = r?.registered ?? 0;
            const termRegistered = r?.termRegistered ?? 0;
            const outOfArea = r?.outOfArea ?? 0;
            return {
              term,
              registered,
              termRegistered,
              gap: registered - termRegistered,
              pendingApproval: r?.pending ?? 0,
              outOfArea,
              outOfAreaReviewNeeded: outOfAreaReviewNeeded(ctx.profile, outOfArea),
              nonMainland: reportsNonMainland ? (r?.nonMainland ?? 0) : 0,
            };
          });
        },
        { cacheKeyFn: (k) => `${k.schoolId}|${k.term}` },
      ),
  );

/** The term a head count is for: the one asked, or the current one by the service clock. */
export const headcountTerm = (ctx: ServiceContext, term?: string | null) => {
  limits<{ term?: string | null }>(fields({ term: text('term') }))({ term }, ctx.today());
  return term ?? termOf(ctx.profile, ctx.today()).term;
};

import { isUuid } from '@xueji/rules';
import { canReadSchool, regionPrefix, requirePrincipal } from '@xueji/auth';
import { badUserInput } from '@xueji/errors';
import { rule } from '@xueji/policy';
import type { ServiceContext } from '@xueji/service-kit';
import { outOfAreaReviewNeeded, termOf } from '../domain/lifecycle';
import { Major, MajorCategory } from '../entities/major';
import { School, TeachingPoint } from '../entities/school';

export async function listSchools(ctx: ServiceContext, regionCode?: string | null): Promise<School[]> {
  const principal = requirePrincipal(ctx.principal);
  const qb = ctx.dataSource.getRepository(School).createQueryBuilder('school').orderBy('school.code', 'ASC');
  if (regionCode) {
    if (!/^\d{6}$/.test(regionCode))
      throw badUserInput({ zh: '行政区划代码应为6位数字', en: 'A region code has 6 digits' });
    qb.where('school.region_code LIKE :region', { region: `${regionPrefix(regionCode)}%` });
  }
  return (await qb.getMany()).filter((s) => canReadSchool(principal, { schoolId: s.id, regionCode: s.regionCode }));
}

export async function schoolById(ctx: ServiceContext, id: string): Promise<School | null> {
  const principal = requirePrincipal(ctx.principal);
  const school = isUuid(id) ? await ctx.dataSource.getRepository(School).findOneBy({ id }) : null;
  return school && canReadSchool(principal, { schoolId: school.id, regionCode: school.regionCode }) ? school : null;
}

export const approvedMajors = (ctx: ServiceContext, school: School) =>
  ctx.dataSource
    .getRepository(Major)
    .createQueryBuilder('m')
    .innerJoin('school_major', 'sm', 'sm.major_code = m.code AND sm.school_id = :id', { id: school.id })
    .orderBy('m.code')
    .getMany();

export const teachingPoints = (ctx: ServiceContext, school: School) =>
  ctx.dataSource.getRepository(TeachingPoint).find({ where: { schoolId: school.id }, order: { name: 'ASC' } });

export const majorCategories = (ctx: ServiceContext) =>
  ctx.dataSource.getRepository(MajorCategory).find({ order: { code: 'ASC' } });

export const majors = (ctx: ServiceContext, categoryCode?: string | null) =>
  ctx.dataSource.getRepository(Major).find({ where: categoryCode ? { categoryCode } : {}, order: { code: 'ASC' } });

/** ADM-6 head count, ENR-20 out-of-area recruiting and ENR-21 non-mainland students of one school. */
export async function headcount(ctx: ServiceContext, school: School, term?: string | null) {
  const forTerm = term ?? termOf(ctx.profile, ctx.today()).term;
  const [row] = (await ctx.dataSource.query(
    `SELECT
       count(*) FILTER (WHERE s.registration_status = 'APPROVED')                                       AS registered,
       count(*) FILTER (WHERE s.registration_status = 'APPROVED' AND t.student_id IS NOT NULL)           AS term_registered,
       count(*) FILTER (WHERE s.registration_status = 'SUBMITTED')                                      AS pending,
       count(*) FILTER (WHERE s.registration_status = 'APPROVED' AND s.origin = 'MAINLAND'
                          AND left(s.id_number, 4) <> left($3, 4))                                      AS out_of_area,
       count(*) FILTER (WHERE s.registration_status = 'APPROVED' AND s.origin <> 'MAINLAND')            AS non_mainland
     FROM student s
     LEFT JOIN term_registration t ON t.student_id = s.id AND t.term = $2
     WHERE s.school_id = $1 AND s.left_at IS NULL`,
    [school.id, forTerm, school.regionCode],
  )) as Record<string, string>[];
  const registered = Number(row!.registered);
  const termRegistered = Number(row!.term_registered);
  const outOfArea = Number(row!.out_of_area);
  return {
    term: forTerm,
    registered,
    termRegistered,
    gap: registered - termRegistered,
    pendingApproval: Number(row!.pending),
    outOfArea,
    outOfAreaReviewNeeded: outOfAreaReviewNeeded(ctx.profile, outOfArea),
    nonMainland: rule(ctx.profile, 'ENR-21').applies ? Number(row!.non_mainland) : 0,
  };
}

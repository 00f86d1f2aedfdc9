import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { fields, limits, text } from '@xueji/rules';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import { Major, MajorCategory } from '../entities/major';
import { TeachingPoint } from '../entities/school';

/** The categories of the national major catalogue. */
export const majorCategories = (ctx: ServiceContext) =>
  ctx.dataSource.getRepository(MajorCategory).find({ order: { code: 'ASC' } });

/** The majors of the catalogue, or of one category. */
export const majors = (ctx: ServiceContext, categoryCode?: string | null) => {
  limits<{ categoryCode?: string | null }>(fields({ categoryCode: text('code') }))({ categoryCode }, ctx.today());
  return ctx.dataSource
    .getRepository(Major)
    .find({ where: categoryCode ? { categoryCode } : {}, order: { code: 'ASC' } });
};

/** Majors by code, batched per request: every student's major in one statement. */
export const majorLoader = (ctx: ServiceContext) =>
  perRequest(
    ctx,
    'majors-by-code',
    () =>
      new DataLoader<string, Major | null>(async (codes) => {
        const rows = await ctx.dataSource.getRepository(Major).findBy({ code: In([...codes]) });
        const byCode = new Map(rows.map((r) => [r.code, r]));
        return codes.map((code) => byCode.get(code) ?? null);
      }),
  );

/**
 * Major categories by code. The categories are few (the catalogue's 专业大类, about twenty), so a
 * request reads them all once, the first time any is asked for: students' categories and majors'
 * categories, at whatever depth, cost one statement together.
 */
export const categoryLoader = (ctx: ServiceContext) =>
  perRequest(ctx, 'categories-by-code', () => {
    let all: Promise<Map<string, MajorCategory>> | null = null;
    return new DataLoader<string, MajorCategory | null>(async (codes) => {
      all ??= ctx.dataSource
        .getRepository(MajorCategory)
        .find()
        .then((rows) => new Map(rows.map((r) => [r.code, r])));
      const byCode = await all;
      return codes.map((code) => byCode.get(code) ?? null);
    });
  });

/** Teaching points by id, batched per request. */
export const teachingPointLoader = (ctx: ServiceContext) =>
  perRequest(
    ctx,
    'teaching-points-by-id',
    () =>
      new DataLoader<string, TeachingPoint | null>(async (ids) => {
        const rows = await ctx.dataSource.getRepository(TeachingPoint).findBy({ id: In([...ids]) });
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  );

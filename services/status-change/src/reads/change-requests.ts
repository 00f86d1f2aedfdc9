import { In } from 'typeorm';
import { regionPrefix, requirePrincipal, type Principal } from '@xueji/auth';
import { selectRows } from '@xueji/db';
import { forbidden } from '@xueji/errors';
import { decodeCursor, microsCursorSql, microsInstant, requirePageSize, toPage, type Page } from '@xueji/pagination';
import { isUuid } from '@xueji/rules';
import type { ServiceContext } from '@xueji/service-kit';
import { authorizeStudentField } from '@xueji/student-scope';
import { ChangeRequest } from '../entities/change-request';
import type { ChangeQueueFilter } from '../generated/resolvers-types';

/** A request the caller may see: anyone who may read the student, or a party of a transfer's receiving side. */
export async function changeRequestById(ctx: ServiceContext, id: string): Promise<ChangeRequest | null> {
  const principal = requirePrincipal(ctx.principal);
  const request = isUuid(id) ? await ctx.dataSource.getRepository(ChangeRequest).findOneBy({ id }) : null;
  if (!request) return null;
  if (principal.role === 'SCHOOL_REGISTRAR' && principal.schoolId === request.toSchoolId) return request;
  await authorizeStudentField(ctx, request.studentId);
  return request;
}

/** A statement as a read runs it; the plan test (`test/list-plans.int.test.ts`) EXPLAINs the same. */
export interface Statement {
  text: string;
  values: unknown[];
}

const MAX_PAGE = 500;

/**
 * The page statement of `changeRequestQueue` exactly as the read runs it (exported for the plan
 * test): pending requests whose next step is the caller's (ADM-2, SC-3), oldest submission first,
 * `first + 1` ids and cursors. The party that acts next is kept on the request (`queue_school_id`,
 * `queue_region`, migration 1763800013700), so each caller's queue is one range of one index:
 * `change_request_school_queue` for a registrar, `change_request_{province,city,county}_queue` for
 * a reviewer by the level of its region. The literal state lets the planner use the partial indexes.
 */
export function changeRequestQueueStatement(
  principal: Principal,
  filter: ChangeQueueFilter,
  first: number,
  after?: string | null,
): Statement {
  requirePageSize(first, MAX_PAGE);
  const values: unknown[] = [];
  const add = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const clauses = [`r.state = 'PENDING'`];
  if (principal.role === 'SCHOOL_REGISTRAR' && principal.schoolId) {
    clauses.push(`r.queue_school_id = ${add(principal.schoolId)}::uuid`);
  } else if (principal.role === 'AUTHORITY_REVIEWER' && principal.regionCode) {
    const prefix = regionPrefix(principal.regionCode);
    clauses.push(
      prefix.length === 6
        ? `r.queue_region = ${add(prefix)}`
        : `left(r.queue_region, ${prefix.length}) = ${add(prefix)}`,
    );
  } else {
    throw forbidden({ zh: '无待办事项权限', en: 'You have no work queue' });
  }
  if (filter.kind) clauses.push(`r.kind = ${add(filter.kind)}`);
  if (filter.imposed != null) clauses.push(`r.imposed = ${add(filter.imposed)}`);
  if (after) {
    const [at, id] = decodeCursor(after, ['micros', 'uuid']) as [string, string];
    clauses.push(`(r.submitted_at, r.id) > (${add(microsInstant(at))}::timestamptz, ${add(id)}::uuid)`);
  }
  return {
    text: `SELECT r.id, ${microsCursorSql('r.submitted_at')} AS at
  FROM change_request r
 WHERE ${clauses.join('\n   AND ')}
 ORDER BY r.submitted_at, r.id
 LIMIT ${add(first + 1)}`,
    values,
  };
}

/** One page of the work queue, as the schema's `ChangeRequestConnection`. */
export type ChangeRequestPage = Page<ChangeRequest>;

/** Work queue: requests whose next step is the caller's (ADM-2, SC-3), a page at a time, oldest first. */
export async function changeRequestQueue(
  ctx: ServiceContext,
  filter: ChangeQueueFilter,
  first: number,
  after?: string | null,
): Promise<ChangeRequestPage> {
  const principal = requirePrincipal(ctx.principal);
  const statement = changeRequestQueueStatement(principal, filter, first, after);
  const keys = await selectRows<{ id: string; at: string }>(ctx.dataSource, statement.text, statement.values);
  const found = keys.length
    ? await ctx.dataSource.getRepository(ChangeRequest).findBy({ id: In(keys.map((k) => k.id)) })
    : [];
  const byId = new Map(found.map((r) => [r.id, r]));
  const at = new Map(keys.map((k) => [k.id, k.at]));
  const rows = keys.flatMap((k) => byId.get(k.id) ?? []);
  return toPage(rows, first, after, (r) => [at.get(r.id)!, r.id]);
}

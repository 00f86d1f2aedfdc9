import { regionPrefix, requirePrincipal } from '@xueji/auth';
import { forbidden } from '@xueji/errors';
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

/** Work queue: requests whose next step is the caller's (ADM-2, SC-3); the oldest 500. */
export async function changeRequestQueue(ctx: ServiceContext, filter: ChangeQueueFilter): Promise<ChangeRequest[]> {
  const principal = requirePrincipal(ctx.principal);
  const qb = ctx.dataSource
    .getRepository(ChangeRequest)
    .createQueryBuilder('r')
    .leftJoin('school_directory', 'f', 'f.school_id = r.from_school_id')
    .leftJoin('school_directory', 't', 't.school_id = r.to_school_id')
    .where(`r.state = 'PENDING'`);
  if (principal.role === 'SCHOOL_REGISTRAR') {
    qb.andWhere(
      `((r.next_step = 'SENDING_SCHOOL' AND r.from_school_id = :school) OR (r.next_step = 'RECEIVING_SCHOOL' AND r.to_school_id = :school))`,
      { school: principal.schoolId },
    );
  } else if (principal.role === 'AUTHORITY_REVIEWER' && principal.regionCode) {
    qb.andWhere(
      `((r.next_step = 'SENDING_AUTHORITY' AND f.authority_region_code LIKE :scope) OR (r.next_step = 'RECEIVING_AUTHORITY' AND t.authority_region_code LIKE :scope))`,
      { scope: `${regionPrefix(principal.regionCode)}%` },
    );
  } else {
    throw forbidden({ zh: '无待办事项权限', en: 'You have no work queue' });
  }
  if (filter.kind) qb.andWhere('r.kind = :kind', { kind: filter.kind });
  if (filter.imposed !== undefined && filter.imposed !== null)
    qb.andWhere('r.imposed = :imposed', { imposed: filter.imposed });
  return qb.orderBy('r.submittedAt', 'ASC').take(500).getMany();
}

import DataLoader from 'dataloader';
import { perRequest, type ServiceContext } from '@xueji/service-kit';
import type { GraduationAudit } from '../domain';
import { loadFacts, type StudentFacts } from './facts';

/** What `GraduationAudit` shows: the domain's audit of one student. */
export interface AuditView extends GraduationAudit {
  studentId: string;
}

/** The audit facts of every student a request asks for: seven statements for one student or a hundred. */
export function studentFacts(ctx: ServiceContext): DataLoader<string, StudentFacts | null> {
  return perRequest(
    ctx,
    'student-facts',
    () =>
      new DataLoader<string, StudentFacts | null>(async (ids) => {
        const facts = await loadFacts(ctx.dataSource, ids);
        return ids.map((id) => facts.get(id) ?? null);
      }),
  );
}

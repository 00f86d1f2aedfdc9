/** The student's standing as a guard of the commands that record something about the student. */
import { conflict } from '@xueji/errors';
import type { UnitOfWork } from '@xueji/service-kit';
import { standingRefusal, type StudentWrite } from '../domain/standing';
import { standingOf } from '../reads/results';

/**
 * CONFLICT (zh + en, naming the status and its date) when the student's standing no longer allows the
 * write: a student who has left, or attendance of a suspended one (`standingRefusal`). Called after the
 * scope check, so a registrar of another school learns nothing of the status.
 */
export async function requireStanding(uow: UnitOfWork, studentId: string, write: StudentWrite): Promise<void> {
  const standing = await standingOf(uow.manager, studentId);
  const message = standingRefusal(standing, write);
  if (message) throw conflict(message, { studentId, status: standing!.status, since: standing!.since });
}

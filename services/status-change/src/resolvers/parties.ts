import type { EntityManager } from 'typeorm';
import { regionCovers, type Principal } from '@xueji/auth';
import { forbidden } from '@xueji/errors';
import { ChangeRequest, SchoolDirectoryEntry, type ApprovalStepName } from '../entities/change-request';

export async function schoolEntry(
  manager: EntityManager,
  schoolId: string | null,
): Promise<SchoolDirectoryEntry | null> {
  return schoolId ? manager.getRepository(SchoolDirectoryEntry).findOneBy({ schoolId }) : null;
}

/** Who acts at a step (SC-3, ADM-2): each school's registrar, each school's competent authority. */
export async function mayActAt(
  manager: EntityManager,
  principal: Principal,
  request: Pick<ChangeRequest, 'fromSchoolId' | 'toSchoolId'>,
  step: ApprovalStepName,
): Promise<boolean> {
  const receiving = step === 'RECEIVING_SCHOOL' || step === 'RECEIVING_AUTHORITY';
  const schoolId = receiving ? request.toSchoolId : request.fromSchoolId;
  if (step === 'SENDING_SCHOOL' || step === 'RECEIVING_SCHOOL') {
    return principal.role === 'SCHOOL_REGISTRAR' && principal.schoolId === schoolId;
  }
  const school = await schoolEntry(manager, schoolId);
  return (
    principal.role === 'AUTHORITY_REVIEWER' &&
    school !== null &&
    principal.regionCode !== undefined &&
    regionCovers(principal.regionCode, school.authorityRegionCode)
  );
}

export async function requireActorAt(
  manager: EntityManager,
  principal: Principal,
  request: ChangeRequest,
  step: ApprovalStepName,
): Promise<void> {
  if (!(await mayActAt(manager, principal, request, step))) {
    throw forbidden({
      zh: `此步骤（${STEP_ZH[step]}）不由您办理`,
      en: `This step (${step.toLowerCase().replace('_', ' ')}) is not yours to act on`,
    });
  }
}

export const STEP_ZH: Record<ApprovalStepName, string> = {
  SENDING_SCHOOL: '学校审核',
  SENDING_AUTHORITY: '主管部门审核',
  RECEIVING_SCHOOL: '转入学校审核',
  RECEIVING_AUTHORITY: '转入地主管部门审核',
};

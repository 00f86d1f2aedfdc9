/**
 * What status-change does with graduation's certificates (GR-3, GR-6): a diploma issued moves the
 * student's status to GRADUATED from the graduation date (kind GRADUATION), a certificate of completion
 * to COMPLETED (kind COMPLETION); a diploma that replaces a completion certificate moves COMPLETED on
 * to GRADUATED. Each is a unit of work inside the inbox's transaction with one audit row naming the
 * event, and each move is published (with its partner copy) like any effective change, so enrolment and
 * subsidy follow (SB-3: subsidy ends eligibility) with nothing but Kafka between them.
 */
import type { TypedEvent } from '@xueji/events';
import { command, type SystemActor } from '@xueji/service-kit';
import { moveStatus, type Moved } from './status-moves';

/** GR-3 / GR-6: an effective graduation: GRADUATED from the graduation date. */
export const applyGraduation = command<TypedEvent<'xueji.graduation.diploma.issued.v1'>, Moved, SystemActor>({
  name: 'APPLY_GRADUATION',
  roles: 'SYSTEM',
  run: (uow, { data: d }) =>
    moveStatus(uow, {
      studentId: d.studentId,
      kind: 'GRADUATION',
      to: 'GRADUATED',
      from: ['ACTIVE', 'COMPLETED'],
      effectiveDate: d.graduationDate,
      schoolId: d.schoolId,
      regionCode: d.regionCode,
    }),
  audit: (result, { data }) => ({
    entity: 'student_record',
    entityId: data.studentId,
    details: { certificateId: data.certificateId, graduationDate: data.graduationDate, ...result },
  }),
});

/** GR-6: a certificate of completion: COMPLETED from its date. */
export const applyCompletion = command<TypedEvent<'xueji.graduation.completion.issued.v1'>, Moved, SystemActor>({
  name: 'APPLY_COMPLETION',
  roles: 'SYSTEM',
  run: (uow, { data: d }) =>
    moveStatus(uow, {
      studentId: d.studentId,
      kind: 'COMPLETION',
      to: 'COMPLETED',
      from: ['ACTIVE'],
      effectiveDate: d.completionDate,
      schoolId: d.schoolId,
      regionCode: d.regionCode,
    }),
  audit: (result, { data }) => ({
    entity: 'student_record',
    entityId: data.studentId,
    details: { certificateId: data.certificateId, completionDate: data.completionDate, ...result },
  }),
});

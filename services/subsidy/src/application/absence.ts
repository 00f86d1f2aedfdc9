import type { TypedEvent } from '@xueji/events';
import { command, type SystemActor } from '@xueji/service-kit';
import { extendHorizon, lockStudent } from './student-lock';
import { reviewStudent } from './timeline';

/**
 * SB-4 ghost students (ENR-8): assessment reports a student away from school without leave for SC-17's
 * consecutive days. The run is kept (a longer report of the same run replaces a shorter one); a period
 * claimed while it lasted raises a GHOST_STUDENT signal when SB-4 judges the student again.
 */
export const recordAbsence = command<TypedEvent<'xueji.assessment.absence.threshold-crossed.v1'>, void, SystemActor>({
  name: 'RECORD_ABSENCE',
  roles: 'SYSTEM',
  async run(uow, event) {
    const d = event.data;
    await lockStudent(uow.manager, d.studentId);
    await uow.manager.query(
      `INSERT INTO student_absence (student_id, absent_from, absent_to, absent_days, recorded_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (student_id, absent_from) DO UPDATE
         SET absent_to = EXCLUDED.absent_to, absent_days = EXCLUDED.absent_days, recorded_at = EXCLUDED.recorded_at
       WHERE student_absence.absent_days < EXCLUDED.absent_days`,
      [d.studentId, d.absentFrom, d.absentTo, d.absentDays, d.recordedAt],
    );
    await extendHorizon(uow.manager, d.studentId, event.time.slice(0, 10));
    await reviewStudent(uow, d.studentId, event.time);
  },
  audit: (_, { data }) => ({
    entity: 'subsidy_student',
    entityId: data.studentId,
    details: { absentFrom: data.absentFrom, absentTo: data.absentTo, absentDays: data.absentDays },
  }),
});

import type { TypedEvent } from '@xueji/events';
import { command, type SystemActor } from '@xueji/service-kit';

/**
 * SC-11: assessment counted a student's failed courses of a study year after make-ups. The latest
 * count per student and year is kept (a late, older event does not replace a newer one); a REPEAT
 * is judged by it.
 */
export const recordYearFailures = command<TypedEvent<'xueji.assessment.year-failures.counted.v1'>, void, SystemActor>({
  name: 'RECORD_YEAR_FAILURES',
  roles: 'SYSTEM',
  async run(uow, event) {
    const d = event.data;
    await uow.manager.query(
      `INSERT INTO year_failure_fact (student_id, study_year, failed_courses, total_courses, reaches_repeat_share, counted_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (student_id, study_year) DO UPDATE
          SET failed_courses = EXCLUDED.failed_courses, total_courses = EXCLUDED.total_courses,
              reaches_repeat_share = EXCLUDED.reaches_repeat_share, counted_at = EXCLUDED.counted_at
        WHERE year_failure_fact.counted_at <= EXCLUDED.counted_at`,
      [d.studentId, d.studyYear, d.failedCourses, d.totalCourses, d.reachesRepeatShare, d.countedAt],
    );
  },
  audit: (_, event) => ({
    entity: 'year_failure_fact',
    entityId: event.data.studentId,
    reason: `year ${event.data.studyYear}: ${event.data.failedCourses}/${event.data.totalCourses}`,
  }),
});

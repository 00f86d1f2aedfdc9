import type { EntityManager } from 'typeorm';
import type { PolicyProfile } from '@xueji/policy';
import type { EventHandlers } from '@xueji/service-kit';
import { recordStudentScope } from '@xueji/student-scope';
import { StatusChange, StudentStatus, type StatusChangeKind, type StatusCode } from '../entities/status';
import { openImposedWithdrawal } from '../resolvers/imposed';

/** Move a student to a new status and record the change, unless it is already there. */
async function moveTo(
  manager: EntityManager,
  studentId: string,
  kind: StatusChangeKind,
  to: StatusCode,
  at: string,
): Promise<void> {
  const statuses = manager.getRepository(StudentStatus);
  const current = await statuses.findOneBy({ studentId });
  if (current?.code === to) return;
  const since = new Date(at);
  await statuses.upsert({ studentId, code: to, since }, ['studentId']);
  await manager.getRepository(StatusChange).insert({
    studentId,
    kind,
    previousStatus: current?.code ?? null,
    newStatus: to,
    effectiveAt: since,
  });
}

/**
 * Events status-change applies: schools and registrations (the facts the SC rules need), lapses
 * of term registration and truancy (SC-17 cases), and the tuition waiver (SC-10).
 */
export const handlers = ({ profile }: { profile: PolicyProfile }): EventHandlers => ({
  'xueji.enrolment.school.registered.v1': async (event, manager) => {
    const d = event.data;
    await manager.query(
      `INSERT INTO school_directory (school_id, name, region_code, authority_region_code) VALUES ($1, $2, $3, $4)
       ON CONFLICT (school_id) DO UPDATE
         SET name = EXCLUDED.name, region_code = EXCLUDED.region_code, authority_region_code = EXCLUDED.authority_region_code`,
      [d.schoolId, d.name, d.regionCode, d.authorityRegionCode],
    );
  },
  'xueji.enrolment.student.registered.v1': async (event, manager) => {
    await recordStudentScope(event, manager);
    await manager.query(
      `INSERT INTO student_record (student_id, school_id) VALUES ($1, $2)
       ON CONFLICT (student_id) DO UPDATE SET school_id = EXCLUDED.school_id`,
      [event.data.studentId, event.data.schoolId],
    );
    await moveTo(manager, event.data.studentId, 'REGISTRATION', 'REGISTRATION_PENDING', event.data.registeredAt);
  },
  'xueji.enrolment.registration.approved.v1': async (event, manager) => {
    const d = event.data;
    await manager.query(
      `INSERT INTO student_record (student_id, school_id, formal, entry_date, expected_years, study_form, programme,
         major_code, major_category_code, agriculture_related)
       VALUES ($1, $2, true, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (student_id) DO UPDATE SET school_id = EXCLUDED.school_id, formal = true,
         entry_date = EXCLUDED.entry_date, expected_years = EXCLUDED.expected_years, study_form = EXCLUDED.study_form,
         programme = EXCLUDED.programme, major_code = EXCLUDED.major_code,
         major_category_code = EXCLUDED.major_category_code, agriculture_related = EXCLUDED.agriculture_related`,
      [
        d.studentId,
        d.schoolId,
        d.entryDate,
        d.expectedYears,
        d.studyForm,
        d.programme,
        d.majorCode,
        d.majorCategoryCode,
        d.agricultureRelated,
      ],
    );
    await moveTo(manager, d.studentId, 'REGISTRATION', 'ACTIVE', d.approvedAt);
  },
  'xueji.enrolment.registration.rejected.v1': (event, manager) =>
    moveTo(manager, event.data.studentId, 'CANCELLATION', 'CANCELLED', event.data.rejectedAt),
  'xueji.enrolment.registration.cancelled.v1': (event, manager) =>
    moveTo(manager, event.data.studentId, 'CANCELLATION', 'CANCELLED', event.data.cancelledAt),
  // ENR-17 → SC-17: a lapsed term registration opens an imposed-withdrawal case for the school to confirm.
  'xueji.enrolment.term-registration.lapsed.v1': (event, manager) =>
    openImposedWithdrawal(
      manager,
      profile,
      event.data.studentId,
      'TERM_REGISTRATION_LAPSED',
      event.data.detectedAt.slice(0, 10),
    ),
  // AS-8 → SC-17: truancy of 90 hours or more in a semester.
  'xueji.assessment.truancy.recorded.v1': async (event, manager) => {
    const d = event.data;
    await manager.query(`UPDATE student_record SET truant_hours = $2, truancy_semester = $3 WHERE student_id = $1`, [
      d.studentId,
      d.truantHours,
      d.semester,
    ]);
    if (d.truantHours >= profile.rules['SC-17'].truancyHoursPerSemester) {
      await openImposedWithdrawal(manager, profile, d.studentId, 'TRUANCY', d.recordedAt.slice(0, 10));
    }
  },
  // SC-10: the waiver history locks agriculture-related majors against a change of major.
  'xueji.subsidy.waiver.granted.v1': async (event, manager) => {
    await manager.query(`UPDATE student_record SET had_tuition_waiver = true WHERE student_id = $1`, [
      event.data.studentId,
    ]);
  },
});

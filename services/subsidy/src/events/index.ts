import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { PolicyProfile } from '@xueji/policy';
import type { EventHandlers, ServiceContext } from '@xueji/service-kit';
import { recordStudentScope, recordTransferScope } from '@xueji/student-scope';
import { HOUSEHOLDS } from '@xueji/vocabulary';
import type { RegistrationStatus } from '../domain/eligibility';
import { extendHorizon, lockStudent, reviewStudent } from './recompute';
import { refreshSignals } from './signals';

type Topics = ServiceContext['topics'];

/**
 * Set the registration status unless a newer event already set it (events may arrive out of
 * order). The facts an event carries are its own and are stored whatever the order.
 */
async function setStatus(
  manager: EntityManager,
  studentId: string,
  status: RegistrationStatus,
  asOf: string,
  facts: Record<string, unknown> = {},
): Promise<void> {
  const columns = Object.keys(facts);
  await manager.query(
    `INSERT INTO subsidy_student (student_id, registration_status, registered_at, status_as_of${columns.map((c) => `, ${c}`).join('')})
     VALUES ($1, $2, $3, $3${columns.map((_, i) => `, $${i + 4}`).join('')})
     ON CONFLICT (student_id) DO UPDATE SET
       registration_status = CASE WHEN subsidy_student.status_as_of IS NULL OR subsidy_student.status_as_of <= EXCLUDED.status_as_of
                                  THEN EXCLUDED.registration_status ELSE subsidy_student.registration_status END,
       status_as_of = GREATEST(subsidy_student.status_as_of, EXCLUDED.status_as_of)${columns.map((c) => `, ${c} = EXCLUDED.${c}`).join('')}`,
    [studentId, status, asOf, ...Object.values(facts)],
  );
}

/** Household categories SB-6 weighs; a correction to anything else is not a category subsidy knows. */
const HOUSEHOLD_VALUES: readonly string[] = HOUSEHOLDS;

/** SB-4 compares ID numbers without keeping them: a digest of the normalised number. */
export function idNumberDigest(idNumber: string): string {
  return createHash('sha256').update(idNumber.trim().toUpperCase()).digest('hex');
}

/**
 * Events subsidy applies to its read model; after each, the student's per-period decisions are
 * recomputed (`recompute.ts`). No synchronous call to any other service.
 */
export function createHandlers(profile: PolicyProfile, topics: Topics): EventHandlers {
  /** Lock the student, apply the event, then recompute the timeline in the same transaction. */
  const applying =
    <E extends { time: string }>(
      studentIdOf: (event: E) => string,
      apply: (event: E, m: EntityManager) => Promise<void>,
    ) =>
    async (event: E, manager: EntityManager) => {
      const studentId = studentIdOf(event);
      await lockStudent(manager, studentId);
      await apply(event, manager);
      await extendHorizon(manager, studentId, event.time);
      await reviewStudent(manager, studentId, event.time, profile, topics);
    };
  return {
    // Every effective change is kept in the history: the status on any day is read from it.
    'xueji.status-change.status.changed.v1': applying(
      (e) => e.data.studentId,
      async (event, manager) => {
        await recordTransferScope(event, manager);
        // A change may arrive before the registration it concerns (another topic): keep the
        // student; the registration's own status fills in when it arrives (status_as_of is empty).
        await manager.query(
          `INSERT INTO subsidy_student (student_id, registration_status, registered_at) VALUES ($1, 'SUBMITTED', $2)
           ON CONFLICT (student_id) DO NOTHING`,
          [event.data.studentId, event.time],
        );
        // The whole history, effective-dated, so each period is decided on the status of its day.
        await manager.query(
          `INSERT INTO student_status_change (event_id, student_id, kind, effective_date, new_status, to_school_id, event_time)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
          [
            event.id,
            event.data.studentId,
            event.data.kind,
            event.data.effectiveDate,
            event.data.newStatus,
            event.data.toSchoolId ?? null,
            event.time,
          ],
        );
      },
    ),
    'xueji.enrolment.student.registered.v1': applying(
      (e) => e.data.studentId,
      async (event, manager) => {
        const d = event.data;
        await recordStudentScope(event, manager);
        await setStatus(manager, d.studentId, 'SUBMITTED', d.registeredAt);
        // The registration's own facts; a re-admission registers again and replaces them.
        await manager.query(
          `UPDATE subsidy_student SET name = $2, id_number_digest = COALESCE($3, id_number_digest), registered_at = $4
            WHERE student_id = $1 AND (name IS NULL OR registered_at <= $4)`,
          [d.studentId, d.name, d.idNumber ? idNumberDigest(d.idNumber) : null, d.registeredAt],
        );
      },
    ),
    'xueji.enrolment.registration.approved.v1': applying(
      (e) => e.data.studentId,
      async (event, manager) => {
        const d = event.data;
        await setStatus(manager, d.studentId, 'APPROVED', d.approvedAt, {
          entry_date: d.entryDate,
          study_form: d.studyForm,
          household: d.household,
          major_waiver_excluded: d.waiverExcluded,
          student_number: d.studentNumber,
          major_code: d.majorCode,
          agriculture_related: d.agricultureRelated,
          teaching_point_id: d.teachingPointId,
          approved_at: d.approvedAt,
        });
      },
    ),
    'xueji.enrolment.registration.rejected.v1': applying(
      (e) => e.data.studentId,
      (event, manager) => setStatus(manager, event.data.studentId, 'REJECTED', event.data.rejectedAt),
    ),
    'xueji.enrolment.registration.cancelled.v1': applying(
      (e) => e.data.studentId,
      (event, manager) => setStatus(manager, event.data.studentId, 'CANCELLED', event.data.cancelledAt),
    ),
    'xueji.enrolment.admission.deferred.v1': applying(
      (e) => e.data.studentId,
      (event, manager) => setStatus(manager, event.data.studentId, 'DEFERRED', event.data.deferredAt),
    ),
    // SB-4 ghost students: a term not registered for within the limit (ENR-17) while aid is claimed.
    'xueji.enrolment.term-registration.lapsed.v1': applying(
      (e) => e.data.studentId,
      async (event, manager) => {
        const d = event.data;
        await manager.query(
          `INSERT INTO term_lapse (student_id, term, term_starts_on, detected_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (student_id, term) DO NOTHING`,
          [d.studentId, d.term, d.termStartsOn, d.detectedAt],
        );
      },
    ),
    // SB-4 ghost students: truancy past SC-17's limit while aid is claimed. The figure only grows in a semester.
    'xueji.assessment.truancy.recorded.v1': applying(
      (e) => e.data.studentId,
      async (event, manager) => {
        const d = event.data;
        await manager.query(
          `INSERT INTO student_truancy (student_id, semester, truant_hours, recorded_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (student_id, semester) DO UPDATE SET truant_hours = EXCLUDED.truant_hours, recorded_at = EXCLUDED.recorded_at
           WHERE student_truancy.truant_hours < EXCLUDED.truant_hours`,
          [d.studentId, d.semester, d.truantHours, d.recordedAt],
        );
      },
    ),
    // SC-21 corrections: the ID number (SB-4 double status), household (SB-6) and name.
    'xueji.status-change.personal-data.corrected.v1': applying(
      (e) => e.data.studentId,
      async (event, manager) => {
        for (const c of event.data.corrections) {
          if (c.field === 'idNumber') {
            await manager.query(`UPDATE subsidy_student SET id_number_digest = $2 WHERE student_id = $1`, [
              event.data.studentId,
              idNumberDigest(c.newValue),
            ]);
          } else if (c.field === 'name' || (c.field === 'household' && HOUSEHOLD_VALUES.includes(c.newValue))) {
            await manager.query(`UPDATE subsidy_student SET ${c.field} = $2 WHERE student_id = $1`, [
              event.data.studentId,
              c.newValue,
            ]);
          }
        }
      },
    ),
    // SB-4: the majors and teaching points the school is approved for; every student there is judged again.
    'xueji.enrolment.school.registered.v1': async (event, manager) => {
      const d = event.data;
      const [applied] = (await manager.query(
        `INSERT INTO school_catalogue (school_id, code, name, region_code, approved_major_codes, teaching_point_ids, as_of)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (school_id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, region_code = EXCLUDED.region_code,
           approved_major_codes = EXCLUDED.approved_major_codes, teaching_point_ids = EXCLUDED.teaching_point_ids,
           as_of = EXCLUDED.as_of
         WHERE school_catalogue.as_of <= EXCLUDED.as_of
         RETURNING school_id`,
        [
          d.schoolId,
          d.code,
          d.name,
          d.regionCode,
          d.approvedMajorCodes ?? null,
          d.teachingPointIds ?? null,
          event.time,
        ],
      )) as { school_id: string }[];
      if (!applied) return;
      const students = (await manager.query(
        `SELECT student_id FROM student_scope WHERE school_id = $1 ORDER BY student_id`,
        [d.schoolId],
      )) as { student_id: string }[];
      for (const { student_id } of students) {
        await lockStudent(manager, student_id);
        await refreshSignals(manager, student_id, event.time, profile, topics);
      }
    },
  };
}

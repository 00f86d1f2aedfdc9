import type { EntityManager } from 'typeorm';
import type { TypedEvent } from '@xueji/events';
import { chinaDay } from '@xueji/rules';
import { command, type SystemActor } from '@xueji/service-kit';
import { recordTransferScope } from '@xueji/student-scope';
import type { StatusCode } from '@xueji/vocabulary';
import { resumedCohort } from '../domain/standing';
import { studyRecords } from '../reads/results';
import { rememberIdentity } from './registrations';

/**
 * A school registered or changed (enrolment): its county, so that a reviewer's region covers its
 * teaching plans. Newest event wins.
 */
export const recordSchoolScope = command<TypedEvent<'xueji.enrolment.school.registered.v1'>, void, SystemActor>({
  name: 'RECORD_SCHOOL_SCOPE',
  roles: 'SYSTEM',
  async run(uow, event) {
    await uow.manager.query(
      `INSERT INTO school_scope (school_id, region_code, as_of) VALUES ($1, $2, $3)
       ON CONFLICT (school_id) DO UPDATE SET region_code = EXCLUDED.region_code, as_of = EXCLUDED.as_of
        WHERE school_scope.as_of <= EXCLUDED.as_of`,
      [event.data.schoolId, event.data.regionCode, event.time],
    );
  },
  audit: (_, event) => ({ entity: 'school_scope', entityId: event.data.schoolId }),
});

/**
 * A registration approved (ENR-5): the student's school, major, cohort (entry year) and study form
 * decide the teaching plan their results count against; the scope (who may read) follows too, and
 * the student number (学号) the results sheet is keyed by.
 */
export const recordStudyRecord = command<TypedEvent<'xueji.enrolment.registration.approved.v1'>, void, SystemActor>({
  name: 'RECORD_STUDY_RECORD',
  roles: 'SYSTEM',
  async run(uow, event) {
    const d = event.data;
    await uow.manager.query(
      `INSERT INTO student_scope (student_id, school_id, region_code, as_of) VALUES ($1, $2, $3, $4)
       ON CONFLICT (student_id) DO UPDATE
         SET school_id = EXCLUDED.school_id, region_code = EXCLUDED.region_code, as_of = EXCLUDED.as_of
         WHERE student_scope.as_of <= EXCLUDED.as_of`,
      [d.studentId, d.schoolId, d.regionCode, event.time],
    );
    await uow.manager.query(
      `INSERT INTO study_record (student_id, school_id, major_code, cohort_year, entry_date, study_form, as_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (student_id) DO UPDATE
          SET school_id = EXCLUDED.school_id, major_code = EXCLUDED.major_code, cohort_year = EXCLUDED.cohort_year,
              entry_date = EXCLUDED.entry_date, study_form = EXCLUDED.study_form, as_of = EXCLUDED.as_of
        WHERE study_record.as_of <= EXCLUDED.as_of`,
      [d.studentId, d.schoolId, d.majorCode, Number(d.entryDate.slice(0, 4)), d.entryDate, d.studyForm, event.time],
    );
    // The student number (学号) the results sheet is keyed by (ENR-11).
    await rememberIdentity(uow.manager, d.studentId, { studentNumber: d.studentNumber }, event.time);
  },
  audit: (_, event) => ({ entity: 'study_record', entityId: event.data.studentId }),
});

/**
 * A status change took effect. TRANSFER: the scope and the study record move to the receiving
 * school (and major, if given); the results stay with the student (the credit bank, AS-4). REPEAT
 * (SC-11): the student joins the next cohort's plan. RESUMPTION (SC-15): the student joins the cohort
 * that is, in the school year of the return, at the stage the suspension interrupted
 * (`resumedCohort`). Every kind: the study record keeps the new status and, when it moved, its
 * effective date; a student who has left gets nothing new recorded, a suspended one no attendance
 * (`domain/standing.ts`); a resumption or a reinstatement (AS-14) makes the student ACTIVE again.
 * Newest event wins.
 */
export const recordStatusChange = command<TypedEvent<'xueji.status-change.status.changed.v1'>, void, SystemActor>({
  name: 'RECORD_STATUS_CHANGE',
  roles: 'SYSTEM',
  async run(uow, event) {
    const d = event.data;
    if (d.kind === 'TRANSFER') {
      await recordTransferScope(event, uow.manager);
      if (d.toSchoolId) {
        await uow.manager.query(
          `UPDATE study_record SET school_id = $2, major_code = coalesce($3, major_code), as_of = $4
            WHERE student_id = $1 AND as_of <= $4`,
          [d.studentId, d.toSchoolId, d.toMajorCode ?? null, event.time],
        );
      }
    } else if (d.kind === 'REPEAT') {
      await uow.manager.query(
        `UPDATE study_record SET cohort_year = cohort_year + 1, as_of = $2 WHERE student_id = $1 AND as_of < $2`,
        [d.studentId, event.time],
      );
    } else if (d.kind === 'MAJOR_CHANGE' && d.toMajorCode) {
      await uow.manager.query(
        `UPDATE study_record SET major_code = $2, as_of = $3 WHERE student_id = $1 AND as_of <= $3`,
        [d.studentId, d.toMajorCode, event.time],
      );
    } else if (d.kind === 'RESUMPTION') {
      const study = (await studyRecords(uow.manager, [d.studentId])).get(d.studentId);
      if (study?.status === 'SUSPENDED') {
        await uow.manager.query(
          `UPDATE study_record SET cohort_year = $2, as_of = $3 WHERE student_id = $1 AND as_of < $3`,
          [d.studentId, resumedCohort(study.cohortYear, study.statusSince, d.effectiveDate), event.time],
        );
      }
    }
    await recordStanding(uow.manager, d.studentId, d.newStatus, d.effectiveDate, event.time);
  },
  audit: (_, event) => ({ entity: 'study_record', entityId: event.data.studentId, reason: event.data.kind }),
});

/**
 * The status on the study record and the day it took effect; the day is kept while the status stays
 * (a renewed suspension, SC-13, keeps the day the suspension began). Newest event wins.
 */
async function recordStanding(
  manager: EntityManager,
  studentId: string,
  status: StatusCode,
  effectiveDate: string,
  at: string,
): Promise<void> {
  await manager.query(
    `UPDATE study_record
        SET status_since = CASE WHEN status = $2 THEN status_since ELSE $3::date END, status = $2, as_of = $4
      WHERE student_id = $1 AND as_of <= $4`,
    [studentId, status, effectiveDate, at],
  );
}

/**
 * A registration cancelled at the entrance re-check (ENR-9, SC-19): status-change moves the status to
 * CANCELLED without publishing a change, so assessment takes enrolment's event. The student has left.
 */
export const recordRegistrationCancelled = command<
  TypedEvent<'xueji.enrolment.registration.cancelled.v1'>,
  void,
  SystemActor
>({
  name: 'RECORD_REGISTRATION_CANCELLED',
  roles: 'SYSTEM',
  run: (uow, event) =>
    recordStanding(
      uow.manager,
      event.data.studentId,
      'CANCELLED',
      chinaDay(new Date(event.data.cancelledAt)),
      event.time,
    ),
  audit: (_, event) => ({ entity: 'study_record', entityId: event.data.studentId, reason: 'CANCELLATION' }),
});

import type { EntityManager } from 'typeorm';
import type { TypedEvent, RegistrationEnded } from '@xueji/events';
import { command, type SystemActor } from '@xueji/service-kit';
import { recordStudentScope } from '@xueji/student-scope';
import { StatusChange, StudentStatus, type StatusChangeKind, type StatusCode } from '../entities/status';
import { openImposedWithdrawalCase } from './imposed-withdrawal';

/**
 * The effects of the events status-change consumes, each a unit of work run inside the inbox's
 * transaction (`onEvent`): schools and registrations (the facts the SC rules need), lapses of term
 * registration and truancy (SC-17 cases), and the tuition waiver (SC-10). One audit row per applied
 * event, naming the event.
 */

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

const ofStudent = (studentId: string) => ({ entity: 'student_record', entityId: studentId });

/** A school and its competent authority (ADM-1), for who approves at each step. */
export const recordSchool = command<TypedEvent<'xueji.enrolment.school.registered.v1'>, void, SystemActor>({
  name: 'RECORD_SCHOOL',
  roles: 'SYSTEM',
  async run(uow, { data: d }) {
    await uow.manager.query(
      `INSERT INTO school_directory (school_id, name, region_code, authority_region_code) VALUES ($1, $2, $3, $4)
       ON CONFLICT (school_id) DO UPDATE
         SET name = EXCLUDED.name, region_code = EXCLUDED.region_code, authority_region_code = EXCLUDED.authority_region_code`,
      [d.schoolId, d.name, d.regionCode, d.authorityRegionCode],
    );
  },
  audit: (_, { data }) => ({ entity: 'school_directory', entityId: data.schoolId }),
});

/** A registration submitted by the school: the student exists, awaiting the authority (ENR-5). */
export const recordStudentRegistration = command<
  TypedEvent<'xueji.enrolment.student.registered.v1'>,
  void,
  SystemActor
>({
  name: 'RECORD_STUDENT_REGISTRATION',
  roles: 'SYSTEM',
  async run(uow, event) {
    const { manager } = uow;
    await recordStudentScope(event, manager);
    await manager.query(
      `INSERT INTO student_record (student_id, school_id) VALUES ($1, $2)
       ON CONFLICT (student_id) DO UPDATE SET school_id = EXCLUDED.school_id`,
      [event.data.studentId, event.data.schoolId],
    );
    await moveTo(manager, event.data.studentId, 'REGISTRATION', 'REGISTRATION_PENDING', event.data.registeredAt);
  },
  audit: (_, { data }) => ofStudent(data.studentId),
});

/** The authority approved the registration: a formal student, with the facts the SC rules judge. */
export const recordRegistrationApproval = command<
  TypedEvent<'xueji.enrolment.registration.approved.v1'>,
  void,
  SystemActor
>({
  name: 'RECORD_REGISTRATION_APPROVAL',
  roles: 'SYSTEM',
  async run(uow, { data: d }) {
    await uow.manager.query(
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
    await moveTo(uow.manager, d.studentId, 'REGISTRATION', 'ACTIVE', d.approvedAt);
  },
  audit: (_, { data }) => ofStudent(data.studentId),
});

/** The registration was rejected or cancelled: the status is cancelled. */
export const recordRegistrationEnded = command<RegistrationEnded, void, SystemActor>({
  name: 'RECORD_REGISTRATION_ENDED',
  roles: 'SYSTEM',
  run: (uow, { studentId, endedAt }) => moveTo(uow.manager, studentId, 'CANCELLATION', 'CANCELLED', endedAt),
  audit: (_, { studentId, outcome }) => ({ ...ofStudent(studentId), details: { outcome } }),
});

/** ENR-17 → SC-17: a lapsed term registration opens an imposed-withdrawal case for the school to confirm. */
export const recordTermRegistrationLapse = command<
  TypedEvent<'xueji.enrolment.term-registration.lapsed.v1'>,
  string | null,
  SystemActor
>({
  name: 'RECORD_TERM_REGISTRATION_LAPSE',
  roles: 'SYSTEM',
  run: (uow, { data }) =>
    openImposedWithdrawalCase(uow.manager, uow.profile, {
      studentId: data.studentId,
      ground: 'TERM_REGISTRATION_LAPSED',
      on: data.detectedAt.slice(0, 10),
    }),
  audit: (requestId, { data }) => ({ ...ofStudent(data.studentId), details: { term: data.term, requestId } }),
});

/** AS-8 → SC-17: the semester's truant hours; 90 hours or more (the profile's limit) open an imposed-withdrawal case. */
export const recordTruancy = command<TypedEvent<'xueji.assessment.truancy.recorded.v1'>, string | null, SystemActor>({
  name: 'RECORD_TRUANCY',
  roles: 'SYSTEM',
  async run(uow, { data: d }) {
    await uow.manager.query(
      `UPDATE student_record SET truant_hours = $2, truancy_semester = $3 WHERE student_id = $1`,
      [d.studentId, d.truantHours, d.semester],
    );
    if (d.truantHours < uow.profile.rules['SC-17'].truancyHoursPerSemester) return null;
    return openImposedWithdrawalCase(uow.manager, uow.profile, {
      studentId: d.studentId,
      ground: 'TRUANCY',
      on: d.recordedAt.slice(0, 10),
    });
  },
  audit: (requestId, { data }) => ({
    ...ofStudent(data.studentId),
    details: { semester: data.semester, truantHours: data.truantHours, requestId },
  }),
});

/** SC-10: the waiver history locks agriculture-related majors against a change of major. */
export const recordTuitionWaiver = command<TypedEvent<'xueji.subsidy.waiver.granted.v1'>, void, SystemActor>({
  name: 'RECORD_TUITION_WAIVER',
  roles: 'SYSTEM',
  async run(uow, { data }) {
    await uow.manager.query(`UPDATE student_record SET had_tuition_waiver = true WHERE student_id = $1`, [
      data.studentId,
    ]);
  },
  audit: (_, { data }) => ofStudent(data.studentId),
});

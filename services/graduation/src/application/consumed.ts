/**
 * Graduation's read model, built from events only (no synchronous call to another service): each
 * consumed event is a system command inside the inbox's transaction with one audit row naming the
 * event. Enrolment: schools, registrations, approvals, rejections and cancellations; status-change:
 * status and history (a transfer moves the scope and the school); assessment: results and credits,
 * conduct, internships, AS-17 inputs, sanctions.
 */
import { selectRows } from '@xueji/db';
import { createEvent, type TypedEvent, type RegistrationEnded } from '@xueji/events';
import { command, type SystemActor, type UnitOfWork } from '@xueji/service-kit';
import { recordStudentScope, recordTransferScope } from '@xueji/student-scope';
import type { ApprovedRecordKind } from '@xueji/vocabulary';
import { leavingCertificates } from '../domain';
import { loadFacts } from '../reads/facts';
import { findSchool } from '../reads/schools';
import { issueCertificates } from './issue';

const ofStudent = (studentId: string) => ({ entity: 'graduation_student', entityId: studentId });

/** A school and its competent authority (ADM-1): who reviews its graduate lists, its code for GR-4. */
export const recordSchool = command<TypedEvent<'xueji.enrolment.school.registered.v1'>, void, SystemActor>({
  name: 'RECORD_SCHOOL',
  roles: 'SYSTEM',
  async run(uow, { data: d }) {
    // GR-11: the principal, when the event states one (older events do not: the one known stays).
    await uow.manager.query(
      `INSERT INTO graduation_school (school_id, code, name, region_code, authority_region_code, principal_name)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (school_id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name,
         region_code = EXCLUDED.region_code, authority_region_code = EXCLUDED.authority_region_code,
         principal_name = COALESCE(EXCLUDED.principal_name, graduation_school.principal_name)`,
      [d.schoolId, d.code, d.name, d.regionCode, d.authorityRegionCode, d.principalName ?? null],
    );
  },
  audit: (_, { data }) => ({ entity: 'graduation_school', entityId: data.schoolId }),
});

/** A registration: who may read the student (the scope) and the student of the read model. */
export const recordRegistration = command<TypedEvent<'xueji.enrolment.student.registered.v1'>, void, SystemActor>({
  name: 'RECORD_REGISTRATION',
  roles: 'SYSTEM',
  async run(uow, event) {
    const d = event.data;
    await recordStudentScope(event, uow.manager);
    // GR-11: name, date of birth and sex as the lookup shows them (never the ID number the event carries).
    await uow.manager.query(
      `INSERT INTO graduation_student (student_id, school_id, region_code, name, birth_date, registered_at, sex)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (student_id) DO UPDATE SET name = EXCLUDED.name,
         birth_date = COALESCE(EXCLUDED.birth_date, graduation_student.birth_date),
         sex = COALESCE(EXCLUDED.sex, graduation_student.sex)`,
      [d.studentId, d.schoolId, d.regionCode, d.name, d.birthDate ?? null, d.registeredAt, d.sex ?? null],
    );
  },
  audit: (_, { data }) => ofStudent(data.studentId),
});

/**
 * GR-1 (jilin): a registration, transfer-in, resumption, major-change or data-change record, with its
 * timing as the producer published it (ADM-3, SC-22); none for an event published before it said (not
 * known late). One row per event.
 */
async function recordApprovedRecord(
  uow: UnitOfWork,
  eventId: string,
  studentId: string,
  kind: ApprovedRecordKind,
  timing: { submittedOn?: string; approvedOn?: string; approvedInTime?: boolean },
): Promise<void> {
  await uow.manager.query(
    `INSERT INTO graduation_approved_record (event_id, student_id, kind, submitted_on, approved_on, in_time)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
    [eventId, studentId, kind, timing.submittedOn ?? null, timing.approvedOn ?? null, timing.approvedInTime ?? null],
  );
}

/** The status changes that are records GR-1 (jilin) wants approved in time. */
const APPROVED_CHANGES: ReadonlySet<string> = new Set<ApprovedRecordKind>(['TRANSFER', 'RESUMPTION', 'MAJOR_CHANGE']);

/** ENR-5: the authority approved the registration: the student is on the roster, with programme, form and length. */
export const recordApproval = command<TypedEvent<'xueji.enrolment.registration.approved.v1'>, void, SystemActor>({
  name: 'RECORD_REGISTRATION_APPROVAL',
  roles: 'SYSTEM',
  async run(uow, { id, data: d }) {
    await uow.manager.query(
      `INSERT INTO graduation_student (student_id, school_id, region_code, name, registered_at)
       VALUES ($1, $2, $3, '', $4) ON CONFLICT (student_id) DO NOTHING`,
      [d.studentId, d.schoolId, d.regionCode, d.approvedAt],
    );
    await uow.manager.query(
      `UPDATE graduation_student SET registration_approved = true, student_number = $2, entry_date = $3,
              study_form = $4, programme = $5, expected_years = $6, major_code = $7,
              status = COALESCE(status, 'ACTIVE'), status_since = COALESCE(status_since, $3)
        WHERE student_id = $1`,
      [d.studentId, d.studentNumber, d.entryDate, d.studyForm, d.programme, d.expectedYears, d.majorCode],
    );
    await recordApprovedRecord(uow, id, d.studentId, 'REGISTRATION', d); // GR-1 (jilin)
  },
  audit: (_, { data }) => ofStudent(data.studentId),
});

/** A registration rejected or cancelled at the re-check (ENR-9): off the roster, no status. */
/** ENR-11: a transfer gave the student a new number; the class audit shows it from now on. */
export const recordStudentNumber = command<TypedEvent<'xueji.enrolment.student-number.assigned.v1'>, void, SystemActor>(
  {
    name: 'RECORD_STUDENT_NUMBER',
    roles: 'SYSTEM',
    async run(uow, { data }) {
      await uow.manager.query(`UPDATE graduation_student SET student_number = $2 WHERE student_id = $1`, [
        data.studentId,
        data.studentNumber,
      ]);
    },
    audit: (_, { data }) => ofStudent(data.studentId),
  },
);

export const recordRegistrationEnded = command<RegistrationEnded, { recalled: string[] }, SystemActor>({
  name: 'RECORD_REGISTRATION_ENDED',
  roles: 'SYSTEM',
  async run(uow, d) {
    await uow.manager.query(
      `UPDATE graduation_student SET registration_approved = false,
              status = CASE WHEN $2 = 'CANCELLED' THEN 'CANCELLED' ELSE status END,
              status_since = CASE WHEN $2 = 'CANCELLED' THEN $3::date ELSE status_since END
        WHERE student_id = $1`,
      [d.studentId, d.outcome, d.endedAt.slice(0, 10)],
    );
    if (d.outcome !== 'CANCELLED') return { recalled: [] };
    return { recalled: await recallCertificates(uow, d.studentId, 'ENR-9: registration cancelled at the re-check') };
  },
  audit: (result, d) => ({ ...ofStudent(d.studentId), details: { outcome: d.outcome, ...result } }),
});

/**
 * An effective status change: the status and its history; a transfer moves scope and school; a major
 * change the major. A withdrawal (GR-7, SC-18) gives the leaver a factual study record and, in fujian
 * after a year with passing results, a partial-study certificate, dated the day the student left.
 */
export const recordStatusChange = command<
  TypedEvent<'xueji.status-change.status.changed.v1'>,
  { leavingCertificates: string[]; recalled: string[] },
  SystemActor
>({
  name: 'RECORD_STATUS_CHANGE',
  roles: 'SYSTEM',
  async run(uow, event) {
    const d = event.data;
    await recordTransferScope(event, uow.manager);
    await uow.manager.query(
      `INSERT INTO graduation_status_history (event_id, student_id, kind, previous_status, new_status, effective_date)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING`,
      [event.id, d.studentId, d.kind, d.previousStatus, d.newStatus, d.effectiveDate],
    );
    await uow.manager.query(
      `UPDATE graduation_student SET status = $2, status_since = $3,
              school_id = COALESCE($4, school_id), region_code = COALESCE($5, region_code),
              major_code = COALESCE($6, major_code)
        WHERE student_id = $1`,
      [
        d.studentId,
        d.newStatus,
        d.effectiveDate,
        d.kind === 'TRANSFER' ? (d.toSchoolId ?? null) : null,
        d.kind === 'TRANSFER' ? (d.toRegionCode ?? null) : null,
        d.toMajorCode ?? null,
      ],
    );
    if (APPROVED_CHANGES.has(d.kind))
      await recordApprovedRecord(uow, event.id, d.studentId, d.kind as ApprovedRecordKind, d);
    if (d.kind === 'CANCELLATION') {
      return {
        leavingCertificates: [],
        recalled: await recallCertificates(uow, d.studentId, 'SC-19: status cancelled'),
      };
    }
    if (d.kind !== 'WITHDRAWAL' || d.newStatus !== 'WITHDRAWN') return { leavingCertificates: [], recalled: [] };
    return { leavingCertificates: await issueLeavingCertificates(uow, d.studentId, d.effectiveDate), recalled: [] };
  },
  audit: (result, { data }) => ({
    ...ofStudent(data.studentId),
    details: { kind: data.kind, newStatus: data.newStatus, ...result },
  }),
});

/**
 * GR-9: where the profile says so, an admission that broke the rules (cancelled at the re-check,
 * ENR-9, or a status cancelled, SC-19) recalls every certificate already issued to the student and
 * declares it void: kept, with when and why, and the public lookup says so. Returns their numbers.
 */
async function recallCertificates(uow: UnitOfWork, studentId: string, reason: string): Promise<string[]> {
  if (!uow.profile.rules['GR-9'].applies) return []; // GR-9
  const recalled = await selectRows<{ id: string; number: string }>(
    uow.manager,
    `UPDATE certificate SET state = 'RECALLED', recalled_at = $2, recall_reason = $3
      WHERE student_id = $1 AND state <> 'RECALLED' RETURNING id, number`,
    [studentId, uow.now(), reason],
  );
  if (recalled.length > 0) {
    uow.publish({
      topic: uow.topics.own,
      event: createEvent('xueji.graduation.certificates.recalled.v1', studentId, {
        studentId,
        certificateIds: recalled.map((c) => c.id),
        reason,
        recalledAt: uow.now().toISOString(),
      }),
    });
  }
  return recalled.map((c) => c.number).sort();
}

/** GR-7: the leaving certificates due, each kind once per programme; nothing while the school or registration is unknown. */
async function issueLeavingCertificates(uow: UnitOfWork, studentId: string, leftOn: string): Promise<string[]> {
  const student = (await loadFacts(uow.manager, [studentId])).get(studentId);
  if (!student?.student.programme) return [];
  const school = await findSchool(uow.manager, student.student.schoolId);
  if (!school) return [];
  const held = new Set(
    student.certificates.filter((c) => c.programme === student.student.programme).map((c) => c.kind),
  );
  const due = leavingCertificates(student.facts, uow.profile, leftOn).filter((c) => !held.has(c.kind));
  const issued = await issueCertificates(
    uow,
    school,
    due.map((c) => ({ student, kind: c.kind, listId: null, replaces: null, issuedOn: leftOn, stated: c.stated })),
  );
  return issued.map((c) => c.number);
}

/** SC-21 / ENR-7: enrolment applied a personal-data correction: a data-change record (GR-1 jilin). */
export const recordCorrection = command<TypedEvent<'xueji.enrolment.personal-data.corrected.v1'>, void, SystemActor>({
  name: 'RECORD_PERSONAL_DATA_CORRECTION',
  roles: 'SYSTEM',
  async run(uow, { id, data: d }) {
    await recordApprovedRecord(uow, id, d.studentId, 'DATA_CORRECTION', d);
  },
  // The request only, no corrected value: no ID number in the audit log.
  audit: (_, { data }) => ({ ...ofStudent(data.studentId), details: { requestId: data.requestId } }),
});

/** AS-1, AS-3, AS-4, AS-6: the totals of results and credits as they stand now (the newest event wins). */
export const recordResults = command<TypedEvent<'xueji.assessment.results.changed.v1'>, void, SystemActor>({
  name: 'RECORD_RESULTS',
  roles: 'SYSTEM',
  async run(uow, { data: d }) {
    await uow.manager.query(
      `UPDATE graduation_student SET courses_passed = $2, courses_failed = $3, courses_outstanding = $4,
              credits_earned = $5, credits_required = $6, pe_passed = $7, results_as_of = $8
        WHERE student_id = $1 AND (results_as_of IS NULL OR results_as_of <= $8)`,
      [
        d.studentId,
        d.coursesPassed,
        d.coursesFailed,
        d.coursesOutstanding,
        d.creditsEarned,
        d.creditsRequired,
        d.pePassed,
        d.changedAt,
      ],
    );
  },
  audit: (_, { data }) => ofStudent(data.studentId),
});

/**
 * AS-4 → GR-1 (fujian), GR-11: a vocational qualification or skill certificate assessment recognised
 * for credits is a certificate the student holds. One row per student and number: one the school
 * already recorded (or an event delivered again) is kept as it is.
 */
export const recordAssessedCertificate = command<
  TypedEvent<'xueji.assessment.certificate.recorded.v1'>,
  { recorded: boolean },
  SystemActor
>({
  name: 'RECORD_ASSESSED_CERTIFICATE',
  roles: 'SYSTEM',
  async run(uow, { data: d }) {
    const rows = await selectRows<{ id: string }>(
      uow.manager,
      `INSERT INTO held_certificate (id, student_id, kind, title, number, issued_on, recorded_at, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'ASSESSMENT') ON CONFLICT (student_id, number) DO NOTHING RETURNING id`,
      [d.recognitionId, d.studentId, d.kind, d.title, d.number, d.issuedOn, d.recordedAt],
    );
    return { recorded: rows.length > 0 };
  },
  audit: (result, { data }) => ({
    ...ofStudent(data.studentId),
    details: { kind: data.kind, recognitionId: data.recognitionId, ...result },
  }),
});

/** AS-2: a conduct evaluation (the newest of a period and term wins). */
export const recordConduct = command<TypedEvent<'xueji.assessment.conduct.recorded.v1'>, void, SystemActor>({
  name: 'RECORD_CONDUCT',
  roles: 'SYSTEM',
  async run(uow, { data: d }) {
    await uow.manager.query(
      `INSERT INTO graduation_conduct (student_id, period, term_key, grade, recorded_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (student_id, period, term_key) DO UPDATE SET grade = EXCLUDED.grade, recorded_at = EXCLUDED.recorded_at
        WHERE graduation_conduct.recorded_at <= EXCLUDED.recorded_at`,
      [d.studentId, d.period, d.term ?? '', d.grade, d.recordedAt],
    );
  },
  audit: (_, { data }) => ({ ...ofStudent(data.studentId), details: { period: data.period, term: data.term } }),
});

/** AS-7: an internship assessed jointly by the employer and the school. */
export const recordInternship = command<TypedEvent<'xueji.assessment.internship.assessed.v1'>, void, SystemActor>({
  name: 'RECORD_INTERNSHIP',
  roles: 'SYSTEM',
  async run(uow, { data: d }) {
    await uow.manager.query(
      `INSERT INTO graduation_internship (internship_id, student_id, passed, assessed_on, assessed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (internship_id) DO UPDATE SET passed = EXCLUDED.passed, assessed_on = EXCLUDED.assessed_on,
         assessed_at = EXCLUDED.assessed_at WHERE graduation_internship.assessed_at <= EXCLUDED.assessed_at`,
      [d.internshipId, d.studentId, d.passed, d.assessedOn, d.assessedAt],
    );
  },
  audit: (_, { data }) => ({ ...ofStudent(data.studentId), details: { internshipId: data.internshipId } }),
});

/** AS-17 (hubei-shiyan): the culture sample test or the school skills competition. */
export const recordExtraInput = command<TypedEvent<'xueji.assessment.graduation-input.recorded.v1'>, void, SystemActor>(
  {
    name: 'RECORD_GRADUATION_INPUT',
    roles: 'SYSTEM',
    async run(uow, { data: d }) {
      await uow.manager.query(
        `INSERT INTO graduation_extra_input (student_id, kind, passed, held_on) VALUES ($1, $2, $3, $4)
       ON CONFLICT (student_id, kind) DO UPDATE SET passed = EXCLUDED.passed, held_on = EXCLUDED.held_on`,
        [d.studentId, d.kind, d.passed, d.heldOn],
      );
    },
    audit: (_, { data }) => ({ ...ofStudent(data.studentId), details: { kind: data.kind } }),
  },
);

/** AS-10 … AS-14: a sanction decided, or no longer in force (revoked, annulled). */
export const recordSanction = command<
  {
    sanctionId: string;
    studentId: string;
    kind: TypedEvent<'xueji.assessment.sanction.decided.v1'>['data']['kind'];
    inForce: boolean;
  },
  void,
  SystemActor
>({
  name: 'RECORD_SANCTION',
  roles: 'SYSTEM',
  async run(uow, d) {
    await uow.manager.query(
      `INSERT INTO graduation_sanction (sanction_id, student_id, kind, in_force) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sanction_id) DO UPDATE SET kind = EXCLUDED.kind, in_force = EXCLUDED.in_force`,
      [d.sanctionId, d.studentId, d.kind, d.inForce],
    );
  },
  audit: (_, d) => ({ ...ofStudent(d.studentId), details: { sanctionId: d.sanctionId, inForce: d.inForce } }),
});

import {
  APPEAL_OUTCOMES,
  APPEAL_STAGES,
  EXPULSION_AUTHORITY_STEPS,
  GRADUATION_INPUT_KINDS,
  SANCTION_KINDS,
  CONDUCT_GRADES,
  CONDUCT_PERIODS,
  CORRECTABLE_FIELDS,
  FRAUD_SIGNAL_KINDS,
  HOUSEHOLDS,
  PROGRAMMES,
  SCHOOL_STATUSES,
  SEXES,
  STATUS_CHANGED_EVENT_KINDS,
  STATUS_CODES,
  STUDY_FORMS,
  VOCATIONAL_CERTIFICATE_KINDS,
} from '@xueji/vocabulary';
import { z } from 'zod';
import { EnvelopeError, newEnvelope, type EventEnvelope } from './envelope';

const IsoDateTime = z.string().datetime({ offset: true });
const RegionCode = z.string().regex(/^\d{6}$/);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Uuid = z.string().uuid();
const StatusCode = z.enum(STATUS_CODES);

/**
 * Every event type the platform publishes, with its producer and the schema of its data.
 * Types are versioned (`.v1`); a breaking change is a new type, never an edit of an old one.
 * `partner: true` marks types whose data may be copied to partner topics as is; `partnerData` says what such a
 * type lets a partner act on and what it leaves out, and why (docs/asyncapi.yaml states it per type). `topic`:
 * a shared topic the type is published to instead of its producer's own (see `topicOfType`).
 */
export const contracts = {
  'xueji.enrolment.student.registered.v1': {
    producer: 'enrolment',
    partner: false,
    description: 'A school registered a student (submitted for the authority’s approval).',
    schema: z.object({
      studentId: z.string().uuid(),
      schoolId: z.string().uuid(),
      /** County code of the school, for regional scoping by consumers. */
      regionCode: RegionCode,
      name: z.string().min(1),
      registeredAt: IsoDateTime,
      /** Internal only: subsidy checks one ID number is not claimed at two schools (SB-4, ENR-7). */
      idNumber: z.string().optional(),
      /**
       * The student's date of birth, so assessment can tell a minor on a sanction's decision date (AS-11).
       * Optional: events published before it was added carry none.
       */
      birthDate: IsoDate.optional(),
      /** GR-11: the student's sex, which the public lookup shows. Optional: older events carry none. */
      sex: z.enum(SEXES).optional(),
    }),
  },
  'xueji.enrolment.school.registered.v1': {
    producer: 'enrolment',
    partner: true,
    description: 'A school was registered or its record changed (region, competent authority, status).',
    schema: z.object({
      schoolId: Uuid,
      code: z.string(),
      name: z.string(),
      regionCode: RegionCode,
      /** ADM-1: the region of the competent authority that reviews the school. */
      authorityRegionCode: RegionCode,
      nationalKey: z.boolean(),
      status: z.enum(SCHOOL_STATUSES),
      /** ENR-16: the majors the school is approved to teach (absent: not stated). */
      approvedMajorCodes: z.array(z.string()).optional(),
      /** ENR-20: its named off-site teaching points (absent: not stated). */
      teachingPointIds: z.array(Uuid).optional(),
      /** GR-11: the principal's name (校长), which the public lookup shows (absent: not stated). */
      principalName: z.string().min(1).max(30).optional(),
    }),
    partnerData: {
      actsOn:
        'The school by `schoolId` (the subject and the key): code, name, county, competent authority, status and what it ' +
        'is approved to teach; partners resolve the school ids of the other partner events with it.',
      omits: [
        'Students: a school record carries none. The principal’s name is public (GR-11: the certificate lookup shows it).',
      ],
    },
  },
  'xueji.enrolment.registration.approved.v1': {
    producer: 'enrolment',
    partner: false,
    description: 'The competent authority approved a registration: the status is formal (ENR-5).',
    schema: z.object({
      studentId: Uuid,
      schoolId: Uuid,
      regionCode: RegionCode,
      studentNumber: z.string(),
      approvedAt: IsoDateTime,
      /** Where the school's competent authority is (ADM-1): who reviews this student's changes. */
      authorityRegionCode: RegionCode,
      entryDate: IsoDate,
      studyForm: z.enum(STUDY_FORMS),
      programme: z.enum(PROGRAMMES),
      expectedYears: z.number().int().positive(),
      majorCode: z.string().nullable(),
      majorCategoryCode: z.string().nullable(),
      agricultureRelated: z.boolean(),
      waiverExcluded: z.boolean(),
      household: z.enum(HOUSEHOLDS).nullable(),
      /** Enrolled at an off-site teaching point (SB-4 evidence). */
      teachingPointId: Uuid.nullable(),
      /**
       * ADM-3 / SC-22 (GR-1 jilin): the school submitted the registration on `submittedOn`, the authority's final
       * approval fell on `approvedOn` (China days); `approvedInTime` when that is within the month of the
       * submission. Optional: events published before they were added carry none (not known late).
       */
      submittedOn: IsoDate.optional(),
      approvedOn: IsoDate.optional(),
      approvedInTime: z.boolean().optional(),
    }),
  },
  'xueji.enrolment.registration.rejected.v1': {
    producer: 'enrolment',
    partner: false,
    description: 'The competent authority rejected a registration.',
    schema: z.object({ studentId: Uuid, schoolId: Uuid, reason: z.string(), rejectedAt: IsoDateTime }),
  },
  'xueji.enrolment.registration.cancelled.v1': {
    producer: 'enrolment',
    partner: false,
    description: 'A registration was cancelled at the entrance re-check (ENR-9).',
    schema: z.object({ studentId: Uuid, schoolId: Uuid, reason: z.string(), cancelledAt: IsoDateTime }),
  },
  'xueji.enrolment.admission.deferred.v1': {
    producer: 'enrolment',
    partner: false,
    description: 'An ill student keeps the admission without status until a date (ENR-10; no benefits, SB-2).',
    schema: z.object({ studentId: Uuid, schoolId: Uuid, deferredUntil: IsoDate, deferredAt: IsoDateTime }),
  },
  'xueji.enrolment.term-registration.lapsed.v1': {
    producer: 'enrolment',
    partner: false,
    description: 'A formal student did not register for the term within the limit (ENR-17): treated as withdrawing.',
    schema: z.object({
      studentId: Uuid,
      schoolId: Uuid,
      regionCode: RegionCode,
      term: z.string(),
      termStartsOn: IsoDate,
      detectedAt: IsoDateTime,
    }),
  },
  'xueji.status-change.status.changed.v1': {
    producer: 'status-change',
    partner: false,
    description: 'A status change took effect (transfer, major change, suspension, withdrawal, …).',
    schema: z.object({
      studentId: Uuid,
      kind: z.enum(STATUS_CHANGED_EVENT_KINDS),
      effectiveDate: IsoDate,
      previousStatus: StatusCode,
      newStatus: StatusCode,
      schoolId: Uuid,
      regionCode: RegionCode,
      /** TRANSFER: the receiving school. */
      toSchoolId: Uuid.optional(),
      toRegionCode: RegionCode.optional(),
      /** TRANSFER: the sending school is in another province than the receiving one. */
      fromOtherProvince: z.boolean().optional(),
      /**
       * TRANSFER: the student comes from a general high school (普通高中), so the receiving school
       * may have to give a new student number (ENR-11). Optional: absent means false.
       */
      fromGeneralHighSchool: z.boolean().optional(),
      /** MAJOR_CHANGE / TRANSFER: the new major. */
      toMajorCode: z.string().optional(),
      /**
       * ADM-3 / SC-22 (GR-1 jilin): TRANSFER (the transfer-in at the receiving side), RESUMPTION and
       * MAJOR_CHANGE only: the school submitted the record on `submittedOn`, the authority's final
       * approval fell on `approvedOn` (China days); `approvedInTime` when that is within the month of the
       * submission. Optional: events published before they were added carry none (not known late).
       */
      submittedOn: IsoDate.optional(),
      approvedOn: IsoDate.optional(),
      approvedInTime: z.boolean().optional(),
    }),
  },
  'xueji.status-change.partner.status-changed.v1': {
    producer: 'status-change',
    partner: true,
    topic: 'partnerStatus',
    description: 'Partner copy of an effective status change: no ID numbers or other personal data.',
    schema: z.object({
      studentId: Uuid,
      kind: z.string(),
      effectiveDate: IsoDate,
      previousStatus: StatusCode,
      newStatus: StatusCode,
      schoolId: Uuid,
      toSchoolId: Uuid.optional(),
      /** Issue 14: the (origin) school's county, for region-scoped partners. Optional: older events carry none. */
      regionCode: RegionCode.optional(),
      /** TRANSFER: the receiving school's county, when status-change knows the school. */
      toRegionCode: RegionCode.optional(),
      /** The schools' names as status-change's directory holds them (not personal data). Optional. */
      schoolName: z.string().optional(),
      toSchoolName: z.string().optional(),
    }),
    partnerData: {
      actsOn:
        'The student by `studentId` (the subject and the key), the change (`kind`, `effectiveDate`, the statuses before ' +
        'and after) and where: the school (and for a transfer the receiving school) by id, name and county.',
      omits: [
        'ID numbers and student numbers (a student number may be G + the ID number, ENR-6): never on a partner topic (ADM-5).',
        'The student’s name, sex and date of birth: personal data of mostly minors a partner does not need to act on a ' +
          'student it already knows by `studentId` (minimum necessary); status-change does not hold them either.',
        'Reasons, grounds, evidence, sanctions and approvals behind the change: personal and sometimes sensitive; they stay in status-change.',
      ],
    },
  },
  'xueji.assessment.truancy.recorded.v1': {
    producer: 'assessment',
    partner: false,
    description: 'Truant class hours of a student in a semester so far (AS-8; 90 or more triggers SC-17).',
    schema: z.object({
      studentId: Uuid,
      semester: z.string(),
      truantHours: z.number().int().nonnegative(),
      recordedAt: IsoDateTime,
    }),
  },
  'xueji.assessment.results.changed.v1': {
    producer: 'assessment',
    partner: false,
    description:
      'A student’s results or credits changed (AS-1, AS-3, AS-4): the totals graduation needs (GR-1), as they stand now.',
    schema: z.object({
      studentId: Uuid,
      schoolId: Uuid,
      /** Courses of the student’s plan passed (or exempted, AS-4/AS-6), and failed after every sitting so far. */
      coursesPassed: z.number().int().nonnegative(),
      coursesFailed: z.number().int().nonnegative(),
      /** Courses of the plan without a result yet. */
      coursesOutstanding: z.number().int().nonnegative(),
      creditsEarned: z.number().nonnegative(),
      /** Credits the plan requires; null when the student has no plan yet. */
      creditsRequired: z.number().nonnegative().nullable(),
      /** AS-6: every PE course passed or exempted; null when the plan has no PE course. */
      pePassed: z.boolean().nullable(),
      changedAt: IsoDateTime,
    }),
  },
  'xueji.assessment.conduct.recorded.v1': {
    producer: 'assessment',
    partner: false,
    description: 'A conduct evaluation was recorded (AS-2): a semester’s, a year’s or the appraisal at graduation.',
    schema: z.object({
      studentId: Uuid,
      schoolId: Uuid,
      period: z.enum(CONDUCT_PERIODS),
      /** `2026-2027-1` for a semester, `2026-2027` for a year, null at graduation. */
      term: z.string().nullable(),
      /** Null where the profile evaluates by written comments (beijing) and none was given. */
      grade: z.enum(CONDUCT_GRADES).nullable(),
      recordedAt: IsoDateTime,
    }),
  },
  'xueji.assessment.year-failures.counted.v1': {
    producer: 'assessment',
    partner: false,
    description:
      'SC-11’s fact: the courses of one study year a student failed after make-ups, of the year’s courses (never under a credit system).',
    schema: z.object({
      studentId: Uuid,
      schoolId: Uuid,
      /** Study year of the plan counted from the cohort’s entry (1, 2, 3 …). */
      studyYear: z.number().int().positive(),
      failedCourses: z.number().int().nonnegative(),
      totalCourses: z.number().int().positive(),
      /** Failed ≥ the profile’s share of the year’s courses; null where the profile leaves the rule to the school. */
      reachesRepeatShare: z.boolean().nullable(),
      countedAt: IsoDateTime,
    }),
  },
  'xueji.assessment.absence.threshold-crossed.v1': {
    producer: 'assessment',
    partner: false,
    description:
      'A student has been away from school without leave for the profile’s consecutive days (SC-17 absenceDays; ENR-8).',
    schema: z.object({
      studentId: Uuid,
      schoolId: Uuid,
      regionCode: RegionCode,
      /** The run of days absent without leave, first and last day (inclusive). */
      absentFrom: IsoDate,
      absentTo: IsoDate,
      absentDays: z.number().int().positive(),
      /** The semester the run ends in, e.g. `2026-2027-1`. */
      semester: z.string(),
      recordedAt: IsoDateTime,
    }),
  },
  'xueji.assessment.sanction.decided.v1': {
    producer: 'assessment',
    partner: false,
    description:
      'A school decided a disciplinary sanction (AS-10); an expulsion may still await the authority (AS-11).',
    schema: z.object({
      sanctionId: Uuid,
      studentId: Uuid,
      schoolId: Uuid,
      kind: z.enum(SANCTION_KINDS),
      decidedOn: IsoDate,
      /** AS-11: an expulsion the authority must approve (beijing) is not yet in effect. */
      awaitsAuthority: z.boolean(),
      decidedAt: IsoDateTime,
    }),
  },
  'xueji.assessment.sanction.revoked.v1': {
    producer: 'assessment',
    partner: false,
    description: 'A sanction (warning … probation) was revoked (AS-12): it leaves the archive, kept for audit.',
    schema: z.object({
      sanctionId: Uuid,
      studentId: Uuid,
      kind: z.enum(SANCTION_KINDS),
      revokedOn: IsoDate,
      revokedAt: IsoDateTime,
    }),
  },
  'xueji.assessment.sanction.annulled.v1': {
    producer: 'assessment',
    partner: false,
    description: 'An appeal annulled a sanction (AS-14): it no longer stands.',
    schema: z.object({
      sanctionId: Uuid,
      studentId: Uuid,
      kind: z.enum(SANCTION_KINDS),
      appealId: Uuid,
      annulledOn: IsoDate,
      annulledAt: IsoDateTime,
    }),
  },
  'xueji.assessment.expulsion.effective.v1': {
    producer: 'assessment',
    partner: false,
    description:
      'An expulsion (开除学籍) took effect: filed with or approved by the competent authority (AS-11). status-change applies it.',
    schema: z.object({
      sanctionId: Uuid,
      studentId: Uuid,
      schoolId: Uuid,
      regionCode: RegionCode,
      /** The day the expulsion takes effect: the day the authority filed or approved it. */
      effectiveDate: IsoDate,
      decidedOn: IsoDate,
      authorityStep: z.enum(EXPULSION_AUTHORITY_STEPS),
      effectiveAt: IsoDateTime,
    }),
  },
  'xueji.assessment.appeal.decided.v1': {
    producer: 'assessment',
    partner: false,
    description:
      'An appeal against a sanction was decided (AS-14): upheld, changed or annulled; `expulsionLifted` when an expulsion no longer stands.',
    schema: z.object({
      appealId: Uuid,
      sanctionId: Uuid,
      studentId: Uuid,
      schoolId: Uuid,
      stage: z.enum(APPEAL_STAGES),
      outcome: z.enum(APPEAL_OUTCOMES),
      /** The sanction's kind before and after the decision (the same unless CHANGE; null when annulled). */
      previousKind: z.enum(SANCTION_KINDS),
      newKind: z.enum(SANCTION_KINDS).nullable(),
      /** An expulsion in effect was changed to a lesser sanction or annulled: the student's status is restored. */
      expulsionLifted: z.boolean(),
      decidedOn: IsoDate,
      decidedAt: IsoDateTime,
    }),
  },
  'xueji.assessment.internship.assessed.v1': {
    producer: 'assessment',
    partner: false,
    description:
      'The employer and the school assessed a placement internship jointly (AS-7); a failed one bars the diploma (GR-1).',
    schema: z.object({
      internshipId: Uuid,
      studentId: Uuid,
      schoolId: Uuid,
      passed: z.boolean(),
      assessedOn: IsoDate,
      assessedAt: IsoDateTime,
    }),
  },
  'xueji.assessment.graduation-input.recorded.v1': {
    producer: 'assessment',
    partner: false,
    description:
      'A graduation input of hubei-shiyan was recorded (AS-17): the year-1 culture sample test or the school skills competition.',
    schema: z.object({
      studentId: Uuid,
      schoolId: Uuid,
      kind: z.enum(GRADUATION_INPUT_KINDS),
      passed: z.boolean(),
      /** The score, where the test or competition gives one. */
      score: z.number().nullable(),
      heldOn: IsoDate,
      recordedAt: IsoDateTime,
    }),
  },
  'xueji.assessment.certificate.recorded.v1': {
    producer: 'assessment',
    partner: false,
    description:
      'The school recorded a vocational qualification or skill certificate a student holds, recognised for credits (AS-4); fujian’s graduation needs one (GR-1), the public lookup shows it (GR-11).',
    schema: z.object({
      /** The credit recognition that records it. */
      recognitionId: Uuid,
      studentId: Uuid,
      schoolId: Uuid,
      kind: z.enum(VOCATIONAL_CERTIFICATE_KINDS),
      /** As printed on the certificate, e.g. 计算机程序设计员（四级）. */
      title: z.string().min(1),
      /** The certificate's own number (never an ID number). */
      number: z.string().min(1),
      issuedOn: IsoDate,
      recordedAt: IsoDateTime,
    }),
  },
  'xueji.subsidy.waiver.granted.v1': {
    producer: 'subsidy',
    partner: false,
    description: 'The tuition waiver was granted for a period (SC-10 locks agriculture majors against major change).',
    schema: z.object({ studentId: Uuid, period: z.string(), grantedAt: IsoDateTime }),
  },
  'xueji.subsidy.eligibility.changed.v1': {
    producer: 'subsidy',
    partner: false,
    description:
      'A payment period’s grant or waiver decision changed (SB-7): internal, with the rule ids and facts behind it.',
    schema: z.object({
      studentId: Uuid,
      /** Payment period, e.g. 2026-autumn or 2027-spring. */
      period: z.string(),
      grantEligible: z.boolean(),
      waiverEligible: z.boolean(),
      /** Grant eligibility before this decision; null for the first decision of the period. */
      previousGrantEligible: z.boolean().nullable(),
      previousWaiverEligible: z.boolean().nullable(),
      grantReasons: z.array(z.object({ rule: z.string(), met: z.boolean(), en: z.string() })),
      waiverReasons: z.array(z.object({ rule: z.string(), met: z.boolean(), en: z.string() })),
      facts: z.record(z.unknown()),
      decidedAt: IsoDateTime,
    }),
  },
  'xueji.subsidy.fraud-signal.raised.v1': {
    producer: 'subsidy',
    partner: false,
    description: 'SB-4: a fraud signal was raised for a student (double status, ghost student, late registration, …).',
    schema: z.object({
      signalId: Uuid,
      studentId: Uuid,
      kind: z.enum(FRAUD_SIGNAL_KINDS),
      period: z.string().nullable(),
      messageEn: z.string(),
      raisedAt: IsoDateTime,
    }),
  },
  'xueji.subsidy.partner.eligibility-changed.v1': {
    producer: 'subsidy',
    partner: true,
    topic: 'partnerEligibility',
    description: 'Partner copy of a changed period decision: no reasons, facts or other personal data.',
    schema: z.object({
      studentId: Uuid,
      period: z.string(),
      grantEligible: z.boolean(),
      waiverEligible: z.boolean(),
      decidedAt: IsoDateTime,
      /** Issue 14: the student's school and its county, for region-scoped partners. Optional: older events carry none. */
      schoolId: Uuid.optional(),
      regionCode: RegionCode.optional(),
      /** The school's name as subsidy's school catalogue holds it (not personal data). Optional. */
      schoolName: z.string().optional(),
    }),
    partnerData: {
      actsOn:
        'The student by `studentId` (the subject and the key), the payment period and its two flags (grant, tuition ' +
        'waiver) as decided at `decidedAt`, and the school by id, name and county.',
      omits: [
        'ID numbers (subsidy keeps only a digest) and student numbers (a student number may be G + the ID number, ENR-6).',
        'The student’s name: personal data of mostly minors a partner does not need to act on a student it already ' +
          'knows by `studentId` (minimum necessary).',
        'The reasons and facts behind the decision (household, study form, status history, fraud signals): personal and ' +
          'sometimes sensitive; they stay on the internal `eligibility.changed`.',
      ],
    },
  },
  'xueji.status-change.personal-data.corrected.v1': {
    producer: 'status-change',
    partner: false,
    description:
      'An approved correction of personal data (SC-21); internal only, it may carry ID numbers. No longer published: ' +
      'corrections now go through `correction-approved` and enrolment’s answer. Enrolment still applies the ones on the topic.',
    schema: z.object({
      studentId: Uuid,
      effectiveDate: IsoDate,
      corrections: z
        .array(
          z.object({
            field: z.enum(CORRECTABLE_FIELDS),
            oldValue: z.string().nullable(),
            newValue: z.string(),
          }),
        )
        .min(1),
    }),
  },
  'xueji.status-change.personal-data.correction-approved.v1': {
    producer: 'status-change',
    partner: false,
    description:
      'A correction of personal data passed every approval and its date has come (SC-21). Enrolment, which owns ' +
      'personal data, applies or refuses it (ENR-7) and says so; the request is effective only then. Internal: it may carry ID numbers.',
    schema: z.object({
      requestId: Uuid,
      studentId: Uuid,
      effectiveDate: IsoDate,
      corrections: z
        .array(z.object({ field: z.enum(CORRECTABLE_FIELDS), oldValue: z.string().nullable(), newValue: z.string() }))
        .min(1),
      /**
       * ADM-3 / SC-22 (GR-1 jilin): the school submitted the correction (the data-change record) on `submittedOn`, the authority's final
       * approval fell on `approvedOn` (China days); `approvedInTime` when that is within the month of the
       * submission. Optional: events published before they were added carry none (not known late).
       */
      submittedOn: IsoDate.optional(),
      approvedOn: IsoDate.optional(),
      approvedInTime: z.boolean().optional(),
    }),
  },
  'xueji.enrolment.personal-data.corrected.v1': {
    producer: 'enrolment',
    partner: false,
    description:
      'Enrolment applied a correction of personal data (SC-21): the values the record holds now. Other services learn ' +
      'names and ID numbers from this, never from the request. Internal: it may carry ID numbers.',
    schema: z.object({
      studentId: Uuid,
      /** The status-change request it settles; null for a correction published before requests were answered. */
      requestId: Uuid.nullable(),
      effectiveDate: IsoDate,
      corrections: z.array(z.object({ field: z.enum(CORRECTABLE_FIELDS), newValue: z.string() })).min(1),
      correctedAt: IsoDateTime,
      /** The data-change record's timing as status-change's \`correction-approved\` gave it (GR-1 jilin); optional. */
      submittedOn: IsoDate.optional(),
      approvedOn: IsoDate.optional(),
      approvedInTime: z.boolean().optional(),
    }),
  },
  'xueji.enrolment.personal-data.correction-refused.v1': {
    producer: 'enrolment',
    partner: false,
    description:
      'Enrolment refused an approved correction (ENR-7: the new ID number holds an active status elsewhere, or another ' +
      'kind of status); the request ends refused with this rule and nothing is applied anywhere.',
    schema: z.object({
      studentId: Uuid,
      requestId: Uuid,
      rule: z.string(),
      reason: z.object({ zh: z.string(), en: z.string() }),
      refusedAt: IsoDateTime,
    }),
  },
  'xueji.graduation.diploma.issued.v1': {
    producer: 'graduation',
    partner: false,
    description:
      'A diploma (毕业证书) was issued: the authority approved the graduate list (GR-3) or a completion certificate was ' +
      'exchanged (GR-6). The graduation is effective on `graduationDate`: status-change records GRADUATED.',
    schema: z.object({
      certificateId: Uuid,
      studentId: Uuid,
      schoolId: Uuid,
      regionCode: RegionCode,
      /** GR-4: the diploma's number in the profile's format. */
      number: z.string(),
      programme: z.enum(PROGRAMMES),
      studyForm: z.enum(STUDY_FORMS),
      majorCode: z.string().nullable(),
      /** The graduation date: the approval, or the exchange date (GR-6). */
      graduationDate: IsoDate,
      /** The graduate list it was approved on; null for an exchange. */
      listId: Uuid.nullable(),
      /** GR-6: it replaces a certificate of completion. */
      exchangedCompletion: z.boolean(),
      issuedAt: IsoDateTime,
    }),
  },
  'xueji.graduation.completion.issued.v1': {
    producer: 'graduation',
    partner: false,
    description:
      'A certificate of completion (结业证书) was issued because results, credits or conduct fell short at the end (GR-6): ' +
      'status-change records COMPLETED.',
    schema: z.object({
      certificateId: Uuid,
      studentId: Uuid,
      schoolId: Uuid,
      regionCode: RegionCode,
      number: z.string(),
      completionDate: IsoDate,
      issuedAt: IsoDateTime,
    }),
  },
  'xueji.graduation.certificates.recalled.v1': {
    producer: 'graduation',
    partner: false,
    description:
      'GR-9: the admission broke the rules (ENR-9, SC-19): every certificate issued to the student was recalled and declared void.',
    schema: z.object({
      studentId: Uuid,
      certificateIds: z.array(Uuid).min(1),
      reason: z.string(),
      recalledAt: IsoDateTime,
    }),
  },
  'xueji.enrolment.student-number.assigned.v1': {
    producer: 'enrolment',
    partner: false,
    description:
      'ENR-11: a transfer gave the student a new student number (from another province, or from a general high ' +
      'school). Internal: a number may carry the ID number (ENR-6).',
    schema: z.object({ studentId: Uuid, schoolId: Uuid, studentNumber: z.string(), assignedAt: IsoDateTime }),
  },
} as const;

export type EventType = keyof typeof contracts;
export type EventData<T extends EventType> = z.infer<(typeof contracts)[T]['schema']>;
export type TypedEvent<T extends EventType> = EventEnvelope<EventData<T>> & { type: T };

export const EVENT_TYPES = Object.keys(contracts) as EventType[];

/** The topics a type may be published to: its producer's own, or a shared one (the keys of @xueji/config's topic names). */
export type ContractTopic = 'own' | 'partnerStatus' | 'partnerEligibility';

/** Where events of `type` are published: the partner copies go to the shared partner topics, the rest to the producer's own. */
export function topicOfType(type: EventType): ContractTopic {
  const contract = contracts[type];
  return 'topic' in contract ? contract.topic : 'own';
}

export function isKnownEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(contracts, type);
}

/** Build an event of a known type; its data is checked against the contract before it is written. */
export function createEvent<T extends EventType>(
  type: T,
  subject: string,
  data: EventData<T>,
  options: { id?: string; time?: Date } = {},
): TypedEvent<T> {
  const contract = contracts[type];
  const parsed = contract.schema.parse(data) as EventData<T>;
  return newEnvelope({
    type,
    source: `/xueji/${contract.producer}`,
    subject,
    data: parsed,
    ...options,
  }) as TypedEvent<T>;
}

/** Check a received event's data against its contract; a mismatch is an EnvelopeError (dead-lettered). */
export function parseEvent<T extends EventType>(envelope: EventEnvelope, type: T): TypedEvent<T> {
  const result = contracts[type].schema.safeParse(envelope.data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ');
    throw new EnvelopeError(`${type} ${envelope.id} breaks its contract: ${problems}`);
  }
  return { ...envelope, type, data: result.data } as TypedEvent<T>;
}

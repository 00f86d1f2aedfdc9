import {
  CORRECTABLE_FIELDS,
  FRAUD_SIGNAL_KINDS,
  HOUSEHOLDS,
  PROGRAMMES,
  SCHOOL_STATUSES,
  STATUS_CHANGED_EVENT_KINDS,
  STATUS_CODES,
  STUDY_FORMS,
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
 * `partner: true` marks types whose data may be copied to partner topics as is.
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
    }),
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
    }),
  },
  'xueji.status-change.partner.status-changed.v1': {
    producer: 'status-change',
    partner: true,
    description: 'Partner copy of an effective status change: no ID numbers or other personal data.',
    schema: z.object({
      studentId: Uuid,
      kind: z.string(),
      effectiveDate: IsoDate,
      previousStatus: StatusCode,
      newStatus: StatusCode,
      schoolId: Uuid,
      toSchoolId: Uuid.optional(),
    }),
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
    description: 'Partner copy of a changed period decision: no reasons, facts or other personal data.',
    schema: z.object({
      studentId: Uuid,
      period: z.string(),
      grantEligible: z.boolean(),
      waiverEligible: z.boolean(),
      decidedAt: IsoDateTime,
    }),
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
} as const;

export type EventType = keyof typeof contracts;
export type EventData<T extends EventType> = z.infer<(typeof contracts)[T]['schema']>;
export type TypedEvent<T extends EventType> = EventEnvelope<EventData<T>> & { type: T };

export const EVENT_TYPES = Object.keys(contracts) as EventType[];

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

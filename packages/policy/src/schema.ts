import { z } from 'zod';

/** A calendar day without a year, `MM-DD`. */
const MonthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected MM-DD');
const Intake = z.enum(['spring', 'autumn', 'any']);

/**
 * Parameters of the numbered rules of POLICY.md. Keys are rule ids so that `grep -r SC-13` finds
 * the rule's values here and in every profile. A rule a profile does not apply has `applies: false`.
 */
export const RuleParametersSchema = z.object({
  /** ENR-1 who may enrol: primary-school graduates for arts/sports majors; adults (veterans, workers) by diploma. */
  'ENR-1': z.object({
    primaryGraduatesForArtsSports: z.boolean(),
    adultsAllowed: z.boolean(),
    /** Major categories counted as arts or sports (2021 catalogue category codes). */
    artsSportsCategories: z.array(z.string().regex(/^\d{2}$/)),
  }),
  /** ENR-2 identity check: the card's birth date and sex must agree; a photo may be required at registration. */
  'ENR-2': z.object({ photoRequired: z.boolean() }),
  /** ENR-3 late arrival: days after which an unexcused late student's admission lapses (null: the school sets it). */
  'ENR-3': z.object({ applies: z.boolean(), lateArrivalLimitDays: z.number().int().positive().nullable() }),
  /** ENR-4 registration windows: the last day electronic registration is accepted, per intake. */
  'ENR-4': z.object({
    windows: z
      .array(
        z.object({
          intake: Intake,
          /** Months of entry that belong to this intake, inclusive (fujian: spring Jan–May, autumn Jun–Dec). */
          entryMonths: z.tuple([z.number().int().min(1).max(12), z.number().int().min(1).max(12)]),
          /** Checked (审核) by this day. */
          reviewBy: MonthDay.nullable(),
          /** Filed/registered by this day; after it, no registration for that year. */
          deadline: MonthDay,
          /** Only students who are not this year's junior-secondary graduates (jilin spring). */
          onlyNonFreshGraduates: z.boolean().default(false),
        }),
      )
      .min(1),
  }),
  /** ENR-7 kinds of other status that exclude a vocational status. */
  'ENR-7': z.object({
    excludedStatusKinds: z.array(z.enum(['GENERAL_HIGH_SCHOOL', 'UNIVERSITY', 'TECHNICAL_SCHOOL'])),
  }),
  /** ENR-9 re-check after arrival: months within which an ineligible student's status is cancelled (null: any time). */
  'ENR-9': z.object({ recheckWithinMonths: z.number().int().positive().nullable() }),
  /** ENR-10 deferred admission for illness. */
  'ENR-10': z.object({ applies: z.boolean(), deferralYears: z.number().int().positive() }),
  /** ENR-11 student number format. */
  'ENR-11': z.object({ format: z.enum(['ID_DERIVED', 'FUJIAN_10_DIGIT']) }),
  /** ENR-12 study forms registered under this profile. */
  'ENR-12': z.object({ studyForms: z.array(z.enum(['FULL_TIME', 'PART_TIME', 'FLEXIBLE'])).min(1) }),
  /** ENR-13 programme length in years by entry level; flexible-study range. */
  'ENR-13': z.object({
    standardYears: z.object({ junior: z.number().int(), senior: z.number().int(), primaryArts: z.number().int() }),
    flexibleYears: z.object({ min: z.number().int(), max: z.number().int() }),
  }),
  /** ENR-14 integrated programmes: years of vocational status; whether a partner college must be named. */
  'ENR-14': z.object({ vocationalStageYears: z.number().int().positive(), partnerCollegeRequired: z.boolean() }),
  /** ENR-15 joint enrolment: register at the school attended, filed with the partner; who may run it. */
  'ENR-15': z.object({ nationalKeySchoolsOnly: z.boolean() }),
  /** ENR-16 admission by major category (the specific major chosen later); majors must be in the catalogue and approved. */
  'ENR-16': z.object({ admissionByCategory: z.boolean() }),
  /** ENR-17 term registration: days without registering after term start that count as withdrawal. */
  'ENR-17': z.object({
    applies: z.boolean(),
    lapseDays: z.number().int().positive(),
    /** First day of the autumn and spring terms. */
    termStarts: z.object({ autumn: MonthDay, spring: MonthDay }),
  }),
  /** ENR-18 archive sections beyond the baseline's (beijing: admission papers, health record). */
  'ENR-18': z.object({ extraSections: z.array(z.enum(['ADMISSION_PAPERS', 'HEALTH_RECORD'])) }),
  /** ENR-20 extra review when a school recruits more than this many students from outside its area. */
  'ENR-20': z.object({ applies: z.boolean(), outOfAreaThreshold: z.number().int().positive() }),
  /** ENR-21 foreign / HK / Macao / Taiwan students follow separate rules. */
  'ENR-21': z.object({ applies: z.boolean() }),
  /** SC-1 flexible-study students may not transfer, change major or suspend. */
  'SC-1': z.object({ applies: z.boolean() }),
  /** SC-13 suspension length and cumulative cap; military service outside the cap. */
  'SC-13': z.object({
    periodUnit: z.enum(['year', 'semester']),
    cumulativeCapMonths: z.number().int().positive(),
    militaryServiceCounts: z.boolean(),
  }),
  /** SC-17 imposed withdrawal triggers. */
  'SC-17': z.object({
    mode: z.enum(['may', 'shall']),
    overdueResumptionDays: z.number().int().positive(),
    truancyHoursPerSemester: z.number().int().positive(),
    absenceDays: z.number().int().positive(),
    notifyGuardian: z.boolean(),
    publicNoticeDays: z.number().int().positive().nullable(),
  }),
  /** ADM-4 monthly reports: due day of the following month (null: end of the month itself). */
  'ADM-4': z.object({ dueDayOfNextMonth: z.number().int().min(1).max(28).nullable() }),
  /** AS-14 appeals, in working days of the national holiday calendar. */
  'AS-14': z.object({
    appealWorkingDays: z.number().int().positive(),
    authorityAnswerWorkingDays: z.number().int().positive(),
  }),
  /** SB-6 grant and tuition-waiver parameters (national policy, configurable). */
  'SB-6': z.object({
    grant: z.object({
      annualAmountCny: z.number().positive(),
      paymentPeriods: z.array(z.enum(['spring', 'autumn'])).min(1),
      eligibleStudyYears: z.array(z.number().int().positive()).min(1),
      studyForms: z.array(z.enum(['FULL_TIME', 'PART_TIME', 'FLEXIBLE'])).min(1),
      householdCategories: z.array(z.enum(['RURAL', 'URBAN_ECONOMIC_DIFFICULTY'])).min(1),
    }),
    waiver: z.object({
      eligibleStudyYears: z.array(z.number().int().positive()).min(1),
      studyForms: z.array(z.enum(['FULL_TIME', 'PART_TIME', 'FLEXIBLE'])).min(1),
      excludeWaiverExcludedMajors: z.boolean(),
    }),
  }),
});

export const PolicyProfileSchema = z.object({
  id: z.string(),
  name: z.object({ zh: z.string(), en: z.string() }),
  /** Province-level administrative code of the deployment (GB/T 2260), null for the national baseline. */
  provinceCode: z
    .string()
    .regex(/^\d{6}$/)
    .nullable(),
  /** The source document of POLICY.md this profile digests. */
  source: z.string(),
  rules: RuleParametersSchema,
});

export type RuleParameters = z.infer<typeof RuleParametersSchema>;
export type RuleId = keyof RuleParameters;
export type PolicyProfile = z.infer<typeof PolicyProfileSchema>;

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** A profile as written: the baseline's values hold wherever it says nothing. */
export interface ProfileOverride {
  id: string;
  name: { zh: string; en: string };
  provinceCode: string | null;
  source: string;
  rules: DeepPartial<RuleParameters>;
}

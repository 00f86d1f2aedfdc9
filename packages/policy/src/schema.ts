import {
  APPROVAL_STEPS,
  DECIDING_BODIES,
  REWARD_LEVELS,
  EXPULSION_AUTHORITY_STEPS,
  SANCTION_KINDS,
  CANCELLATION_GROUNDS,
  CONDUCT_FORMS,
  CORRECTABLE_FIELDS,
  CREDENTIAL_CERTIFICATE_ISSUERS,
  DIPLOMA_NUMBER_FORMATS,
  GRADUATION_CONDITIONS,
  GRADUATION_SEASONS,
  EXTRA_ARCHIVE_SECTIONS,
  HOSPITAL_LEVELS,
  HOUSEHOLDS,
  IMPOSED_WITHDRAWAL_MODES,
  LOSS_PROOFS,
  MAJOR_CHANGE_GROUNDS,
  OTHER_STATUS_KINDS,
  PAYMENT_SEASONS,
  PROGRAMMES,
  REGISTRATION_WINDOW_INTAKES,
  STUDENT_NUMBER_FORMATS,
  STUDY_FORMS,
  SUSPENSION_GROUNDS,
  SUSPENSION_PERIOD_UNITS,
  TRANSFER_GROUNDS,
  TRANSFER_TIMINGS,
  WITHDRAWAL_GROUNDS,
} from '@xueji/vocabulary';
import { z } from 'zod';

/** A calendar day without a year, `MM-DD`. */
const MonthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected MM-DD');
/** The intake a registration window serves, or ANY (see REGISTRATION_WINDOW_INTAKES). */
const WindowIntake = z.enum(REGISTRATION_WINDOW_INTAKES);

// The closed lists are the vocabulary's (@xueji/vocabulary), shared with every service's domain.
const TransferGround = z.enum(TRANSFER_GROUNDS);
const ApprovalStep = z.enum(APPROVAL_STEPS);
const MajorChangeGround = z.enum(MAJOR_CHANGE_GROUNDS);
const SuspensionGround = z.enum(SUSPENSION_GROUNDS);
const WithdrawalGround = z.enum(WITHDRAWAL_GROUNDS);
const CancellationGround = z.enum(CANCELLATION_GROUNDS);
/** The hospital whose certificate counts (illness, disability, recovery). */
const HospitalLevel = z.enum(HOSPITAL_LEVELS);
const StudyForm = z.enum(STUDY_FORMS);
/** A semester of study counted from entry: year 1 semester 1 is the first. */
const StudySemester = z.object({
  studyYear: z.number().int().positive(),
  semester: z.union([z.literal(1), z.literal(2)]),
});

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
          intake: WindowIntake,
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
    excludedStatusKinds: z.array(z.enum(OTHER_STATUS_KINDS)),
  }),
  /** ENR-9 re-check after arrival: months within which an ineligible student's status is cancelled (null: any time). */
  'ENR-9': z.object({ recheckWithinMonths: z.number().int().positive().nullable() }),
  /** ENR-10 deferred admission for illness. */
  'ENR-10': z.object({ applies: z.boolean(), deferralYears: z.number().int().positive() }),
  /** ENR-11 student number format. */
  'ENR-11': z.object({ format: z.enum(STUDENT_NUMBER_FORMATS) }),
  /** ENR-12 study forms registered under this profile. */
  'ENR-12': z.object({ studyForms: z.array(StudyForm).min(1) }),
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
  'ENR-18': z.object({ extraSections: z.array(z.enum(EXTRA_ARCHIVE_SECTIONS)) }),
  /** ENR-20 extra review when a school recruits more than this many students from outside its area. */
  'ENR-20': z.object({ applies: z.boolean(), outOfAreaThreshold: z.number().int().positive() }),
  /** ENR-21 foreign / HK / Macao / Taiwan students follow separate rules. */
  'ENR-21': z.object({ applies: z.boolean() }),
  /** School-year calendar: first day of each semester; the study year and semester are counted from entry. */
  CALENDAR: z
    .object({ autumnSemesterStarts: MonthDay, springSemesterStarts: MonthDay })
    .refine((c) => c.springSemesterStarts < c.autumnSemesterStarts, 'the spring semester starts before the autumn one'),
  /** SC-1 flexible-study students may not transfer, change major or suspend. */
  'SC-1': z.object({ applies: z.boolean() }),
  /** SC-2 grounds on which a transfer may be requested. */
  'SC-2': z.object({ grounds: z.array(TransferGround).min(1) }),
  /** SC-3 approvals of a transfer, in order, within the province and across provinces. */
  'SC-3': z.object({ sameProvince: z.array(ApprovalStep).min(1), acrossProvinces: z.array(ApprovalStep).min(1) }),
  /** SC-4 no transfer before this many semesters of study, (optionally) in the graduating year, or while suspended. */
  'SC-4': z.object({ minSemestersStudied: z.number().int().min(0), graduatingYearBarred: z.boolean() }),
  /** SC-5 when a transfer (beijing: also a change of major) may happen relative to the semester start. */
  'SC-5': z.object({
    timing: z.enum(TRANSFER_TIMINGS),
    alsoMajorChange: z.boolean(),
  }),
  /** SC-6 general high-school students transferring in: time left at the vocational school; graduating year. */
  'SC-6': z.object({
    minMonthsAtVocationalSchool: z.number().int().positive(),
    intoGraduatingYear: z.boolean(),
    /** Months of high school after which the student is diverted (registered anew), not transferred (shiyan). */
    diversionAfterHighSchoolMonths: z.number().int().positive().nullable(),
  }),
  /** SC-7 programmes whose students may not transfer (beijing 贯通); a regular programme never is. */
  'SC-7': z.object({ programmes: z.array(z.enum(PROGRAMMES).exclude(['REGULAR'])) }),
  /** SC-8 grounds for a change of major; illness or disability needs a hospital certificate. */
  'SC-8': z.object({ grounds: z.array(MajorChangeGround).min(1), certificateHospital: HospitalLevel }),
  /** SC-9 last semester in which a change of major may take effect (at its end at the latest); never in the graduating year. */
  'SC-9': z.object({ acrossCategoriesBy: StudySemester, withinCategoryBy: StudySemester }),
  /** SC-10 agriculture-related majors that had the tuition waiver: no change of major (unless the province approves). */
  'SC-10': z.object({ applies: z.boolean(), provincialApprovalException: z.boolean() }),
  /** SC-11 repeating a year. */
  'SC-11': z.object({
    /** Share of the year's courses failed after make-up that leads to a repeat (null: the school's own rule). */
    failedShare: z
      .object({ numerator: z.number().int().positive(), denominator: z.number().int().positive() })
      .nullable(),
    /** Whether credit-system schools repeat at all. */
    creditSystemRepeats: z.boolean(),
    /** Every school of the profile runs the credit system (fujian). */
    allSchoolsCreditSystem: z.boolean(),
  }),
  /** SC-12 suspension grounds; illness needs a hospital certificate; work/start-up needs age and a year of study. */
  'SC-12': z.object({
    grounds: z.array(SuspensionGround).min(1),
    certificateHospital: HospitalLevel,
    workMinAge: z.number().int().positive(),
    workMinMonthsStudied: z.number().int().min(0),
  }),
  /** SC-15 resumption: days between the application and the day study resumes; health certificate after illness. */
  'SC-15': z.object({
    minLeadDays: z.number().int().min(0),
    maxLeadDays: z.number().int().positive().nullable(),
    certificateHospital: HospitalLevel,
  }),
  /** SC-16 voluntary withdrawal: the written application must be signed by the guardian too. */
  'SC-16': z.object({ guardianSignatureRequired: z.boolean() }),
  /** SC-13 suspension length and cumulative cap; military service outside the cap. */
  'SC-13': z.object({
    periodUnit: z.enum(SUSPENSION_PERIOD_UNITS),
    cumulativeCapMonths: z.number().int().positive(),
    militaryServiceCounts: z.boolean(),
  }),
  /** SC-17 imposed withdrawal triggers. */
  'SC-17': z.object({
    mode: z.enum(IMPOSED_WITHDRAWAL_MODES),
    overdueResumptionDays: z.number().int().positive(),
    truancyHoursPerSemester: z.number().int().positive(),
    absenceDays: z.number().int().positive(),
    notifyGuardian: z.boolean(),
    publicNoticeDays: z.number().int().positive().nullable(),
    /** Grounds of an imposed withdrawal (a lapsed term registration counts where ENR-17 applies). */
    imposedGrounds: z.array(WithdrawalGround),
  }),
  /** SC-18 a withdrawn student may not resume. */
  'SC-18': z.object({ applies: z.boolean() }),
  /** SC-19 grounds of cancellation (注销). */
  'SC-19': z.object({ grounds: z.array(CancellationGround).min(1) }),
  /** SC-21 personal-data fields a correction may change. */
  'SC-21': z.object({
    fields: z.array(z.enum(CORRECTABLE_FIELDS)).min(1),
  }),
  /** ADM-4 monthly reports: due day of the following month (null: end of the month itself). */
  'ADM-4': z.object({ dueDayOfNextMonth: z.number().int().min(1).max(28).nullable() }),
  /** AS-1 assessment: results (exam 考试 / test 考查) and conduct; the score that passes; credit system (fujian). */
  'AS-1': z.object({
    /** Lowest passing score on the 100-point scale. */
    passScore: z.number().int().min(1).max(100),
    /** Every school of the profile runs on credits (学分制): results earn credits, no repeats (SC-11). */
    creditSystem: z.boolean(),
  }),
  /** AS-2 conduct: four grades each semester, or written comments each term or year (beijing); appraisal at graduation. */
  'AS-2': z.object({
    form: z.enum(CONDUCT_FORMS),
    /** A full written appraisal (全面鉴定) is made at graduation. */
    graduationAppraisal: z.boolean(),
  }),
  /** AS-3 make-ups: the school sets number and timing; the profile's ceiling of make-ups per failed course. */
  'AS-3': z.object({ maxMakeUpsPerCourse: z.number().int().min(1) }),
  /** AS-4 certificates and prior work convert into credits or exempt courses; only flexible-study students (jilin). */
  'AS-4': z.object({ applies: z.boolean(), flexibleStudentsOnly: z.boolean() }),
  /** AS-5 strong students may sit next year's courses and earn their credits early. */
  'AS-5': z.object({ applies: z.boolean() }),
  /** AS-6 PE is compulsory; a medical exemption needs a hospital certificate (where allowed). */
  'AS-6': z.object({ medicalExemption: z.boolean(), certificateHospital: HospitalLevel }),
  /** AS-15 cheating or unapproved absence scores zero; a make-up after repentance (fujian). */
  'AS-15': z.object({ applies: z.boolean(), makeUpAfterRepentance: z.boolean() }),
  /** AS-16 results and conduct go into the archive: as recorded, or by term (fujian: each term). */
  'AS-16': z.object({ byTerm: z.boolean() }),
  /**
   * AS-7 placement internship: a three-party agreement always; (hubei-shiyan) after this share of the
   * teaching plan, applied for this many days ahead, at most this many months off campus in all.
   */
  'AS-7': z.object({
    minPlanShare: z
      .object({ numerator: z.number().int().positive(), denominator: z.number().int().positive() })
      .nullable(),
    applyDaysAhead: z.number().int().positive().nullable(),
    maxOffCampusMonths: z.number().int().positive().nullable(),
  }),
  /** AS-9 rewards: the levels the profile names, and whether a reward is posted publicly (beijing). */
  'AS-9': z.object({ levels: z.array(z.enum(REWARD_LEVELS)).min(1), publicPosting: z.boolean() }),
  /** AS-10 the sanctions, from the lightest to the heaviest. */
  'AS-10': z.object({ kinds: z.array(z.enum(SANCTION_KINDS)).min(1) }),
  /**
   * AS-11 expulsion: the school body that must decide it, what the competent authority does with it
   * (files it or approves it), and whether a minor (under `adultAge` on the decision date) is protected.
   */
  'AS-11': z.object({
    decidingBody: z.enum(DECIDING_BODIES),
    authorityStep: z.enum(EXPULSION_AUTHORITY_STEPS),
    minorsProtected: z.boolean(),
    adultAge: z.number().int().positive(),
  }),
  /**
   * AS-12 revocation of warning … probation: whole months after the decision before it may be revoked,
   * and whether it is revoked only on the student's application (fujian). Expulsion is never revoked.
   */
  'AS-12': z.object({
    revocableAfterMonths: z.object({
      WARNING: z.number().int().min(0),
      SERIOUS_WARNING: z.number().int().min(0),
      DEMERIT: z.number().int().min(0),
      PROBATION: z.number().int().min(0),
    }),
    onStudentApplication: z.boolean(),
  }),
  /** AS-13 school-level sanctions: the body that must decide them, and whether the decision is posted publicly. */
  'AS-13': z.object({ decidingBody: z.enum(DECIDING_BODIES), publicPosting: z.boolean() }),
  /** AS-17 the culture sample test and the school skills competition as graduation inputs (hubei-shiyan). */
  'AS-17': z.object({ applies: z.boolean(), cultureTestStudyYear: z.number().int().positive() }),
  /**
   * AS-14 appeals, in working days of the national holiday calendar; whether a review decision of the
   * school may be appealed to the authority at all (fujian: the school's review only).
   */
  'AS-14': z.object({
    appealWorkingDays: z.number().int().positive(),
    authorityAnswerWorkingDays: z.number().int().positive(),
    authorityAppeal: z.boolean(),
  }),
  /**
   * GR-1 graduation conditions: the ones the profile requires (data, not branches), and whether an
   * integrated (贯通) student who completes the vocational stage (ENR-14) may graduate (beijing).
   */
  'GR-1': z.object({
    conditions: z.array(z.enum(GRADUATION_CONDITIONS)).min(1),
    integratedAfterVocationalStage: z.boolean(),
  }),
  /** GR-2 early graduation (at most this many years early; 0: none) and the cap on late graduation (null: none). */
  'GR-2': z.object({
    earlyYears: z.number().int().min(0).max(1),
    lateCapYears: z.number().int().positive().nullable(),
  }),
  /**
   * GR-3 issuance: the windows in which the authority verifies a batch (null: any time) — each season's
   * batch between `from` and `to` of its year — and whether the city hands numbered blanks to schools.
   */
  'GR-3': z.object({
    verificationWindows: z
      .array(z.object({ season: z.enum(GRADUATION_SEASONS), from: MonthDay, to: MonthDay }))
      .min(1)
      .nullable(),
    cityIssuesBlanks: z.boolean(),
  }),
  /** GR-4 how diplomas are numbered; one student, one diploma, a unique number everywhere. */
  'GR-4': z.object({ format: z.enum(DIPLOMA_NUMBER_FORMATS) }),
  /** GR-5 flexible-study diplomas state the study form and duration. */
  'GR-5': z.object({ statesStudyFormAndDuration: z.boolean() }),
  /** GR-6 certificate of completion (结业), exchanged for a diploma after make-ups within this many years (null: no limit). */
  'GR-6': z.object({ applies: z.boolean(), exchangeWithinYears: z.number().int().positive().nullable() }),
  /**
   * GR-7 leaving early: a factual study record for every leaver; (fujian) a partial-study certificate
   * after at least `partialStudyMinYears` of study with passing results, stating the years.
   */
  /**
   * GR-8 a lost diploma or completion certificate is never reissued: an academic credential certificate
   * (学历证明书) of equal force instead, issued by `issuer` (AUTHORITY: reviewers of the school's authority
   * region; SCHOOL: its registrars) on the `requiredProofs`, at most once per original certificate where
   * `oncePerCertificate`.
   */
  'GR-8': z.object({
    applies: z.boolean(),
    issuer: z.enum(CREDENTIAL_CERTIFICATE_ISSUERS),
    requiredProofs: z.array(z.enum(LOSS_PROOFS)),
    oncePerCertificate: z.boolean(),
  }),
  /** GR-9 an admission that broke the rules: the certificates already issued are recalled and declared void. */
  'GR-9': z.object({ applies: z.boolean() }),
  /** GR-12 wrong or missing verification data are corrected by the issuing school through the authority. */
  'GR-12': z.object({ applies: z.boolean() }),
  'GR-7': z.object({
    studyRecord: z.boolean(),
    partialStudyCertificate: z.boolean(),
    partialStudyMinYears: z.number().int().positive(),
  }),
  /** SB-6 grant and tuition-waiver parameters (national policy, configurable). */
  'SB-6': z.object({
    grant: z.object({
      annualAmountCny: z.number().positive(),
      paymentPeriods: z.array(z.enum(PAYMENT_SEASONS)).min(1),
      eligibleStudyYears: z.array(z.number().int().positive()).min(1),
      studyForms: z.array(StudyForm).min(1),
      /** Households the grant may go to; a plain urban household never is one. */
      householdCategories: z.array(z.enum(HOUSEHOLDS).exclude(['URBAN'])).min(1),
    }),
    waiver: z.object({
      eligibleStudyYears: z.array(z.number().int().positive()).min(1),
      studyForms: z.array(StudyForm).min(1),
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

/**
 * The closed lists of the domain, each declared once. The GraphQL enums, the SQL CHECK constraints,
 * the event contracts, the policy schema and the TypeScript types all follow these lists;
 * `test/vocabulary.test.ts` and `test/vocabulary.int.test.ts` fail when one of them disagrees.
 *
 * Values are upper case, except where a list names something lower case elsewhere (the fields of
 * a personal-data correction, the season in a payment period's name `2026-autumn`, the policy's
 * own parameter words).
 */

// ── A student's status and its changes (status-change) ──────────────────────────────────────────

/** A student's status (学籍状态) as status-change keeps it. */
export const STATUS_CODES = [
  'REGISTRATION_PENDING',
  'ACTIVE',
  'SUSPENDED',
  'WITHDRAWN',
  'CANCELLED',
  'DECEASED',
  'TRANSFERRED_OUT',
  'EXPELLED',
  'GRADUATED',
  'COMPLETED',
] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

/** The statuses that end a student's time at school (离校): no in-school benefit after them (SB-3). */
export const ENDED_STATUS_CODES = [
  'WITHDRAWN',
  'CANCELLED',
  'DECEASED',
  'TRANSFERRED_OUT',
  'EXPELLED',
  'GRADUATED',
  'COMPLETED',
] as const satisfies readonly StatusCode[];

/** What a change request asks for (学籍异动; DATA_CORRECTION is a correction of personal data, 信息变更). */
export const CHANGE_KINDS = [
  'TRANSFER',
  'MAJOR_CHANGE',
  'REPEAT',
  'SUSPENSION',
  'RESUMPTION',
  'WITHDRAWAL',
  'CANCELLATION',
  'DEATH',
  'DATA_CORRECTION',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What moved a student's status in the status history (学籍变动记录): the registration, or a change. */
export const STATUS_CHANGE_KINDS = [
  'REGISTRATION',
  'TRANSFER',
  'MAJOR_CHANGE',
  'REPEAT',
  'SUSPENSION',
  'RESUMPTION',
  'WITHDRAWAL',
  'CANCELLATION',
  'DEATH',
  'DATA_CORRECTION',
] as const;
export type StatusChangeKind = (typeof STATUS_CHANGE_KINDS)[number];

/**
 * The kind of an effective status change an event announces (`status.changed`): the changes that
 * move a status, and the leavings other services will publish (开除学籍, 毕业, 结业).
 */
export const STATUS_CHANGED_EVENT_KINDS = [
  'TRANSFER',
  'MAJOR_CHANGE',
  'REPEAT',
  'SUSPENSION',
  'RESUMPTION',
  'WITHDRAWAL',
  'CANCELLATION',
  'DEATH',
  'EXPULSION',
  'GRADUATION',
  'COMPLETION',
] as const;
export type StatusChangedEventKind = (typeof STATUS_CHANGED_EVENT_KINDS)[number];

/** Where a change request stands (申请状态). */
/** APPLYING: a personal-data correction approved and due, waiting for enrolment (which owns the data) to apply it. */
export const REQUEST_STATES = ['PENDING', 'APPROVED', 'APPLYING', 'EFFECTIVE', 'REJECTED', 'WITHDRAWN'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** Who approves a change, in order (审批环节, SC-3 / ADM-2): the sending and the receiving school and authority. */
export const APPROVAL_STEPS = [
  'SENDING_SCHOOL',
  'SENDING_AUTHORITY',
  'RECEIVING_SCHOOL',
  'RECEIVING_AUTHORITY',
] as const;
export type ApprovalStepName = (typeof APPROVAL_STEPS)[number];

/** What someone did at one step of a request's history (办理记录). */
export const APPROVAL_ACTIONS = ['SUBMIT', 'APPROVE', 'REJECT', 'WITHDRAW', 'NOTIFY_GUARDIAN', 'TAKE_EFFECT'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/** Grounds of a transfer (转学理由, SC-2); the profile says which it allows. */
export const TRANSFER_GROUNDS = [
  'HOUSEHOLD_MOVE',
  'FAMILY_MOVE',
  'PERSONAL_WISH',
  'NO_FOLLOW_ON_CLASS',
  'OTHER',
] as const;
export type TransferGround = (typeof TRANSFER_GROUNDS)[number];

/** Grounds of a change of major (转专业理由, SC-8). */
export const MAJOR_CHANGE_GROUNDS = [
  'APTITUDE_OR_INTEREST',
  'ILLNESS_OR_DISABILITY',
  'MAJOR_DISCONTINUED',
  'OTHER',
] as const;
export type MajorChangeGround = (typeof MAJOR_CHANGE_GROUNDS)[number];

/** Grounds of a suspension (休学理由, SC-12). */
export const SUSPENSION_GROUNDS = ['ILLNESS', 'PERSONAL_LEAVE', 'MILITARY_SERVICE', 'ABROAD', 'WORK'] as const;
export type SuspensionGround = (typeof SUSPENSION_GROUNDS)[number];

/** Grounds of a withdrawal (退学): VOLUNTARY (本人申请, SC-16), the others imposed by the school (退学处理, SC-17). */
export const WITHDRAWAL_GROUNDS = [
  'VOLUNTARY',
  'SUSPENSION_OVERDUE',
  'SUSPENDED_TWO_YEARS_UNABLE',
  'TRUANCY',
  'ABSENT_WITHOUT_LEAVE',
  'BEYOND_MAXIMUM_LENGTH',
  'TERM_REGISTRATION_LAPSED',
] as const;
export type WithdrawalGround = (typeof WITHDRAWAL_GROUNDS)[number];

/** Grounds of a cancellation of status (注销学籍, SC-19). */
export const CANCELLATION_GROUNDS = [
  'INELIGIBLE_AT_RECHECK',
  'DEATH',
  'MISSING',
  'DUPLICATE_STATUS',
  'JOINT_SCHOOLING_TRANSFER',
] as const;
export type CancellationGround = (typeof CANCELLATION_GROUNDS)[number];

/** Personal-data fields a correction may change (信息变更项, SC-21), named as the student record names them. */
export const CORRECTABLE_FIELDS = ['name', 'sex', 'birthDate', 'address', 'idNumber', 'household'] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

/** The hospital whose certificate counts for illness, disability or recovery (医院等级). */
export const HOSPITAL_LEVELS = ['COUNTY_OR_ABOVE', 'GRADE_2A_OR_ABOVE'] as const;
export type HospitalLevel = (typeof HOSPITAL_LEVELS)[number];

/** The monthly reports (月报, ADM-4 / SC-22): status changes, and changes of personal data. */
export const REPORT_KINDS = ['STATUS_CHANGES', 'PERSONAL_DATA'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** When a transfer (beijing: also a change of major) may happen relative to the semester start (SC-5). */
export const TRANSFER_TIMINGS = [
  'ANY',
  'AT_SEMESTER_START',
  'BEFORE_SEMESTER_START',
  'FIRST_MONTH_OF_SEMESTER',
] as const;
export type TransferTiming = (typeof TRANSFER_TIMINGS)[number];

/** The unit a suspension is granted in (休学期限, SC-13); a policy parameter, lower case as the profiles write it. */
export const SUSPENSION_PERIOD_UNITS = ['year', 'semester'] as const;
export type SuspensionPeriodUnit = (typeof SUSPENSION_PERIOD_UNITS)[number];

/** Whether a trigger of SC-17 lets the school withdraw a student ('may', 可) or obliges it ('shall', 应). */
export const IMPOSED_WITHDRAWAL_MODES = ['may', 'shall'] as const;
export type ImposedWithdrawalMode = (typeof IMPOSED_WITHDRAWAL_MODES)[number];

// ── Schools, students and their registration (enrolment) ───────────────────────────────────────

/** Sex (性别), as the ID card gives it. */
export const SEXES = ['MALE', 'FEMALE'] as const;
export type Sex = (typeof SEXES)[number];

/** The intake a student joins (入学批次): spring (春季) or autumn (秋季). */
export const INTAKES = ['SPRING', 'AUTUMN'] as const;
export type Intake = (typeof INTAKES)[number];

/**
 * Which intake a registration window of ENR-4 serves: one intake, or ANY (beijing: one window all
 * year). Its own list, because ANY is not an intake a student can join.
 */
export const REGISTRATION_WINDOW_INTAKES = ['SPRING', 'AUTUMN', 'ANY'] as const;
export type RegistrationWindowIntake = (typeof REGISTRATION_WINDOW_INTAKES)[number];

/** The schooling a student enters from (生源): primary (小学), junior (初中) or senior secondary (高中), or an adult (社会人员). */
export const ENTRY_LEVELS = ['PRIMARY', 'JUNIOR', 'SENIOR', 'ADULT'] as const;
export type EntryLevel = (typeof ENTRY_LEVELS)[number];

/** Form of study (学习形式): full-time (全日制), part-time (非全日制) or flexible (弹性学习). */
export const STUDY_FORMS = ['FULL_TIME', 'PART_TIME', 'FLEXIBLE'] as const;
export type StudyForm = (typeof STUDY_FORMS)[number];

/** Programme (培养模式): regular, 3+2 with a college (三二分段), or integrated (五年一贯制 / 贯通). */
export const PROGRAMMES = ['REGULAR', 'THREE_PLUS_TWO', 'INTEGRATED'] as const;
export type Programme = (typeof PROGRAMMES)[number];

/** Where a student comes from (生源地区): the mainland, Hong Kong, Macao, Taiwan, or abroad (外籍). */
export const ORIGINS = ['MAINLAND', 'HONG_KONG', 'MACAO', 'TAIWAN', 'FOREIGN'] as const;
export type Origin = (typeof ORIGINS)[number];

/** Household type (户口性质): rural (农村), urban (城镇), urban in economic difficulty (城镇困难). */
export const HOUSEHOLDS = ['RURAL', 'URBAN', 'URBAN_ECONOMIC_DIFFICULTY'] as const;
export type Household = (typeof HOUSEHOLDS)[number];

/** Where a registration (注册) stands; DEFERRED keeps the admission without status (ENR-10). */
export const REGISTRATION_STATUSES = ['SUBMITTED', 'APPROVED', 'REJECTED', 'CANCELLED', 'DEFERRED'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** Whether a school runs (办学状态): active, suspended or closed. */
export const SCHOOL_STATUSES = ['ACTIVE', 'SUSPENDED', 'CLOSED'] as const;
export type SchoolStatus = (typeof SCHOOL_STATUSES)[number];

/** The tier of a school's competent authority (主管部门, ADM-1): province, city or county. */
export const AUTHORITY_TIERS = ['PROVINCE', 'CITY', 'COUNTY'] as const;
export type AuthorityTier = (typeof AUTHORITY_TIERS)[number];

/** Another kind of status a person may hold (ENR-7): general high school (普通高中), university (高校), technical school (技工院校). */
export const OTHER_STATUS_KINDS = ['GENERAL_HIGH_SCHOOL', 'UNIVERSITY', 'TECHNICAL_SCHOOL'] as const;
export type OtherStatusKind = (typeof OTHER_STATUS_KINDS)[number];

/** Format of the student number (学籍号, ENR-11): from the ID number, or fujian's 10 digits. */
export const STUDENT_NUMBER_FORMATS = ['ID_DERIVED', 'FUJIAN_10_DIGIT'] as const;
export type StudentNumberFormat = (typeof STUDENT_NUMBER_FORMATS)[number];

/** Archive sections (学籍档案) a profile adds to the baseline's (ENR-18): admission papers, health record. */
export const EXTRA_ARCHIVE_SECTIONS = ['ADMISSION_PAPERS', 'HEALTH_RECORD'] as const;
export type ExtraArchiveSection = (typeof EXTRA_ARCHIVE_SECTIONS)[number];

// ── Grant, tuition waiver and fraud signals (subsidy) ──────────────────────────────────────────

/** What an SB-4 fraud signal (疑点) says: double status, ghost student, late registration, unapproved major, off-site point. */
export const FRAUD_SIGNAL_KINDS = [
  'DOUBLE_STATUS',
  'GHOST_STUDENT',
  'LATE_REGISTRATION',
  'UNAPPROVED_MAJOR',
  'OFF_SITE_POINT',
] as const;
export type FraudSignalKind = (typeof FRAUD_SIGNAL_KINDS)[number];

/** Where a fraud signal stands: open, or confirmed or dismissed by a subsidy officer (核查结论). */
export const FRAUD_SIGNAL_STATES = ['OPEN', 'CONFIRMED', 'DISMISSED'] as const;
export type FraudSignalState = (typeof FRAUD_SIGNAL_STATES)[number];

/** A subsidy officer's decision on an open fraud signal. */
export const FRAUD_SIGNAL_DECISIONS = ['CONFIRM', 'DISMISS'] as const;
export type FraudSignalDecision = (typeof FRAUD_SIGNAL_DECISIONS)[number];

/** What an entitlement pays (应发记录): the national grant (国家助学金). */
export const ENTITLEMENT_KINDS = ['GRANT'] as const;
export type EntitlementKind = (typeof ENTITLEMENT_KINDS)[number];

/** Where an entitlement for a period stands: pending, paid (已发放) or cancelled. */
export const ENTITLEMENT_STATES = ['PENDING', 'PAID', 'CANCELLED'] as const;
export type EntitlementState = (typeof ENTITLEMENT_STATES)[number];

/**
 * The half of the school year a payment period covers (学期), lower case as in the period's name
 * (`2026-autumn`). Its own list: a season of payment is not an intake.
 */
export const PAYMENT_SEASONS = ['spring', 'autumn'] as const;
export type PaymentSeason = (typeof PAYMENT_SEASONS)[number];

// ── Graduation ──────────────────────────────────────────────────────────────────────────────────

/** Where a student's graduation case stands (毕业审核): audit, then diploma (毕业证书) or completion certificate (结业证书). */
export const GRADUATION_STAGES = [
  'NOT_STARTED',
  'AUDIT_REQUESTED',
  'AUDIT_PASSED',
  'AUDIT_FAILED',
  'DIPLOMA_ISSUED',
  'COMPLETION_CERTIFICATE_ISSUED',
] as const;
export type GraduationStage = (typeof GRADUATION_STAGES)[number];

/** Each GraphQL enum of the subgraph schemas, by its name, and the list its values must equal. */
export const GRAPHQL_ENUMS: Record<string, readonly string[]> = {
  // status-change
  StatusCode: STATUS_CODES,
  StatusChangeKind: STATUS_CHANGE_KINDS,
  ChangeKind: CHANGE_KINDS,
  RequestState: REQUEST_STATES,
  ApprovalStepName: APPROVAL_STEPS,
  ReportKind: REPORT_KINDS,
  TransferGround: TRANSFER_GROUNDS,
  MajorChangeGround: MAJOR_CHANGE_GROUNDS,
  SuspensionGround: SUSPENSION_GROUNDS,
  WithdrawalGround: WITHDRAWAL_GROUNDS,
  CancellationGround: CANCELLATION_GROUNDS,
  // enrolment
  AuthorityTier: AUTHORITY_TIERS,
  SchoolStatus: SCHOOL_STATUSES,
  Sex: SEXES,
  Intake: INTAKES,
  EntryLevel: ENTRY_LEVELS,
  StudyForm: STUDY_FORMS,
  Programme: PROGRAMMES,
  Origin: ORIGINS,
  Household: HOUSEHOLDS,
  RegistrationStatus: REGISTRATION_STATUSES,
  OtherStatusKind: OTHER_STATUS_KINDS,
  // subsidy
  FraudSignalKind: FRAUD_SIGNAL_KINDS,
  FraudSignalState: FRAUD_SIGNAL_STATES,
  FraudSignalDecision: FRAUD_SIGNAL_DECISIONS,
  EntitlementState: ENTITLEMENT_STATES,
  // graduation
  GraduationStage: GRADUATION_STAGES,
};

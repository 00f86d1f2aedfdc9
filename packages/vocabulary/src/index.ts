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

/**
 * What moved a student's status in the status history (学籍变动记录): the registration, a change, an
 * expulsion assessment decided (开除学籍, AS-11), the status restored when an appeal lifted it (AS-14),
 * or the diploma or completion certificate graduation issued (毕业, 结业: GR-3, GR-6).
 */
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
  'EXPULSION',
  'REINSTATEMENT',
  'GRADUATION',
  'COMPLETION',
] as const;
export type StatusChangeKind = (typeof STATUS_CHANGE_KINDS)[number];

/**
 * The kind of an effective status change an event announces (`status.changed`): the changes that
 * move a status, the leavings other services decide (开除学籍, 毕业, 结业), and the status restored
 * when an appeal lifts an expulsion (AS-14).
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
  'REINSTATEMENT',
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

// ── Teaching plans, results, credits and conduct (assessment, part A) ───────────────────────────

/** How a course is assessed (AS-1): examination (考试) or test (考查). */
export const ASSESSMENT_TYPES = ['EXAM', 'TEST'] as const;
export type AssessmentType = (typeof ASSESSMENT_TYPES)[number];

/** Whether a course of the plan must be taken: compulsory (必修) or elective (选修). */
export const COURSE_REQUIREMENTS = ['COMPULSORY', 'ELECTIVE'] as const;
export type CourseRequirement = (typeof COURSE_REQUIREMENTS)[number];

/** The part of the plan a course belongs to: public basic (公共基础课) or professional (专业课). */
export const COURSE_CATEGORIES = ['PUBLIC_BASIC', 'PROFESSIONAL'] as const;
export type CourseCategory = (typeof COURSE_CATEGORIES)[number];

/** Which sitting a result is of (AS-3): the regular one, a make-up (补考) or a retake (重修). */
export const RESULT_ATTEMPTS = ['REGULAR', 'MAKE_UP', 'RETAKE'] as const;
export type ResultAttempt = (typeof RESULT_ATTEMPTS)[number];

/**
 * A result on the five-grade scale (优/良/中/及格/不及格); a test (考查) may be graded pass/fail
 * with PASS and FAIL alone.
 */
export const RESULT_GRADES = ['EXCELLENT', 'GOOD', 'FAIR', 'PASS', 'FAIL'] as const;
export type ResultGrade = (typeof RESULT_GRADES)[number];

/** What went wrong at an examination (AS-15, fujian): cheating (作弊) or absence without approval (无故缺考). */
export const EXAM_IRREGULARITIES = ['CHEATING', 'UNAPPROVED_ABSENCE'] as const;
export type ExamIrregularity = (typeof EXAM_IRREGULARITIES)[number];

/** A conduct grade (操行等级, AS-2): 优秀/良好/合格/不合格. */
export const CONDUCT_GRADES = ['EXCELLENT', 'GOOD', 'PASS', 'FAIL'] as const;
export type ConductGrade = (typeof CONDUCT_GRADES)[number];

/** What a conduct evaluation covers (AS-2): a semester, a school year (beijing), or the appraisal at graduation. */
export const CONDUCT_PERIODS = ['SEMESTER', 'YEAR', 'GRADUATION'] as const;
export type ConductPeriod = (typeof CONDUCT_PERIODS)[number];

/**
 * What a recognition of credits rests on (AS-4, AS-6): a vocational qualification (职业资格证书), a
 * skill certificate (职业技能等级证书), prior work (工作经历), or a medical exemption from PE (免修体育).
 */
export const CREDIT_RECOGNITION_KINDS = [
  'VOCATIONAL_QUALIFICATION',
  'SKILL_CERTIFICATE',
  'PRIOR_WORK',
  'MEDICAL_EXEMPTION',
] as const;
export type CreditRecognitionKind = (typeof CREDIT_RECOGNITION_KINDS)[number];

/** How a profile evaluates conduct (AS-2): four grades, or written comments (写实性评语, beijing); a policy word. */
export const CONDUCT_FORMS = ['FOUR_GRADES', 'WRITTEN_COMMENTS'] as const;
export type ConductForm = (typeof CONDUCT_FORMS)[number];

// ── Attendance, sanctions, appeals, rewards, internships (assessment, part B) ──────────────────

/** A disciplinary sanction (纪律处分, AS-10), from the lightest to the heaviest: 警告、严重警告、记过、留校察看、开除学籍. */
export const SANCTION_KINDS = ['WARNING', 'SERIOUS_WARNING', 'DEMERIT', 'PROBATION', 'EXPULSION'] as const;
export type SanctionKind = (typeof SANCTION_KINDS)[number];

/**
 * Where a sanction stands: an expulsion awaiting the authority (AS-11), in effect, refused by the
 * authority, revoked (AS-12, kept for audit) or annulled on appeal (AS-14).
 */
export const SANCTION_STATES = ['PENDING_AUTHORITY', 'EFFECTIVE', 'REJECTED', 'REVOKED', 'ANNULLED'] as const;
export type SanctionState = (typeof SANCTION_STATES)[number];

/**
 * Who at the school decided a sanction (AS-11, AS-13): its student-affairs office (学生工作部门), the
 * principal's office meeting (校长办公会议) or the school affairs meeting (校务会).
 */
export const DECIDING_BODIES = ['SCHOOL_OFFICE', 'PRINCIPAL_OFFICE_MEETING', 'SCHOOL_AFFAIRS_MEETING'] as const;
export type DecidingBody = (typeof DECIDING_BODIES)[number];

/** What the competent authority does with an expulsion (AS-11): file it (备案) or approve it (核准). */
export const EXPULSION_AUTHORITY_STEPS = ['FILING', 'APPROVAL'] as const;
export type ExpulsionAuthorityStep = (typeof EXPULSION_AUTHORITY_STEPS)[number];

/** Who hears an appeal (AS-14): the school's appeal body (复查) first, then the competent authority. */
export const APPEAL_STAGES = ['SCHOOL', 'AUTHORITY'] as const;
export type AppealStage = (typeof APPEAL_STAGES)[number];

/** Where an appeal stands: awaiting its answer, or decided. */
export const APPEAL_STATES = ['PENDING', 'DECIDED'] as const;
export type AppealState = (typeof APPEAL_STATES)[number];

/** What an appeal decided about the sanction (AS-14): upheld (维持), changed to another kind (变更) or annulled (撤销). */
export const APPEAL_OUTCOMES = ['UPHOLD', 'CHANGE', 'ANNUL'] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];

/**
 * The level of a reward (奖励层次, AS-9): national (国家/全国), provincial or municipal (省/直辖市), city
 * (市), county or district (县/区), industry (行业), school (校).
 */
export const REWARD_LEVELS = ['NATIONAL', 'PROVINCIAL', 'CITY', 'COUNTY', 'INDUSTRY', 'SCHOOL'] as const;
export type RewardLevel = (typeof REWARD_LEVELS)[number];

/** A single award (单项奖) or an overall one (综合奖), AS-9. */
export const REWARD_SCOPES = ['SINGLE', 'OVERALL'] as const;
export type RewardScope = (typeof REWARD_SCOPES)[number];

/** What a reward confers (AS-9): an honorary title (荣誉称号) or a scholarship (奖学金). */
export const REWARD_FORMS = ['TITLE', 'SCHOLARSHIP'] as const;
export type RewardForm = (typeof REWARD_FORMS)[number];

/** Where a placement internship (顶岗实习, AS-7) stands: placed, then assessed passed or failed. */
export const INTERNSHIP_STATES = ['PLACED', 'PASSED', 'FAILED'] as const;
export type InternshipState = (typeof INTERNSHIP_STATES)[number];

/**
 * Extra graduation inputs (AS-17, hubei-shiyan): the city's culture sample test of year 1 (文化基础课抽考)
 * and the school's skills competition (校级专业技能大赛).
 */
export const GRADUATION_INPUT_KINDS = ['CULTURE_SAMPLE_TEST', 'SKILLS_COMPETITION'] as const;
export type GraduationInputKind = (typeof GRADUATION_INPUT_KINDS)[number];

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

/**
 * The conditions a graduation audit judges (GR-1, GR-2; AS-6, AS-7, AS-17); each profile lists the ones it
 * requires. STATUS: holds status (在籍); REGISTRATION: the registration approved (on the roster);
 * RECORDS_IN_TIME (jilin): every registration, transfer-in, resumption, major-change and data-change record
 * approved within the month it was submitted (ADM-3, SC-22); CONDUCT:
 * conduct passed; RESULTS: all courses passed or credits met; INTERNSHIP: placement internship passed; PE:
 * PE passed; CERTIFICATE: a vocational qualification or skill certificate held; SAMPLE_TEST and
 * SKILLS_COMPETITION: the culture sample test and the school skills competition; DURATION: within the
 * plan's length, early or late as the profile allows (GR-2).
 */
export const GRADUATION_CONDITIONS = [
  'STATUS',
  'REGISTRATION',
  'RECORDS_IN_TIME',
  'CONDUCT',
  'RESULTS',
  'INTERNSHIP',
  'PE',
  'CERTIFICATE',
  'SAMPLE_TEST',
  'SKILLS_COMPETITION',
  'DURATION',
] as const;
export type GraduationCondition = (typeof GRADUATION_CONDITIONS)[number];

/**
 * The records whose approval in time GR-1 (jilin) judges: the registration (enrolment's), the transfer-in,
 * the resumption, the change of major and the data change (the personal-data correction, status-change's).
 */
export const APPROVED_RECORD_KINDS = [
  'REGISTRATION',
  'TRANSFER',
  'RESUMPTION',
  'MAJOR_CHANGE',
  'DATA_CORRECTION',
] as const;
export type ApprovedRecordKind = (typeof APPROVED_RECORD_KINDS)[number];

/** What a graduation audit concludes: a diploma (毕业), a certificate of completion (结业, GR-6), or not yet. */
export const GRADUATION_OUTCOMES = ['GRADUATE', 'COMPLETION', 'NOT_YET'] as const;
export type GraduationOutcome = (typeof GRADUATION_OUTCOMES)[number];

/**
 * The certificates graduation issues: a diploma (毕业证书, GR-3), a certificate of completion (结业证书,
 * GR-6), and for a student leaving early a factual study record (写实性学习证明) or, in fujian, a
 * partial-study certificate (肄业证明, GR-7, SC-18); for a lost diploma or completion certificate, an
 * academic credential certificate (学历证明书) of equal force (GR-8).
 */
export const CERTIFICATE_KINDS = [
  'DIPLOMA',
  'COMPLETION',
  'STUDY_RECORD',
  'PARTIAL_STUDY',
  'CREDENTIAL_CERTIFICATE',
] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];

/**
 * Where an issued certificate stands: valid; a completion certificate exchanged for a diploma (GR-6);
 * recalled and declared void because the admission broke the rules (GR-9); or lost and replaced by an
 * academic credential certificate (GR-8: never reissued).
 */
export const CERTIFICATE_STATES = ['VALID', 'EXCHANGED', 'RECALLED', 'REPLACED'] as const;
export type CertificateState = (typeof CERTIFICATE_STATES)[number];

/**
 * Who issues an academic credential certificate for a lost one (GR-8): the competent authority (its
 * reviewers of the school's authority region; jilin, fujian) or the school (its registrars; beijing).
 */
export const CREDENTIAL_CERTIFICATE_ISSUERS = ['AUTHORITY', 'SCHOOL'] as const;
export type CredentialCertificateIssuer = (typeof CREDENTIAL_CERTIFICATE_ISSUERS)[number];

/**
 * The proofs an academic credential certificate may need (GR-8): the holder's identity document checked
 * (an attestation, never its number), the newspaper notice of the loss (登报遗失声明), the verification
 * sheet (验印单) the school keeps.
 */
export const LOSS_PROOFS = ['IDENTITY_DOCUMENT', 'LOSS_NOTICE', 'VERIFICATION_SHEET'] as const;
export type LossProof = (typeof LOSS_PROOFS)[number];

/** Where a correction of a certificate's verification data stands before the authority (GR-12). */
export const VERIFICATION_CORRECTION_STATES = ['SUBMITTED', 'APPROVED', 'REJECTED'] as const;
export type VerificationCorrectionState = (typeof VERIFICATION_CORRECTION_STATES)[number];

/**
 * What checking a signed digital credential finds: valid; valid but revoked by the register (a
 * recalled certificate, GR-9; one replaced by a credential certificate, GR-8; a credential signed anew
 * after a correction, GR-12); a changed field (the signature fails); signed by a key the authority
 * never published; or not a credential at all.
 */
export const CREDENTIAL_OUTCOMES = ['VALID', 'REVOKED', 'TAMPERED', 'UNKNOWN_KEY', 'MALFORMED'] as const;
export type CredentialOutcome = (typeof CREDENTIAL_OUTCOMES)[number];

/**
 * Where a school's graduate list (毕业生名册) stands before the authority (GR-3): submitted, approved
 * (diplomas numbered), verified (the authority stamped the printed diplomas, 验印), or rejected.
 */
export const GRADUATE_LIST_STATES = ['SUBMITTED', 'APPROVED', 'VERIFIED', 'REJECTED'] as const;
export type GraduateListState = (typeof GRADUATE_LIST_STATES)[number];

/**
 * How a profile numbers diplomas (GR-4): NATIONAL (year, the authority's region, a sequence of it),
 * CITY_WIDE (beijing: one sequence for the city a year), FUJIAN_12_DIGIT (year, the last four digits of
 * the school's provincial code, the school's sequence).
 */
export const DIPLOMA_NUMBER_FORMATS = ['NATIONAL', 'CITY_WIDE', 'FUJIAN_12_DIGIT'] as const;
export type DiplomaNumberFormat = (typeof DIPLOMA_NUMBER_FORMATS)[number];

/** The certificates a student may hold for GR-1 (fujian): a vocational qualification or a skill certificate (AS-4's kinds). */
export const VOCATIONAL_CERTIFICATE_KINDS = [
  'VOCATIONAL_QUALIFICATION',
  'SKILL_CERTIFICATE',
] as const satisfies readonly CreditRecognitionKind[];
export type VocationalCertificateKind = (typeof VOCATIONAL_CERTIFICATE_KINDS)[number];

/**
 * Who told graduation of a certificate a student holds (GR-1 fujian, GR-11): the school recorded it
 * in graduation (`recordHeldCertificate`), or assessment published it with a credit recognition (AS-4).
 */
export const HELD_CERTIFICATE_SOURCES = ['SCHOOL', 'ASSESSMENT'] as const;
export type HeldCertificateSource = (typeof HELD_CERTIFICATE_SOURCES)[number];

/** A graduation batch's half of the year (毕业批次, GR-3), lower case as in its name `2027-spring`. */
export const GRADUATION_SEASONS = ['spring', 'autumn'] as const;
export type GraduationSeason = (typeof GRADUATION_SEASONS)[number];

// ── Partners ────────────────────────────────────────────────────────────────────────────────────

/** Whether a partner's webhook deliveries go out (ACTIVE) or are held until it is resumed (PAUSED). */
export const PARTNER_STATES = ['ACTIVE', 'PAUSED'] as const;
export type PartnerState = (typeof PARTNER_STATES)[number];

/**
 * Where one webhook delivery (one partner event to one partner) stands: waiting or being retried,
 * accepted by the partner's endpoint (2xx), or given up after the last attempt (dead-lettered).
 */
export const PARTNER_DELIVERY_STATES = ['PENDING', 'DELIVERED', 'DEAD_LETTERED'] as const;
export type PartnerDeliveryState = (typeof PARTNER_DELIVERY_STATES)[number];

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
  GraduationCondition: GRADUATION_CONDITIONS,
  GraduationOutcome: GRADUATION_OUTCOMES,
  CertificateKind: CERTIFICATE_KINDS,
  CertificateState: CERTIFICATE_STATES,
  CredentialOutcome: CREDENTIAL_OUTCOMES,
  GraduateListState: GRADUATE_LIST_STATES,
  VerificationCorrectionState: VERIFICATION_CORRECTION_STATES,
  VocationalCertificateKind: VOCATIONAL_CERTIFICATE_KINDS,
  // assessment (part A)
  AssessmentType: ASSESSMENT_TYPES,
  CourseRequirement: COURSE_REQUIREMENTS,
  CourseCategory: COURSE_CATEGORIES,
  ResultAttempt: RESULT_ATTEMPTS,
  ResultGrade: RESULT_GRADES,
  ExamIrregularity: EXAM_IRREGULARITIES,
  ConductGrade: CONDUCT_GRADES,
  ConductPeriod: CONDUCT_PERIODS,
  CreditRecognitionKind: CREDIT_RECOGNITION_KINDS,
  HospitalLevel: HOSPITAL_LEVELS,
  // assessment (part B)
  SanctionKind: SANCTION_KINDS,
  SanctionState: SANCTION_STATES,
  DecidingBody: DECIDING_BODIES,
  ExpulsionAuthorityStep: EXPULSION_AUTHORITY_STEPS,
  AppealStage: APPEAL_STAGES,
  AppealState: APPEAL_STATES,
  AppealOutcome: APPEAL_OUTCOMES,
  RewardLevel: REWARD_LEVELS,
  RewardScope: REWARD_SCOPES,
  RewardForm: REWARD_FORMS,
  InternshipState: INTERNSHIP_STATES,
  GraduationInputKind: GRADUATION_INPUT_KINDS,
  // partners
  PartnerState: PARTNER_STATES,
};

/**
 * The graduation audit (毕业审核): a student's facts (learned from events only) and the profile in, each
 * condition met or not with its rule id and the facts it used, and the outcome out (GR-1, GR-2, GR-5,
 * GR-6). Pure: no I/O.
 */
import type { RuleId } from '@xueji/errors';
import { rule, type PolicyProfile } from '@xueji/policy';
import { addMonths, monthsBetween } from '@xueji/rules';
import type {
  ApprovedRecordKind,
  ConductGrade,
  ConductPeriod,
  GraduationCondition,
  GraduationInputKind,
  GraduationOutcome,
  Programme,
  SanctionKind,
  StatusCode,
  StudyForm,
  VocationalCertificateKind,
} from '@xueji/vocabulary';

/** Assessment's totals as `results.changed` last gave them. */
export interface ResultTotals {
  coursesPassed: number;
  coursesFailed: number;
  coursesOutstanding: number;
  creditsEarned: number;
  creditsRequired: number | null;
  pePassed: boolean | null;
}

/** What graduation knows of one student, from enrolment's, status-change's and assessment's events. */
export interface GraduationFacts {
  studentId: string;
  schoolId: string;
  /** Status as status-change last published it (ACTIVE from the approved registration); null before. */
  status: StatusCode | null;
  /** The registration was approved by the authority (ENR-5): the student is on the registration roster. */
  registrationApproved: boolean;
  entryDate: string | null;
  studyForm: StudyForm | null;
  programme: Programme | null;
  expectedYears: number | null;
  majorCode: string | null;
  results: ResultTotals | null;
  conduct: { period: ConductPeriod; term: string | null; grade: ConductGrade | null }[];
  /** Internships assessed (AS-7), any order. */
  internships: { passed: boolean; assessedOn: string }[];
  /** AS-17 inputs (hubei-shiyan). */
  extraInputs: { kind: GraduationInputKind; passed: boolean }[];
  /** Vocational qualifications and skill certificates the school recorded (GR-1 fujian, GR-11). */
  heldCertificates: { kind: VocationalCertificateKind; number: string }[];
  /** Sanctions in force (not revoked or annulled): shown, not a condition (docs/decisions.md). */
  sanctionsInForce: SanctionKind[];
  /** A valid certificate of completion (GR-6): the day it was issued; null when none. */
  completionIssuedOn: string | null;
  /**
   * GR-1 (jilin): the student's registration, transfer-in, resumption, major-change and data-change records,
   * oldest first, with when the school submitted each, when the authority finally approved it (China days)
   * and whether in time (ADM-3, SC-22); null for one published before its producer said.
   */
  approvedRecords: ApprovedRecord[];
}

/** A record whose approval in time GR-1 (jilin) judges. */
export interface ApprovedRecord {
  kind: ApprovedRecordKind;
  submittedOn: string | null;
  approvedOn: string | null;
  inTime: boolean | null;
}

/** One condition of the audit. */
export interface ConditionCheck {
  condition: GraduationCondition;
  rule: RuleId;
  met: boolean;
  /** The facts the condition was judged on. */
  facts: Record<string, unknown>;
  message: { zh: string; en: string };
}

/** The days a graduation may fall on (GR-2; ENR-13 for flexible study; GR-6 for an exchange). */
export interface GraduationWindow {
  /** The end of the plan: entry date + the plan's years. */
  planEnd: string;
  /** The first day of the plan's last term (six months before its end): graduating from here is on time. */
  onTimeFrom: string;
  /** The first day at all (GR-2 early graduation, ENR-13 the shortest flexible study). */
  earliest: string;
  /** The last day (GR-2 late cap, ENR-13 the longest flexible study, GR-6 the exchange limit); null: none. */
  latest: string | null;
}

export interface GraduationAudit {
  outcome: GraduationOutcome;
  conditions: ConditionCheck[];
  /** The conditions not met, in the profile's order: what the student still lacks. */
  lacking: GraduationCondition[];
  window: GraduationWindow | null;
  /** GR-2: graduating now is early / late. */
  early: boolean;
  late: boolean;
  /** GR-6: the audit is for exchanging a certificate of completion. */
  exchange: boolean;
}

/** GR-6: the conditions whose shortfall at the end earns a certificate of completion (results, credits, conduct). */
const COMPLETION_SHORTFALLS: ReadonlySet<GraduationCondition> = new Set(['RESULTS', 'CONDUCT']);

const years = (n: number) => n * 12;

/** The plan's years for this student: beijing lets integrated students graduate after the vocational stage (GR-1, ENR-14). */
export function planYears(facts: GraduationFacts, profile: PolicyProfile): number | null {
  if (facts.expectedYears === null) return null;
  if (facts.programme === 'INTEGRATED' && rule(profile, 'GR-1').integratedAfterVocationalStage)
    return Math.min(facts.expectedYears, rule(profile, 'ENR-14').vocationalStageYears);
  return facts.expectedYears;
}

/** GR-2 / ENR-13: the days this student may graduate on; null before the entry date is known. */
export function graduationWindow(facts: GraduationFacts, profile: PolicyProfile): GraduationWindow | null {
  const length = planYears(facts, profile);
  if (!facts.entryDate || length === null) return null;
  const planEnd = addMonths(facts.entryDate, years(length));
  const onTimeFrom = addMonths(planEnd, -6);
  if (facts.studyForm === 'FLEXIBLE') {
    // ENR-13: flexible study lasts between the profile's shortest and longest length.
    const { min, max } = rule(profile, 'ENR-13').flexibleYears;
    return {
      planEnd,
      onTimeFrom,
      earliest: addMonths(facts.entryDate, years(min) - 6),
      latest: addMonths(facts.entryDate, years(max)),
    };
  }
  const { earlyYears, lateCapYears } = rule(profile, 'GR-2');
  return {
    planEnd,
    onTimeFrom,
    earliest: addMonths(onTimeFrom, -years(earlyYears)),
    latest: lateCapYears === null ? null : addMonths(planEnd, years(lateCapYears)),
  };
}

const check = (
  condition: GraduationCondition,
  ruleId: RuleId,
  met: boolean,
  facts: Record<string, unknown>,
  zh: string,
  en: string,
): ConditionCheck => ({ condition, rule: ruleId, met, facts, message: { zh, en } });

function statusCheck(f: GraduationFacts): ConditionCheck {
  const allowed: (StatusCode | null)[] = f.completionIssuedOn ? ['ACTIVE', 'COMPLETED'] : ['ACTIVE'];
  const met = allowed.includes(f.status);
  return check(
    'STATUS',
    'GR-1',
    met,
    { status: f.status },
    met ? '在籍' : `不在籍（学籍状态 ${f.status ?? '未知'}）`,
    met ? 'Holds status' : `Does not hold status (status ${f.status ?? 'unknown'})`,
  );
}

function registrationCheck(f: GraduationFacts): ConditionCheck {
  return check(
    'REGISTRATION',
    'GR-1',
    f.registrationApproved,
    { registrationApproved: f.registrationApproved },
    f.registrationApproved ? '注册已经审核通过（在学籍注册名册上）' : '注册未经审核通过，不在学籍注册名册上',
    f.registrationApproved
      ? 'The registration was approved (on the registration roster)'
      : 'The registration was not approved: not on the registration roster',
  );
}

/**
 * GR-1 (jilin): every registration, transfer-in, resumption, major-change and data-change record approved
 * within the month the school submitted it (ADM-3, SC-22). Met when none is known late; a record published
 * before its producer said whether it was in time is not known late, and counted apart.
 */
function recordsInTimeCheck(f: GraduationFacts): ConditionCheck {
  const late = f.approvedRecords
    .filter((r) => r.inTime === false)
    .map(({ kind, submittedOn, approvedOn }) => ({ kind, submittedOn, approvedOn }));
  const facts = {
    records: f.approvedRecords.length,
    late,
    notKnown: f.approvedRecords.filter((r) => r.inTime === null).length,
  };
  if (late.length === 0)
    return check(
      'RECORDS_IN_TIME',
      'GR-1',
      true,
      facts,
      facts.notKnown > 0
        ? `学籍记录均按时审核（${facts.notKnown} 条记录发布时未注明是否按时，不视为逾期）`
        : '注册、转入、复学、转专业和信息变更记录均在当月审核通过',
      facts.notKnown > 0
        ? `Records approved in time (${facts.notKnown} published without saying so: not known late)`
        : 'Every registration, transfer-in, resumption, major-change and data-change record approved within its month',
    );
  const listed = late.map((r) => `${r.kind} ${r.submittedOn ?? '?'} → ${r.approvedOn ?? '?'}`).join(', ');
  return check(
    'RECORDS_IN_TIME',
    'GR-1',
    false,
    facts,
    `${late.length} 条学籍记录未在报送当月审核通过（${listed}）`,
    `${late.length} record(s) not approved within the month submitted (${listed})`,
  );
}

function conductCheck(f: GraduationFacts, profile: PolicyProfile): ConditionCheck {
  const failed = f.conduct.filter((c) => c.grade === 'FAIL');
  const appraisalRequired = rule(profile, 'AS-2').graduationAppraisal;
  const appraisal = f.conduct.some((c) => c.period === 'GRADUATION');
  const met = f.conduct.length > 0 && failed.length === 0 && (!appraisalRequired || appraisal);
  const facts = {
    evaluations: f.conduct.length,
    failed: failed.map((c) => c.term ?? c.period),
    graduationAppraisalRequired: appraisalRequired,
    graduationAppraisal: appraisal,
    // Shown, not judged: a sanction in force is no condition of its own (docs/decisions.md).
    sanctionsInForce: f.sanctionsInForce,
  };
  if (met) return check('CONDUCT', 'GR-1', true, facts, '操行合格', 'Conduct passed');
  if (f.conduct.length === 0)
    return check('CONDUCT', 'GR-1', false, facts, '没有操行评定记录', 'No conduct evaluation recorded');
  if (failed.length > 0)
    return check(
      'CONDUCT',
      'GR-1',
      false,
      facts,
      `操行评定不合格（${facts.failed.join('、')}）`,
      `Conduct failed (${facts.failed.join(', ')})`,
    );
  return check(
    'CONDUCT',
    'GR-1',
    false,
    facts,
    '缺少毕业时的全面鉴定（AS-2）',
    'The full appraisal at graduation is missing (AS-2)',
  );
}

function resultsCheck(f: GraduationFacts): ConditionCheck {
  const r = f.results;
  if (!r) return check('RESULTS', 'GR-1', false, { results: null }, '没有学业成绩记录', 'No results recorded');
  const allPassed = r.coursesPassed > 0 && r.coursesFailed === 0 && r.coursesOutstanding === 0;
  const creditsMet = r.creditsRequired !== null && r.creditsEarned >= r.creditsRequired;
  const facts = { ...r, allPassed, creditsMet };
  const met = allPassed || creditsMet;
  if (met)
    return check('RESULTS', 'GR-1', true, facts, '课程全部合格或学分已修满', 'All courses passed or credits met');
  return check(
    'RESULTS',
    'GR-1',
    false,
    facts,
    `课程未全部合格（不合格 ${r.coursesFailed}，未考核 ${r.coursesOutstanding}），学分未修满（${r.creditsEarned}/${r.creditsRequired ?? '—'}）`,
    `Not all courses passed (failed ${r.coursesFailed}, outstanding ${r.coursesOutstanding}) and credits not met (${r.creditsEarned}/${r.creditsRequired ?? '—'})`,
  );
}

function internshipCheck(f: GraduationFacts): ConditionCheck {
  const latest = [...f.internships].sort((a, b) => a.assessedOn.localeCompare(b.assessedOn)).at(-1) ?? null;
  const met = latest?.passed === true;
  const facts = {
    assessed: f.internships.length,
    latestPassed: latest?.passed ?? null,
    assessedOn: latest?.assessedOn ?? null,
  };
  if (met) return check('INTERNSHIP', 'GR-1', true, facts, '顶岗实习考核合格', 'Internship passed');
  return check(
    'INTERNSHIP',
    'GR-1',
    false,
    facts,
    latest ? '顶岗实习考核不合格（AS-7：不发毕业证书）' : '顶岗实习尚未考核',
    latest ? 'Internship failed (AS-7: no diploma)' : 'Internship not assessed yet',
  );
}

function peCheck(f: GraduationFacts): ConditionCheck {
  const pePassed = f.results?.pePassed ?? null;
  const met = pePassed === true;
  return check(
    'PE',
    'GR-1',
    met,
    { pePassed },
    met ? '体育课程合格' : '体育课程未合格',
    met ? 'PE passed' : 'PE not passed',
  );
}

function certificateCheck(f: GraduationFacts): ConditionCheck {
  const met = f.heldCertificates.length > 0;
  return check(
    'CERTIFICATE',
    'GR-1',
    met,
    { certificates: f.heldCertificates.map((c) => c.kind) },
    met ? '持有职业资格证书或职业技能等级证书' : '未持有职业资格证书或职业技能等级证书',
    met
      ? 'Holds a vocational qualification or skill certificate'
      : 'Holds no vocational qualification or skill certificate',
  );
}

function extraInputCheck(f: GraduationFacts, kind: 'SAMPLE_TEST' | 'SKILLS_COMPETITION'): ConditionCheck {
  const inputKind: GraduationInputKind = kind === 'SAMPLE_TEST' ? 'CULTURE_SAMPLE_TEST' : 'SKILLS_COMPETITION';
  const input = f.extraInputs.find((i) => i.kind === inputKind) ?? null;
  const met = input?.passed === true;
  const [zh, en] =
    kind === 'SAMPLE_TEST'
      ? ['文化基础课抽考', 'Culture sample test']
      : ['校级专业技能大赛', 'School skills competition'];
  return check(
    kind,
    'GR-1',
    met,
    { recorded: input !== null, passed: input?.passed ?? null },
    `${zh}${met ? '合格' : input ? '不合格' : '无记录'}`,
    `${en} ${met ? 'passed' : input ? 'failed' : 'not recorded'}`,
  );
}

function durationCheck(
  f: GraduationFacts,
  profile: PolicyProfile,
  today: string,
  window: GraduationWindow | null,
): ConditionCheck {
  if (f.completionIssuedOn) {
    // GR-6: a certificate of completion is exchanged after make-ups, within the profile's limit.
    const within = rule(profile, 'GR-6').exchangeWithinYears;
    const latest = within === null ? null : addMonths(f.completionIssuedOn, years(within));
    const met = latest === null || today <= latest;
    return check(
      'DURATION',
      'GR-6',
      met,
      { completionIssuedOn: f.completionIssuedOn, exchangeWithinYears: within, latest, today },
      met ? '结业后在规定期限内换发毕业证书' : `结业已超过 ${within} 年，不能换发毕业证书`,
      met
        ? 'The completion certificate is exchanged within the limit'
        : `More than ${within} years since completion: no exchange`,
    );
  }
  if (!window)
    return check(
      'DURATION',
      'GR-2',
      false,
      { entryDate: f.entryDate },
      '入学日期或学制未知',
      'Entry date or length unknown',
    );
  const facts = { entryDate: f.entryDate, planYears: planYears(f, profile), studyForm: f.studyForm, ...window, today };
  if (today < window.earliest)
    return check(
      'DURATION',
      'GR-2',
      false,
      facts,
      `未到毕业时间（最早 ${window.earliest}）`,
      `Too early to graduate (earliest ${window.earliest})`,
    );
  if (window.latest !== null && today > window.latest)
    return check(
      'DURATION',
      'GR-2',
      false,
      facts,
      `超过最长修业年限（至 ${window.latest}）`,
      `Beyond the longest study time (until ${window.latest})`,
    );
  return check('DURATION', 'GR-2', true, facts, '在修业年限内', 'Within the study time');
}

/** GR-1, GR-2, GR-6: the audit of one student today. */
export function auditGraduation(facts: GraduationFacts, profile: PolicyProfile, today: string): GraduationAudit {
  const window = graduationWindow(facts, profile);
  const conditions = rule(profile, 'GR-1').conditions.map((condition): ConditionCheck => {
    switch (condition) {
      case 'STATUS':
        return statusCheck(facts);
      case 'REGISTRATION':
        return registrationCheck(facts);
      case 'RECORDS_IN_TIME':
        return recordsInTimeCheck(facts);
      case 'CONDUCT':
        return conductCheck(facts, profile);
      case 'RESULTS':
        return resultsCheck(facts);
      case 'INTERNSHIP':
        return internshipCheck(facts);
      case 'PE':
        return peCheck(facts);
      case 'CERTIFICATE':
        return certificateCheck(facts);
      case 'SAMPLE_TEST':
      case 'SKILLS_COMPETITION':
        return extraInputCheck(facts, condition);
      case 'DURATION':
        return durationCheck(facts, profile, today, window);
    }
  });
  const lacking = conditions.filter((c) => !c.met).map((c) => c.condition);
  const exchange = facts.completionIssuedOn !== null;
  const early = !exchange && window !== null && today < window.onTimeFrom;
  const late = !exchange && window !== null && today > window.planEnd;
  let outcome: GraduationOutcome = 'NOT_YET';
  if (lacking.length === 0) outcome = 'GRADUATE';
  else if (
    // GR-6: at the end of the plan, holding status, short only of results, credits or conduct.
    rule(profile, 'GR-6').applies &&
    !exchange &&
    window !== null &&
    today >= window.onTimeFrom &&
    lacking.every((c) => COMPLETION_SHORTFALLS.has(c))
  )
    outcome = 'COMPLETION';
  return { outcome, conditions, lacking, window, early, late, exchange };
}

/** A study time in whole months, as certificates state it: `2年6个月`, `2 years 6 months`, `1 year 1 month`. */
const spanZh = (months: number) => `${Math.floor(months / 12)}年${months % 12}个月`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const spanEn = (months: number) => `${plural(Math.floor(months / 12), 'year')} ${plural(months % 12, 'month')}`;

/**
 * GR-5: what a flexible-study diploma states of the study form and duration (`弹性学习 2年6个月`); null
 * where the profile does not require it or the student did not study flexibly.
 */
export function statedDuration(
  facts: Pick<GraduationFacts, 'studyForm' | 'entryDate'>,
  profile: PolicyProfile,
  graduationDate: string,
): string | null {
  if (!rule(profile, 'GR-5').statesStudyFormAndDuration || facts.studyForm !== 'FLEXIBLE' || !facts.entryDate)
    return null;
  const months = monthsBetween(facts.entryDate, graduationDate);
  return `弹性学习 ${spanZh(months)} / flexible study, ${spanEn(months)}`;
}

/** A certificate a student leaving early is given (GR-7), with what it states. */
export interface LeavingCertificate {
  kind: 'STUDY_RECORD' | 'PARTIAL_STUDY';
  stated: string;
}

/**
 * GR-7 / SC-18: a student who withdrew gets a factual study record (where the profile gives one) and,
 * in fujian, after at least a year of study with passing results (no course failed), a partial-study
 * certificate stating the years. Nothing before the registration is approved.
 */
export function leavingCertificates(
  facts: GraduationFacts,
  profile: PolicyProfile,
  leftOn: string,
): LeavingCertificate[] {
  if (!facts.entryDate || !facts.registrationApproved) return [];
  const { studyRecord, partialStudyCertificate, partialStudyMinYears } = rule(profile, 'GR-7');
  const months = monthsBetween(facts.entryDate, leftOn);
  const span = { zh: spanZh(months), en: spanEn(months) };
  const r = facts.results;
  const out: LeavingCertificate[] = [];
  if (studyRecord)
    out.push({
      kind: 'STUDY_RECORD',
      stated:
        `${facts.entryDate} 至 ${leftOn} 在校学习 ${span.zh}` +
        (r ? `，合格课程 ${r.coursesPassed} 门，学分 ${r.creditsEarned}` : '') +
        ` / studied ${facts.entryDate} to ${leftOn}, ${span.en}` +
        (r ? `, ${r.coursesPassed} courses passed, ${r.creditsEarned} credits` : ''),
    });
  const passing = r !== null && r.coursesFailed === 0 && r.coursesPassed > 0;
  if (partialStudyCertificate && passing && months >= years(partialStudyMinYears))
    out.push({ kind: 'PARTIAL_STUDY', stated: `肄业 ${span.zh} / partial study, ${span.en}` });
  return out;
}

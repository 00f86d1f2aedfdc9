import { registrationWindowOf, rule, type PolicyProfile } from '@xueji/policy';
import type { EntryLevel, Household, Intake, Origin, Programme, Sex, StudyForm } from '@xueji/vocabulary';
import { readIdNumber, ID_NUMBER_PROBLEMS } from './id-number';
import { dayNumber, inputProblem, isIsoDate, violation, type RuleViolation } from './rules';
import { day, fields, text, type FieldLimit } from '@xueji/rules';

// The closed lists are the vocabulary's.
export type { EntryLevel, Intake, Origin, Programme, Sex, StudyForm };

/** Everything a registration is judged on: the applicant's data and what the school knows. */
export interface RegistrationFacts {
  /** Day of submission (or of approval, when re-checked). */
  today: string;
  /** Submission is held to the registration deadline; approval to the review date, where there is one. */
  stage: 'SUBMISSION' | 'APPROVAL';
  name: string;
  sex: Sex;
  birthDate: string;
  /** Resident ID-card number; for FOREIGN students the passport number. */
  idNumber: string;
  origin: Origin;
  photoRef?: string | null;
  entryDate: string;
  intake: Intake;
  entryLevel: EntryLevel;
  /** This year's junior-secondary graduate (jilin: spring intake only for others). */
  freshJuniorGraduate: boolean;
  studyForm: StudyForm;
  programme: Programme;
  partnerCollege?: string | null;
  /** ENR-15: joint enrolment — the partner school the registration is filed with. */
  jointPartner?: string | null;
  /** The registering school is a national key school. */
  schoolNationalKey: boolean;
  expectedYears: number;
  /** The major, when admitted to one; otherwise the category (ENR-16). */
  major: { code: string; categoryCode: string; inCatalogue: boolean; approvedForSchool: boolean } | null;
  majorCategory: { code: string; known: boolean } | null;
  /** ENR-3: the day the school told admitted students to report, the day the student came. */
  arrival?: { reportBy: string; arrivedOn: string; lateArrivalApproved: boolean } | null;
}

const sexZh = (s: Sex) => (s === 'MALE' ? '男' : '女');

/** ENR-2: a valid card whose birth date and sex agree with what was entered; a photo where required. */
function identity(f: RegistrationFacts, profile: PolicyProfile): RuleViolation[] {
  const found: RuleViolation[] = [];
  if (f.origin !== 'FOREIGN') {
    const card = readIdNumber(f.idNumber, f.today);
    if (!card.ok) {
      const m = ID_NUMBER_PROBLEMS[card.problem];
      found.push(inputProblem('ENR-2', m.zh, m.en, 'idNumber'));
    } else {
      if (card.facts.birthDate !== f.birthDate) {
        found.push(
          violation(
            'ENR-2',
            `出生日期 ${f.birthDate} 与身份证号码中的 ${card.facts.birthDate} 不符`,
            `Birth date ${f.birthDate} does not match ${card.facts.birthDate} in the ID-card number`,
            'birthDate',
          ),
        );
      }
      if (card.facts.sex !== f.sex) {
        found.push(
          violation(
            'ENR-2',
            `性别“${sexZh(f.sex)}”与身份证号码（${sexZh(card.facts.sex)}）不符`,
            `Sex ${f.sex} does not match the ID-card number (${card.facts.sex})`,
            'sex',
          ),
        );
      }
    }
  } else if (f.idNumber.trim().length < 5) {
    found.push(inputProblem('ENR-2', '请填写有效的护照号码', 'Enter a valid passport number', 'idNumber'));
  }
  if (rule(profile, 'ENR-2').photoRequired && !f.photoRef) {
    found.push(violation('ENR-2', '注册时须采集学生照片', 'A photo must be captured at registration', 'photoRef'));
  }
  return found;
}

/** ENR-1: junior-secondary graduates; primary graduates only for arts/sports majors; adults where allowed. */
function whoMayEnrol(f: RegistrationFacts, profile: PolicyProfile): RuleViolation[] {
  const p = rule(profile, 'ENR-1');
  if (f.entryLevel === 'PRIMARY') {
    const category = f.major?.categoryCode ?? f.majorCategory?.code;
    if (!p.primaryGraduatesForArtsSports || !category || !p.artsSportsCategories.includes(category)) {
      return [
        violation(
          'ENR-1',
          '小学毕业生只能报读文艺、体育类专业',
          'Primary-school graduates may enrol only in arts or sports majors',
          'entryLevel',
        ),
      ];
    }
  }
  if (f.entryLevel === 'ADULT' && !p.adultsAllowed) {
    return [violation('ENR-1', '本省不招收社会成人学员', 'This province does not enrol adult learners', 'entryLevel')];
  }
  return [];
}

/** ENR-4: the registration window of the student's intake; "当年学籍当年申报，隔年不得再补". */
function registrationWindow(f: RegistrationFacts, profile: PolicyProfile): RuleViolation[] {
  const window = registrationWindowOf(profile, f.entryDate);
  if (!window) {
    const month = Number(f.entryDate.slice(5, 7));
    return [
      violation(
        'ENR-4',
        `${month}月入学不属于任何注册批次`,
        `No registration window covers entry in month ${month}`,
        'entryDate',
      ),
    ];
  }
  if (f.stage === 'APPROVAL') {
    const reviewBy = window.reviewBy;
    if (reviewBy && dayNumber(f.today) > dayNumber(reviewBy)) {
      return [
        violation(
          'ENR-4',
          `${f.entryDate} 入学学生的注册须在 ${reviewBy} 前审核完毕`,
          `Registrations of students entering on ${f.entryDate} had to be reviewed by ${reviewBy}`,
          'entryDate',
        ),
      ];
    }
    return [];
  }
  const deadline = window.deadline;
  if (dayNumber(f.today) > dayNumber(deadline)) {
    return [
      violation(
        'ENR-4',
        `${f.entryDate} 入学的学生须在 ${deadline} 前完成电子注册，逾期不得补注册`,
        `Students entering on ${f.entryDate} had to be registered by ${deadline}; late registration is not allowed`,
        'entryDate',
      ),
    ];
  }
  if (window.onlyNonFreshGraduates && f.freshJuniorGraduate) {
    return [
      violation(
        'ENR-4',
        '春季注册仅限非应届初中毕业生',
        'The spring registration is only for students who are not this year’s junior-secondary graduates',
        'intake',
      ),
    ];
  }
  return [];
}

/** ENR-3: a student arriving late without approved leave loses the admission past the limit. */
function lateArrival(f: RegistrationFacts, profile: PolicyProfile): RuleViolation[] {
  const p = rule(profile, 'ENR-3');
  if (!p.applies || !f.arrival || f.arrival.lateArrivalApproved) return [];
  const late = dayNumber(f.arrival.arrivedOn) - dayNumber(f.arrival.reportBy);
  const limit = p.lateArrivalLimitDays ?? 0;
  if (late <= limit) return [];
  return [
    violation(
      'ENR-3',
      `逾期 ${late} 天报到且未经批准（上限 ${limit} 天），入学资格已取消`,
      `Arrived ${late} days late without approval (limit ${limit} days); the admission has lapsed`,
      'arrival',
    ),
  ];
}

/** ENR-12 study form; ENR-13 programme length; ENR-14 integrated programmes. */
function programmeShape(f: RegistrationFacts, profile: PolicyProfile): RuleViolation[] {
  const found: RuleViolation[] = [];
  if (!rule(profile, 'ENR-12').studyForms.includes(f.studyForm)) {
    found.push(
      violation('ENR-12', '本省不注册该学习形式的学生', 'This study form is not registered here', 'studyForm'),
    );
  }
  const p13 = rule(profile, 'ENR-13');
  const p14 = rule(profile, 'ENR-14');
  if (f.programme !== 'REGULAR') {
    if (f.expectedYears !== p14.vocationalStageYears) {
      found.push(
        violation(
          'ENR-14',
          `贯通培养学生中职阶段学籍为 ${p14.vocationalStageYears} 年`,
          `Integrated-programme students hold vocational status for ${p14.vocationalStageYears} years`,
          'expectedYears',
        ),
      );
    }
    if (p14.partnerCollegeRequired && !f.partnerCollege?.trim()) {
      found.push(
        violation(
          'ENR-14',
          '贯通培养学生须注明合作高校',
          'Name the partner college of the integrated programme',
          'partnerCollege',
        ),
      );
    }
    return found;
  }
  const level = f.entryLevel === 'ADULT' ? 'JUNIOR' : f.entryLevel;
  const standard =
    level === 'PRIMARY'
      ? p13.standardYears.primaryArts
      : level === 'SENIOR'
        ? p13.standardYears.senior
        : p13.standardYears.junior;
  if (f.studyForm === 'FLEXIBLE' && level !== 'PRIMARY') {
    // Flexible study: junior start within the range; high-school start up to half of it (1–3 by default).
    const { min, max } = p13.flexibleYears;
    const [lo, hi] = level === 'SENIOR' ? [Math.max(1, min - 2), Math.ceil(max / 2)] : [min, max];
    if (f.expectedYears < lo || f.expectedYears > hi) {
      found.push(
        violation(
          'ENR-13',
          `弹性学制学习年限应为 ${lo}–${hi} 年`,
          `Flexible study lasts ${lo} to ${hi} years`,
          'expectedYears',
        ),
      );
    }
  } else if (f.expectedYears !== standard) {
    found.push(
      violation(
        'ENR-13',
        `该起点学生学制为 ${standard} 年`,
        `Students of this entry level study for ${standard} years`,
        'expectedYears',
      ),
    );
  }
  return found;
}

/** ENR-15: joint enrolment is registered at the school attended; some profiles allow it to key schools only. */
function jointEnrolment(f: RegistrationFacts, profile: PolicyProfile): RuleViolation[] {
  if (!f.jointPartner?.trim() || !rule(profile, 'ENR-15').nationalKeySchoolsOnly || f.schoolNationalKey) return [];
  return [
    violation(
      'ENR-15',
      '只有国家级重点学校可以开展联合办学',
      'Only national key schools may enrol jointly with a partner',
      'jointPartner',
    ),
  ];
}

/** ENR-16: a major in the national catalogue approved for the school, or (where allowed) a category. */
function majorChoice(f: RegistrationFacts, profile: PolicyProfile): RuleViolation[] {
  if (f.major) {
    if (!f.major.inCatalogue) {
      return [
        violation(
          'ENR-16',
          `专业 ${f.major.code} 不在国家专业目录中`,
          `Major ${f.major.code} is not in the national catalogue`,
          'majorCode',
        ),
      ];
    }
    if (!f.major.approvedForSchool) {
      return [
        violation(
          'ENR-16',
          `学校未获批开设专业 ${f.major.code}，不得注册`,
          `The school is not approved to teach major ${f.major.code}`,
          'majorCode',
        ),
      ];
    }
    return [];
  }
  if (!rule(profile, 'ENR-16').admissionByCategory) {
    return [violation('ENR-16', '须按具体专业注册', 'Students are registered to a specific major here', 'majorCode')];
  }
  if (!f.majorCategory?.known) {
    return [
      violation(
        'ENR-16',
        '专业大类不在国家专业目录中',
        'The major category is not in the national catalogue',
        'majorCategoryCode',
      ),
    ];
  }
  return [];
}

function wellFormed(f: RegistrationFacts): RuleViolation[] {
  const found: RuleViolation[] = [];
  const name = f.name.trim();
  if (name.length === 0 || name.length > 50) {
    found.push(inputProblem('ENR-2', '姓名不能为空且不超过50个字符', 'The name must be 1 to 50 characters', 'name'));
  }
  for (const field of ['birthDate', 'entryDate'] as const) {
    if (!isIsoDate(f[field])) {
      found.push(inputProblem('ENR-2', `${field} 应为 YYYY-MM-DD 日期`, `${field} must be a date YYYY-MM-DD`, field));
    }
  }
  if (!Number.isInteger(f.expectedYears) || f.expectedYears < 1 || f.expectedYears > 8) {
    found.push(inputProblem('ENR-13', '学制年限无效', 'The expected length is not valid', 'expectedYears'));
  }
  return found;
}

/**
 * Judge a registration against the profile. An empty list means it may be submitted (or approved,
 * when re-checked); otherwise every broken rule is listed, each with its id.
 * Uniqueness (ENR-6/7) needs the other records and is checked by the caller, under a database constraint.
 */
export function checkRegistration(f: RegistrationFacts, profile: PolicyProfile): RuleViolation[] {
  const basic = wellFormed(f);
  if (basic.length > 0) return basic;
  return [
    ...identity(f, profile),
    ...whoMayEnrol(f, profile),
    ...registrationWindow(f, profile),
    ...lateArrival(f, profile),
    ...programmeShape(f, profile),
    ...jointEnrolment(f, profile),
    ...majorChoice(f, profile),
  ];
}

/** ENR-21: foreign, Hong Kong, Macao and Taiwan students follow separate rules where the profile says so. */
export function followsSeparateRules(origin: Origin, profile: PolicyProfile): boolean {
  return origin !== 'MAINLAND' && rule(profile, 'ENR-21').applies;
}

/** A registration as the API and the roster import give it (absent or null: the default). */
export interface RegistrationInput {
  schoolId: string;
  name: string;
  sex: Sex;
  birthDate: string;
  idNumber: string;
  origin?: Origin | null;
  ethnicity?: string | null;
  household?: Household | null;
  address?: string | null;
  contact?: string | null;
  photoRef?: string | null;
  entryDate: string;
  intake: Intake;
  entryLevel?: EntryLevel | null;
  freshJuniorGraduate?: boolean | null;
  studyForm?: StudyForm | null;
  programme?: Programme | null;
  partnerCollege?: string | null;
  jointPartner?: string | null;
  majorCode?: string | null;
  majorCategoryCode?: string | null;
  className?: string | null;
  expectedYears: number;
  teachingPointId?: string | null;
  arrival?: { reportBy: string; arrivedOn: string; lateArrivalApproved?: boolean | null } | null;
  /** Issue 10: the API's retry key (a roster row has none). */
  idempotencyKey?: string | null;
}

/** The limits of a registration's fields (`RegistrationInput`), for a submission and a roster row alike. */
export const REGISTRATION_LIMITS: FieldLimit = fields({
  name: text('personName'),
  birthDate: day('birthDate'),
  idNumber: text('idNumber'),
  ethnicity: text('ethnicity'),
  address: text('address'),
  contact: text('contact'),
  photoRef: text('reference'),
  entryDate: day('entryDate'),
  partnerCollege: text('institution'),
  jointPartner: text('institution'),
  majorCode: text('code'),
  majorCategoryCode: text('code'),
  className: text('className'),
  arrival: fields({ reportBy: day('arrivalDate'), arrivedOn: day('arrivalDate') }),
  idempotencyKey: text('idempotencyKey'),
});

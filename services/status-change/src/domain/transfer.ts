import { rule, type PolicyProfile } from '@xueji/policy';
import { isSemesterStart, semesterStartOn, semestersCompleted, studyPosition } from './calendar';
import { addMonths, dayNumber, groundRefused, monthsBetween, type RuleViolation, violation } from './rules';
import type { ApprovalStepName, ChangeKind, ChangeRequestFacts, StudentFacts, TransferGround } from './types';

const GROUND_NAMES: Record<TransferGround, { zh: string; en: string }> = {
  HOUSEHOLD_MOVE: { zh: '户籍迁移', en: 'household registration moved' },
  FAMILY_MOVE: { zh: '家庭搬迁', en: 'family moved' },
  PERSONAL_WISH: { zh: '个人意愿', en: 'personal wish' },
  NO_FOLLOW_ON_CLASS: { zh: '留级或复学后无后续班级', en: 'no follow-on class after a repeat or resumption' },
  OTHER: { zh: '其他正当理由', en: 'another proper reason' },
};

/** SC-2: the profile's transfer grounds; "another proper reason" must be backed by a document. */
function grounds(r: ChangeRequestFacts, profile: PolicyProfile): RuleViolation[] {
  const ground = r.transfer!.ground;
  const allowed = rule(profile, 'SC-2').grounds;
  if (!allowed.includes(ground)) {
    return [
      groundRefused(
        'SC-2',
        'transfer.ground',
        GROUND_NAMES,
        ground,
        { zh: '本省认可的转学理由', en: 'transfer here' },
        allowed,
      ),
    ];
  }
  if (ground === 'OTHER' && r.evidenceRefs.length === 0) {
    return [
      violation(
        'SC-2',
        '以其他理由转学须上传说明理由的证明材料',
        'A transfer on another ground needs a document showing the reason',
        'evidenceRefs',
      ),
    ];
  }
  return [];
}

/** SC-4: not before a semester of study, not in the graduating year (suspended students: see status.ts). */
function whenInStudy(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  if (r.transfer!.fromGeneralHighSchool) return []; // they come from elsewhere: SC-6 holds instead
  const p = rule(profile, 'SC-4');
  const found: RuleViolation[] = [];
  if (semestersCompleted(profile, s.entryDate, r.effectiveDate) < p.minSemestersStudied) {
    found.push(
      violation(
        'SC-4',
        `在中职学校学习未满 ${p.minSemestersStudied} 个学期，不予转学`,
        `No transfer before ${p.minSemestersStudied} semester(s) of study at the school`,
        'effectiveDate',
      ),
    );
  }
  if (p.graduatingYearBarred && studyPosition(profile, s.entryDate, s.expectedYears, r.effectiveDate).graduatingYear) {
    found.push(
      violation('SC-4', '毕业年级学生不予转学', 'Students in their graduating year may not transfer', 'effectiveDate'),
    );
  }
  return found;
}

/**
 * SC-5: when a transfer (and, where the profile says so, a change of major) may happen. The effective date
 * is held to the semester start; "apply before the start" and "apply within the first month" concern the
 * application, so only the SUBMISSION stage is held to them.
 */
export function semesterTiming(r: ChangeRequestFacts, profile: PolicyProfile, what: ChangeKind): RuleViolation[] {
  const { timing } = rule(profile, 'SC-5');
  const kind = what === 'TRANSFER' ? { zh: '转学', en: 'Transfers' } : { zh: '转专业', en: 'Changes of major' };
  if (
    (timing === 'AT_SEMESTER_START' || timing === 'BEFORE_SEMESTER_START') &&
    !isSemesterStart(profile, r.effectiveDate)
  ) {
    return [
      violation(
        'SC-5',
        `${kind.zh}只在学期开学时生效，学期中途不办理`,
        `${kind.en} take effect only on the first day of a semester, never mid-semester`,
        'effectiveDate',
      ),
    ];
  }
  if (r.stage !== 'SUBMISSION') return [];
  if (timing === 'BEFORE_SEMESTER_START' && dayNumber(r.today) >= dayNumber(r.effectiveDate)) {
    return [
      violation(
        'SC-5',
        `${kind.zh}应在学期开学前办理`,
        `${kind.en} must be applied for before the semester starts`,
        'effectiveDate',
      ),
    ];
  }
  if (timing === 'FIRST_MONTH_OF_SEMESTER') {
    const start = semesterStartOn(profile, r.today);
    if (dayNumber(r.today) < dayNumber(start) || dayNumber(r.today) >= dayNumber(addMonths(start, 1))) {
      return [
        violation(
          'SC-5',
          `${kind.zh}应在每学期开学后一个月内申请（本学期 ${start} 开学）`,
          `${kind.en} are applied for within a month after the semester starts (this one started ${start})`,
          'today',
        ),
      ];
    }
  }
  return [];
}

/** SC-6: general high-school students transferring in stay ≥ 1.5 years; beijing: not into the graduating year. */
function fromHighSchool(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  const t = r.transfer!;
  if (!t.fromGeneralHighSchool) return [];
  const p = rule(profile, 'SC-6');
  const found: RuleViolation[] = [];
  if (
    p.diversionAfterHighSchoolMonths !== null &&
    (t.highSchoolMonthsStudied ?? 0) >= p.diversionAfterHighSchoolMonths
  ) {
    found.push(
      violation(
        'SC-6',
        '普通高中学习满一年半的学生按分流办理中职学籍注册（原则上到国家级重点中职学校，其他学校须经市教育局审批），不按转学办理',
        'A general high-school student with 1.5 years of study is diverted and registered anew (at a national key school, others with the city’s approval), not transferred',
        'transfer.highSchoolMonthsStudied',
      ),
    );
  }
  const programmeEnd = addMonths(s.entryDate, s.expectedYears * 12);
  if (monthsBetween(r.effectiveDate, programmeEnd) < p.minMonthsAtVocationalSchool) {
    found.push(
      violation(
        'SC-6',
        `普通高中转入的学生在中职学校学习时间不得少于 ${p.minMonthsAtVocationalSchool / 12} 年（学制至 ${programmeEnd}）`,
        `A student from general high school must study at least ${p.minMonthsAtVocationalSchool} months at the vocational school (the programme ends ${programmeEnd})`,
        'effectiveDate',
      ),
    );
  }
  if (!p.intoGraduatingYear && studyPosition(profile, s.entryDate, s.expectedYears, r.effectiveDate).graduatingYear) {
    found.push(
      violation(
        'SC-6',
        '普通高中学生不得转入毕业年级',
        'Students from general high school may not transfer into the graduating year',
        'effectiveDate',
      ),
    );
  }
  return found;
}

/** SC-7: students of an integrated programme do not transfer; leaving the programme comes first. */
function integratedProgramme(s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  if (s.programme === 'REGULAR' || !rule(profile, 'SC-7').programmes.includes(s.programme)) return [];
  return [
    violation(
      'SC-7',
      '贯通培养项目学生不得转学；因个人原因转学视为放弃本项目培养资格，须先办理退出项目',
      'Students of an integrated programme may not transfer; transferring means giving up the programme, which must be done first',
      'programme',
    ),
  ];
}

export function checkTransfer(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  return [
    ...grounds(r, profile),
    ...whenInStudy(r, s, profile),
    ...semesterTiming(r, profile, 'TRANSFER'),
    ...fromHighSchool(r, s, profile),
    ...integratedProgramme(s, profile),
  ];
}

/**
 * SC-3 and ADM-2: the approvals a request needs, in order. Anything but a transfer: the student's school and
 * its competent authority. A transfer: both schools and both authorities, unless the profile needs fewer
 * (fujian within the province: the two schools agree; beijing within the city: no sending-authority review).
 */
export function approvalSteps(
  kind: ChangeKind,
  request: ChangeRequestFacts,
  profile: PolicyProfile,
): ApprovalStepName[] {
  if (kind !== 'TRANSFER') return ['SENDING_SCHOOL', 'SENDING_AUTHORITY'];
  const p = rule(profile, 'SC-3');
  return [...(request.transfer?.toSameProvince ? p.sameProvince : p.acrossProvinces)];
}

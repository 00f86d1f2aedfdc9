import { rule, type PolicyProfile } from '@xueji/policy';
import { semesterEnd, studyPosition } from './calendar';
import { dayNumber, groundRefused, type RuleViolation, violation } from './rules';
import { semesterTiming } from './transfer';
import type { ChangeRequestFacts, MajorChangeGround, StudentFacts } from './types';
import { HOSPITAL_NAMES } from './words';

const GROUND_NAMES: Record<MajorChangeGround, { zh: string; en: string }> = {
  APTITUDE_OR_INTEREST: { zh: '特长或兴趣', en: 'aptitude or interest' },
  ILLNESS_OR_DISABILITY: { zh: '疾病或生理缺陷', en: 'illness or disability' },
  MAJOR_DISCONTINUED: { zh: '原专业停止招生', en: 'the original major stopped admitting' },
  OTHER: { zh: '其他正当理由', en: 'another proper reason' },
};

/** SC-8: the profile's grounds; illness or disability needs a hospital certificate. */
function majorGrounds(r: ChangeRequestFacts, profile: PolicyProfile): RuleViolation[] {
  const ground = r.majorChange!.ground;
  const p = rule(profile, 'SC-8');
  if (!p.grounds.includes(ground)) {
    return [
      groundRefused(
        'SC-8',
        'majorChange.ground',
        GROUND_NAMES,
        ground,
        { zh: '转专业的理由', en: 'changing major' },
        p.grounds,
      ),
    ];
  }
  if ((ground === 'ILLNESS_OR_DISABILITY' || ground === 'OTHER') && r.evidenceRefs.length === 0) {
    const hospital = HOSPITAL_NAMES[p.certificateHospital];
    return [
      ground === 'OTHER'
        ? violation('SC-8', '须上传说明转专业理由的材料', 'Attach a document showing the reason', 'evidenceRefs')
        : violation(
            'SC-8',
            `因疾病或生理缺陷转专业须上传${hospital.zh}的证明`,
            `A change of major for illness or disability needs a certificate from ${hospital.en}`,
            'evidenceRefs',
          ),
    ];
  }
  return [];
}

/**
 * SC-9: across categories by the end of year 1 semester 1, within one by the end of year 2 semester 1
 * (fujian: year 1 only); never in the graduating year. A change effective on the first day of the next
 * semester counts as made at the end of the one before (beijing: 结束时办理, effective at a semester start).
 */
function majorDeadline(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  const position = studyPosition(profile, s.entryDate, s.expectedYears, r.effectiveDate);
  if (position.graduatingYear) {
    return [
      violation(
        'SC-9',
        '毕业年级学生不得转专业',
        'Students in their graduating year may not change major',
        'effectiveDate',
      ),
    ];
  }
  const across = s.majorCategoryCode !== null && s.majorCategoryCode !== r.majorChange!.toMajorCategoryCode;
  const p = rule(profile, 'SC-9');
  const by = across ? p.acrossCategoriesBy : p.withinCategoryBy;
  const deadline = semesterEnd(profile, s.entryDate, by.studyYear, by.semester);
  if (dayNumber(r.effectiveDate) <= dayNumber(deadline)) return [];
  const what = across
    ? { zh: '跨专业大类', en: 'across major categories' }
    : { zh: '同一专业大类内', en: 'within a category' };
  return [
    violation(
      'SC-9',
      `${what.zh}转专业须在${by.studyYear}年级第${by.semester}学期结束前办理（最迟于 ${deadline} 生效）`,
      `A change of major ${what.en} must be made by the end of year ${by.studyYear} semester ${by.semester} (effective on ${deadline} at the latest)`,
      'effectiveDate',
    ),
  ];
}

/** SC-10: an agriculture-related major that had the tuition waiver keeps the student (jilin: unless the province approves). */
function waiverMajor(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  const p = rule(profile, 'SC-10');
  if (!p.applies || !s.agricultureRelated || !s.hadTuitionWaiver) return [];
  if (p.provincialApprovalException && r.majorChange!.provincialApproval) return [];
  return [
    violation(
      'SC-10',
      p.provincialApprovalException
        ? '已享受免学费政策的涉农专业学生不得转专业，特殊情况须经省级教育行政部门批准'
        : '已享受免学费政策的涉农（特殊）专业学生不得转专业',
      p.provincialApprovalException
        ? 'Students of an agriculture-related major who had the tuition waiver may not change major without the provincial authority’s approval'
        : 'Students of an agriculture-related (tuition-free) major who had the waiver may not change major',
      'majorChange',
    ),
  ];
}

export function checkMajorChange(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  const found: RuleViolation[] = [];
  if (r.majorChange!.toMajorCode === s.majorCode) {
    found.push(
      violation('SC-8', '转入专业与原专业相同', 'The new major is the current one', 'majorChange.toMajorCode'),
    );
  }
  return [
    ...found,
    ...majorGrounds(r, profile),
    ...majorDeadline(r, s, profile),
    ...waiverMajor(r, s, profile),
    ...(rule(profile, 'SC-5').alsoMajorChange ? semesterTiming(r, profile, 'MAJOR_CHANGE') : []),
  ];
}

/** SC-11: a repeat follows failing ≥ the profile's share of the year's courses; credit-system schools do not repeat. */
export function checkRepeat(r: ChangeRequestFacts, profile: PolicyProfile): RuleViolation[] {
  const p = rule(profile, 'SC-11');
  const { fact, creditSystemSchool } = r.repeat!;
  if ((creditSystemSchool || p.allSchoolsCreditSystem) && !p.creditSystemRepeats) {
    return [
      violation(
        'SC-11',
        '实行学分制的学校不实行留级，不及格课程可重修重考',
        'Credit-system schools do not use repeats; failed courses are retaken',
        'repeat.creditSystemSchool',
      ),
    ];
  }
  if (!fact) {
    return [
      violation(
        'SC-11',
        '评价系统尚未报送该生本学年补考后的不及格课程门数，不能申报留级',
        'Assessment has published no count of the student’s failed courses after make-ups; no repeat yet',
        'repeat',
      ),
    ];
  }
  const { failedCourses, totalCourses } = fact;
  const share = p.failedShare;
  if (share && failedCourses * share.denominator < totalCourses * share.numerator) {
    return [
      violation(
        'SC-11',
        `补考后仍不及格的课程（${failedCourses}/${totalCourses} 门）未达该学年课程的 ${share.numerator}/${share.denominator}，不予留级`,
        `Failed courses after make-up (${failedCourses} of ${totalCourses}) are under ${share.numerator}/${share.denominator} of the year’s courses; no repeat`,
        'repeat.failedCourses',
      ),
    ];
  }
  return [];
}

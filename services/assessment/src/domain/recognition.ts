import { rule, type PolicyProfile } from '@xueji/policy';
import { violation, type RuleViolation } from '@xueji/rules';
import {
  HOSPITAL_LEVELS,
  VOCATIONAL_CERTIFICATE_KINDS,
  type CreditRecognitionKind,
  type HospitalLevel,
  type StudyForm,
  type VocationalCertificateKind,
} from '@xueji/vocabulary';

const HOSPITAL_NAMES: Record<HospitalLevel, { zh: string; en: string }> = {
  COUNTY_OR_ABOVE: { zh: '县级及以上医院', en: 'a county-level or higher hospital' },
  GRADE_2A_OR_ABOVE: { zh: '二级甲等及以上医院', en: 'a grade-2A or higher hospital' },
};

/**
 * AS-4: certificates (vocational qualification, skill level) and prior work convert into credits
 * or exempt courses where the profile has the rule; jilin only for flexible-study students. A PE
 * exemption is AS-6's (`checkPeExemption`), never a conversion.
 */
export function checkRecognition(
  kind: CreditRecognitionKind,
  student: { studyForm: StudyForm },
  profile: PolicyProfile,
): RuleViolation[] {
  if (kind === 'MEDICAL_EXEMPTION') {
    return [
      violation('AS-6', '免修体育须凭医院证明单独办理', 'A PE exemption is made on a hospital certificate', 'kind'),
    ];
  }
  const p = rule(profile, 'AS-4');
  if (!p.applies) {
    return [
      violation(
        'AS-4',
        '本省未规定以证书或工作经历折算学分、免修课程',
        'This profile does not convert certificates or prior work into credits or exemptions',
        'kind',
      ),
    ];
  }
  if (p.flexibleStudentsOnly && student.studyForm !== 'FLEXIBLE') {
    return [
      violation(
        'AS-4',
        '只有弹性学习的学生可凭工作经历、证书折算成绩或学分',
        'Only flexible-study students convert work or certificates into results or credits',
        'studentId',
      ),
    ];
  }
  return [];
}

/**
 * AS-6: PE is compulsory; where the profile allows it (beijing), a student for whom PE is truly
 * difficult is exempted on a certificate of a hospital of the profile's level or higher.
 */
export function checkPeExemption(
  course: { physicalEducation: boolean },
  hospitalLevel: HospitalLevel,
  profile: PolicyProfile,
): RuleViolation[] {
  const p = rule(profile, 'AS-6');
  if (!course.physicalEducation) {
    return [
      violation(
        'AS-6',
        '只有体育课可凭医院证明免修',
        'Only a PE course is exempted on a hospital certificate',
        'courseId',
      ),
    ];
  }
  if (!p.medicalExemption) {
    return [violation('AS-6', '体育为必修课，不予免修', 'PE is compulsory: no exemption', 'courseId')];
  }
  if (HOSPITAL_LEVELS.indexOf(hospitalLevel) < HOSPITAL_LEVELS.indexOf(p.certificateHospital)) {
    const h = HOSPITAL_NAMES[p.certificateHospital];
    return [
      violation(
        'AS-6',
        `免修体育须有${h.zh}的证明`,
        `A PE exemption needs a certificate from ${h.en}`,
        'hospitalLevel',
      ),
    ];
  }
  return [];
}

/**
 * AS-5: a course of a later study year than the student's own is taken early; only where the
 * profile lets strong students earn next year's credits early (jilin, fujian).
 */
export function checkEarlyCourse(
  courseStudyYear: number,
  studentStudyYear: number,
  profile: PolicyProfile,
): RuleViolation[] {
  if (courseStudyYear <= studentStudyYear || rule(profile, 'AS-5').applies) return [];
  return [
    violation(
      'AS-5',
      `该课程属第 ${courseStudyYear} 学年，学生在读第 ${studentStudyYear} 学年，本省不允许提前修读`,
      `The course belongs to study year ${courseStudyYear}; the student is in year ${studentStudyYear}, and this profile does not allow taking it early`,
      'courseId',
    ),
  ];
}

/** The study year a cohort is in on a day: year 1 from its entry year's August (autumn intake) on. */
export function studyYearOn(cohortYear: number, day: string): number {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return Math.max(1, year - cohortYear + (month >= 8 ? 1 : 0));
}

/** The certificate a recognition rests on, as printed (GR-11: the certificates held). */
export interface RecognisedCertificate {
  kind: VocationalCertificateKind;
  title: string;
  number: string;
  issuedOn: string;
}

/**
 * AS-4 / GR-1 (fujian) / GR-11: a recognition resting on a vocational qualification or skill
 * certificate states the certificate whole (title, its own number, the day issued), which graduation
 * needs to count and show it; prior work states none. The certificate, or the field wrongly given
 * or missing.
 */
export function recognisedCertificate(
  kind: CreditRecognitionKind,
  input: { certificateTitle?: string | null; certificateNumber?: string | null; issuedOn?: string | null },
): { certificate: RecognisedCertificate | null } | { field: string; message: { zh: string; en: string } } {
  const title = input.certificateTitle?.trim() || null;
  const number = input.certificateNumber?.trim() || null;
  const issuedOn = input.issuedOn ?? null;
  if (!(VOCATIONAL_CERTIFICATE_KINDS as readonly string[]).includes(kind)) {
    if (title || number || issuedOn)
      return {
        field: title ? 'certificateTitle' : number ? 'certificateNumber' : 'issuedOn',
        message: {
          zh: '工作经历没有证书名称、编号或发证日期',
          en: 'Prior work has no certificate title, number or date',
        },
      };
    return { certificate: null };
  }
  const missing = !title ? 'certificateTitle' : !number ? 'certificateNumber' : !issuedOn ? 'issuedOn' : null;
  if (missing)
    return {
      field: missing,
      message: {
        zh: '证书须填写名称、编号和发证日期',
        en: 'A certificate needs its title, number and date of issue',
      },
    };
  return {
    certificate: { kind: kind as VocationalCertificateKind, title: title!, number: number!, issuedOn: issuedOn! },
  };
}

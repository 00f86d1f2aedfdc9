import { rule, type PolicyProfile } from '@xueji/policy';
import { inputProblem, violation, type RuleViolation } from '@xueji/rules';
import type { ConductGrade, ConductPeriod } from '@xueji/vocabulary';

export interface ConductFacts {
  period: ConductPeriod;
  term?: string | null;
  grade?: ConductGrade | null;
  comment?: string | null;
}

const SEMESTER = /^(\d{4})-(\d{4})-[12]$/;
const YEAR = /^(\d{4})-(\d{4})$/;

/**
 * AS-2: conduct is evaluated each semester on four grades (优秀/良好/合格/不合格), or — beijing — in
 * written comments each semester or year, with a full written appraisal at graduation.
 */
export function checkConduct(c: ConductFacts, profile: PolicyProfile): RuleViolation[] {
  const p = rule(profile, 'AS-2');
  const found: RuleViolation[] = [];
  const term = c.term?.trim() || null;
  if (c.period === 'GRADUATION') {
    if (term) found.push(inputProblem('AS-2', '毕业鉴定不填学期', 'The graduation appraisal has no term', 'term'));
  } else {
    const match = term ? (c.period === 'SEMESTER' ? SEMESTER : YEAR).exec(term) : null;
    if (!match || Number(match[2]) !== Number(match[1]) + 1) {
      found.push(
        inputProblem(
          'AS-2',
          c.period === 'SEMESTER' ? '学期应写作 YYYY-YYYY-1 或 YYYY-YYYY-2' : '学年应写作 YYYY-YYYY',
          c.period === 'SEMESTER' ? 'A semester is written YYYY-YYYY-1 or YYYY-YYYY-2' : 'A year is written YYYY-YYYY',
          'term',
        ),
      );
    }
  }
  const comment = c.comment?.trim() ?? '';
  if (p.form === 'FOUR_GRADES') {
    if (c.period === 'YEAR') {
      found.push(violation('AS-2', '操行按学期评定等级', 'Conduct is graded each semester, not by year', 'period'));
    }
    if (c.period === 'SEMESTER' && !c.grade) {
      found.push(
        violation(
          'AS-2',
          '学期操行应评定为优秀、良好、合格或不合格',
          'A semester’s conduct is graded excellent, good, pass or fail',
          'grade',
        ),
      );
    }
  } else if (!comment) {
    found.push(
      violation('AS-2', '操行评定采用写实性评语，评语不能为空', 'Conduct is evaluated in written comments', 'comment'),
    );
  }
  if (c.period === 'GRADUATION' && p.graduationAppraisal && !comment) {
    if (!found.some((f) => f.field === 'comment')) {
      found.push(
        violation('AS-2', '毕业时应作全面鉴定（评语）', 'A full written appraisal is made at graduation', 'comment'),
      );
    }
  }
  return found;
}

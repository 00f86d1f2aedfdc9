import { rule, type PolicyProfile } from '@xueji/policy';
import { addDays, dayNumber, violation, type RuleViolation } from '@xueji/rules';
import type { GraduationInputKind, RewardForm, RewardLevel, RewardScope } from '@xueji/vocabulary';

export type { GraduationInputKind, RewardForm, RewardLevel, RewardScope };

const LEVEL_NAMES: Record<RewardLevel, { zh: string; en: string }> = {
  NATIONAL: { zh: '国家级', en: 'national' },
  PROVINCIAL: { zh: '省（市）级', en: 'provincial or municipal' },
  CITY: { zh: '市级', en: 'city' },
  COUNTY: { zh: '县（区）级', en: 'county or district' },
  INDUSTRY: { zh: '行业', en: 'industry' },
  SCHOOL: { zh: '校级', en: 'school' },
};

/** A reward as the school records it (AS-9). */
export interface RewardFacts {
  level: RewardLevel;
  form: RewardForm;
  scope: RewardScope;
  amountCny: number | null;
  postingRef: string | null;
}

/**
 * AS-9: a level the profile names (beijing: 全国、市、区、行业、学校); a scholarship with its amount, a title
 * without one; (beijing) the public posting of the reward.
 */
export function rewardProblems(facts: RewardFacts, profile: PolicyProfile): RuleViolation[] {
  const p = rule(profile, 'AS-9');
  const problems: RuleViolation[] = [];
  if (!p.levels.includes(facts.level)) {
    const allowed = p.levels.map((l) => LEVEL_NAMES[l]);
    problems.push(
      violation(
        'AS-9',
        `本省奖励层次不含${LEVEL_NAMES[facts.level].zh}（可为：${allowed.map((l) => l.zh).join('、')}）`,
        `${LEVEL_NAMES[facts.level].en} is not a reward level here (allowed: ${allowed.map((l) => l.en).join(', ')})`,
        'input.level',
      ),
    );
  }
  if ((facts.form === 'SCHOLARSHIP') !== (facts.amountCny !== null)) {
    problems.push({
      ...violation(
        'AS-9',
        '奖学金须填写金额，荣誉称号不填金额',
        'A scholarship has an amount; a title has none',
        'input.amountCny',
      ),
      input: true,
    });
  }
  if (facts.amountCny !== null && !(facts.amountCny > 0 && facts.amountCny <= 1_000_000)) {
    problems.push({
      ...violation(
        'AS-9',
        '金额应在 0 至 1,000,000 元之间',
        'The amount must lie between 0 and 1,000,000 CNY',
        'input.amountCny',
      ),
      input: true,
    });
  }
  if (p.publicPosting && !facts.postingRef) {
    problems.push(
      violation(
        'AS-9',
        '奖励须进行公示，请提供公示记录',
        'The reward must be posted publicly: give the posting’s reference',
        'input.postingRef',
      ),
    );
  }
  return problems;
}

/** A placement internship as the school records it (AS-7). */
export interface PlacementFacts {
  startsOn: string;
  endsOn: string;
  /** The day the school applied to the authority (hubei-shiyan), if it did. */
  appliedOn: string | null;
  /** Share of the teaching plan completed when the internship starts, in per cent (hubei-shiyan). */
  planCompletedPercent: number | null;
  /** Months the student already spends in other placements off campus. */
  otherPlacementMonths: number;
}

/** Whole months of a period, first to last day (a school year of placements: 12). */
export function placementMonths(startsOn: string, endsOn: string): number {
  return Math.round((dayNumber(addDays(endsOn, 1)) - dayNumber(startsOn)) / (365.25 / 12));
}

/**
 * AS-7: the period runs forward; hubei-shiyan (003a 一.6): after 2/3 of the teaching plan, applied for at
 * least 15 days before it starts, and at most one school year off campus in all.
 */
export function placementProblems(facts: PlacementFacts, profile: PolicyProfile): RuleViolation[] {
  const p = rule(profile, 'AS-7');
  const problems: RuleViolation[] = [];
  if (facts.endsOn < facts.startsOn) {
    return [
      {
        ...violation(
          'AS-7',
          '实习结束日期不能早于开始日期',
          'The internship cannot end before it starts',
          'input.endsOn',
        ),
        input: true,
      },
    ];
  }
  if (p.minPlanShare) {
    const { numerator, denominator } = p.minPlanShare;
    const percent = facts.planCompletedPercent;
    if (percent === null || percent * denominator < numerator * 100) {
      problems.push(
        violation(
          'AS-7',
          `须完成教学计划的 ${numerator}/${denominator} 后方可顶岗实习`,
          `A placement internship starts only after ${numerator}/${denominator} of the teaching plan is completed`,
          'input.planCompletedPercent',
        ),
      );
    }
  }
  if (p.applyDaysAhead !== null) {
    const latest = addDays(facts.startsOn, -p.applyDaysAhead);
    if (!facts.appliedOn || facts.appliedOn > latest) {
      problems.push(
        violation(
          'AS-7',
          `顶岗实习须提前 ${p.applyDaysAhead} 日（${latest} 前）向主管部门申请`,
          `A placement internship must be applied for ${p.applyDaysAhead} days ahead (by ${latest})`,
          'input.appliedOn',
        ),
      );
    }
  }
  if (p.maxOffCampusMonths !== null) {
    const months = facts.otherPlacementMonths + placementMonths(facts.startsOn, facts.endsOn);
    if (months > p.maxOffCampusMonths) {
      problems.push(
        violation(
          'AS-7',
          `校外实习累计不得超过 ${p.maxOffCampusMonths} 个月（一学年），本次之后共 ${months} 个月`,
          `Off-campus internships may total at most ${p.maxOffCampusMonths} months (one school year); with this one ${months}`,
          'input.endsOn',
        ),
      );
    }
  }
  return problems;
}

/** AS-7: the assessment is the employer's and the school's together, after the internship began. */
export function assessmentProblems(
  internship: { startsOn: string; state: string },
  assessedOn: string,
): RuleViolation[] {
  if (internship.state !== 'PLACED') {
    return [violation('AS-7', '该实习已有鉴定结果', 'The internship is already assessed')];
  }
  if (assessedOn < internship.startsOn) {
    return [
      {
        ...violation(
          'AS-7',
          '鉴定日期不能早于实习开始',
          'The assessment cannot precede the internship',
          'input.assessedOn',
        ),
        input: true,
      },
    ];
  }
  return [];
}

/** AS-17: graduation inputs are hubei-shiyan's; a score lies within 0–100. */
export function graduationInputProblems(score: number | null, profile: PolicyProfile): RuleViolation[] {
  if (!rule(profile, 'AS-17').applies) {
    return [
      violation(
        'AS-17',
        '本省毕业条件不含文化基础课抽考和校级技能大赛',
        'The culture sample test and the skills competition are not graduation inputs here',
      ),
    ];
  }
  if (score !== null && !(score >= 0 && score <= 100)) {
    return [
      { ...violation('AS-17', '成绩应在 0 至 100 之间', 'A score lies between 0 and 100', 'input.score'), input: true },
    ];
  }
  return [];
}

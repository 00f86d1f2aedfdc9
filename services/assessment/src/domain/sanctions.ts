import { rule, type PolicyProfile } from '@xueji/policy';
import { addMonths, violation, type RuleViolation } from '@xueji/rules';
import type {
  AppealOutcome,
  DecidingBody,
  ExpulsionAuthorityStep,
  SanctionKind,
  SanctionState,
} from '@xueji/vocabulary';

export type { AppealOutcome, DecidingBody, ExpulsionAuthorityStep, SanctionKind, SanctionState };

export const SANCTION_NAMES: Record<SanctionKind, { zh: string; en: string }> = {
  WARNING: { zh: '警告', en: 'warning' },
  SERIOUS_WARNING: { zh: '严重警告', en: 'serious warning' },
  DEMERIT: { zh: '记过', en: 'demerit' },
  PROBATION: { zh: '留校察看', en: 'probation' },
  EXPULSION: { zh: '开除学籍', en: 'expulsion' },
};

export const BODY_NAMES: Record<DecidingBody, { zh: string; en: string }> = {
  SCHOOL_OFFICE: { zh: '学校学生工作部门', en: 'the school’s student-affairs office' },
  PRINCIPAL_OFFICE_MEETING: { zh: '校长办公会议', en: 'the principal’s office meeting' },
  SCHOOL_AFFAIRS_MEETING: { zh: '校务会', en: 'the school affairs meeting' },
};

/** AS-10: the order of the sanctions, lightest first (the profile's list). */
export function severity(profile: PolicyProfile, kind: SanctionKind): number {
  return rule(profile, 'AS-10').kinds.indexOf(kind);
}

/** Whole years of age on a day (the birthday itself counts). */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** The facts a sanction decision is judged on. */
export interface SanctionDecisionFacts {
  kind: SanctionKind;
  decidingBody: DecidingBody;
  decidedOn: string;
  /** From enrolment's registration event; null when it carried none. */
  birthDate: string | null;
  /** The student already has an expulsion standing (in effect or awaiting the authority). */
  alreadyExpelled: boolean;
}

/**
 * AS-10 … AS-13: a sanction the profile knows; an expulsion decided by the body the profile names and,
 * where minors are protected, of a student of age on the decision date (AS-11); a lesser sanction decided
 * by the body the profile requires (AS-13, beijing: the school affairs meeting).
 */
export function sanctionDecisionProblems(facts: SanctionDecisionFacts, profile: PolicyProfile): RuleViolation[] {
  const kinds = rule(profile, 'AS-10').kinds;
  if (!kinds.includes(facts.kind)) {
    return [
      violation(
        'AS-10',
        `本省处分种类不含“${SANCTION_NAMES[facts.kind].zh}”`,
        `${SANCTION_NAMES[facts.kind].en} is not a sanction here`,
        'input.kind',
      ),
    ];
  }
  const problems: RuleViolation[] = [];
  if (facts.alreadyExpelled) {
    problems.push(
      violation(
        'AS-10',
        '该学生已受开除学籍处分，不能再给予处分',
        'The student is already expelled; no further sanction can be decided',
        'input.studentId',
      ),
    );
  }
  if (facts.kind === 'EXPULSION') {
    const p = rule(profile, 'AS-11');
    if (facts.decidingBody !== p.decidingBody) {
      problems.push(
        violation(
          'AS-11',
          `开除学籍须经${BODY_NAMES[p.decidingBody].zh}研究决定`,
          `An expulsion must be decided by ${BODY_NAMES[p.decidingBody].en}`,
          'input.decidingBody',
        ),
      );
    }
    if (p.minorsProtected) {
      if (!facts.birthDate) {
        problems.push(
          violation(
            'AS-11',
            '学生出生日期未知，无法确认其已成年，不得开除学籍',
            'The student’s date of birth is unknown, so it cannot be shown the student is of age: no expulsion',
            'input.studentId',
          ),
        );
      } else if (ageOn(facts.birthDate, facts.decidedOn) < p.adultAge) {
        problems.push(
          violation(
            'AS-11',
            `学生在处分决定日（${facts.decidedOn}）未满 ${p.adultAge} 周岁，不得开除未成年学生`,
            `The student is under ${p.adultAge} on the decision date (${facts.decidedOn}): a minor may not be expelled`,
            'input.studentId',
          ),
        );
      }
    }
  } else {
    const body = rule(profile, 'AS-13').decidingBody;
    if (body !== 'SCHOOL_OFFICE' && facts.decidingBody !== body) {
      problems.push(
        violation(
          'AS-13',
          `处分须经${BODY_NAMES[body].zh}研究决定`,
          `A sanction must be decided by ${BODY_NAMES[body].en}`,
          'input.decidingBody',
        ),
      );
    }
  }
  return problems;
}

/**
 * AS-11: what the authority does with an expulsion under the profile, and the state the decision
 * starts in: every expulsion waits for the authority's step (filing or approval); a lesser sanction is
 * in effect at once.
 */
export function initialState(kind: SanctionKind): SanctionState {
  return kind === 'EXPULSION' ? 'PENDING_AUTHORITY' : 'EFFECTIVE';
}

/** AS-11: the authority may refuse an expulsion only where it approves it; a filing is recorded, not refused. */
export function rejectionProblems(step: ExpulsionAuthorityStep): RuleViolation[] {
  if (step === 'APPROVAL') return [];
  return [
    violation(
      'AS-11',
      '本省开除学籍报主管部门备案，备案不作审批，不能驳回',
      'Here an expulsion is filed with the authority, not approved by it: a filing cannot be rejected',
    ),
  ];
}

/**
 * AS-13: the notice to the student or guardian, delivered on or after the decision, and (beijing) the
 * public posting of the decision.
 */
export function noticeProblems(
  sanction: { decidedOn: string },
  notice: { deliveredOn: string; postingRef: string | null },
  profile: PolicyProfile,
): RuleViolation[] {
  const problems: RuleViolation[] = [];
  if (notice.deliveredOn < sanction.decidedOn) {
    problems.push({
      ...violation(
        'AS-13',
        `送达日期不能早于处分决定日期（${sanction.decidedOn}）`,
        `The notice cannot be delivered before the decision (${sanction.decidedOn})`,
        'input.deliveredOn',
      ),
      input: true,
    });
  }
  if (rule(profile, 'AS-13').publicPosting && !notice.postingRef) {
    problems.push(
      violation(
        'AS-13',
        '处分决定须进行公示，请提供公示记录',
        'The decision must be posted publicly: give the posting’s reference',
        'input.postingRef',
      ),
    );
  }
  return problems;
}

/** The facts of a revocation (AS-12). */
export interface RevocationFacts {
  kind: SanctionKind;
  state: SanctionState;
  /** The day the sanction took effect. */
  effectiveOn: string;
  today: string;
  /** The student's written application, where one was made. */
  applicationRef: string | null;
}

/**
 * AS-12: warning … probation are revoked after the profile's period from their effect, on the school's
 * decision (fujian: on the student's application); an expulsion never is; only a sanction in effect is.
 */
export function revocationProblems(facts: RevocationFacts, profile: PolicyProfile): RuleViolation[] {
  if (facts.kind === 'EXPULSION') {
    return [violation('AS-12', '开除学籍处分不能撤销', 'An expulsion cannot be revoked')];
  }
  if (facts.state !== 'EFFECTIVE') {
    return [violation('AS-12', '只有生效中的处分可以撤销', 'Only a sanction in effect can be revoked')];
  }
  const p = rule(profile, 'AS-12');
  const problems: RuleViolation[] = [];
  const months = p.revocableAfterMonths[facts.kind];
  const from = addMonths(facts.effectiveOn, months);
  if (facts.today < from) {
    problems.push(
      violation(
        'AS-12',
        `${SANCTION_NAMES[facts.kind].zh}处分须满 ${months} 个月（${from} 起）方可撤销`,
        `A ${SANCTION_NAMES[facts.kind].en} can be revoked only ${months} months after it took effect (from ${from})`,
      ),
    );
  }
  if (p.onStudentApplication && !facts.applicationRef) {
    problems.push(
      violation(
        'AS-12',
        '撤销处分须由学生本人提出申请',
        'A sanction is revoked only on the student’s application',
        'input.applicationRef',
      ),
    );
  }
  return problems;
}

/** What an appeal's decision does to the sanction (AS-14). */
export interface AppealDecision {
  outcome: AppealOutcome;
  newKind: SanctionKind | null;
}

/**
 * AS-14: an appeal upholds the sanction, changes it to a lighter one (an appeal never makes it heavier),
 * or annuls it.
 */
export function appealDecisionProblems(
  current: SanctionKind,
  decision: AppealDecision,
  profile: PolicyProfile,
): RuleViolation[] {
  if (decision.outcome !== 'CHANGE') {
    if (decision.newKind === null) return [];
    return [
      {
        ...violation(
          'AS-14',
          '只有变更处分时才填写新的处分种类',
          'A new kind is given only when the sanction is changed',
          'input.newKind',
        ),
        input: true,
      },
    ];
  }
  if (!decision.newKind || severity(profile, decision.newKind) >= severity(profile, current)) {
    return [
      violation(
        'AS-14',
        `变更处分须改为比“${SANCTION_NAMES[current].zh}”更轻的处分`,
        `A changed sanction must be lighter than the ${SANCTION_NAMES[current].en}`,
        'input.newKind',
      ),
    ];
  }
  return [];
}

/** The sanction after an appeal's decision: its kind and state. */
export function afterAppeal(
  sanction: { kind: SanctionKind; state: SanctionState },
  decision: AppealDecision,
): { kind: SanctionKind; state: SanctionState; expulsionLifted: boolean } {
  const wasExpulsionInEffect = sanction.kind === 'EXPULSION' && sanction.state === 'EFFECTIVE';
  switch (decision.outcome) {
    case 'UPHOLD':
      return { ...sanction, expulsionLifted: false };
    case 'ANNUL':
      return { kind: sanction.kind, state: 'ANNULLED', expulsionLifted: wasExpulsionInEffect };
    case 'CHANGE':
      // A lighter sanction is in effect at once; an expulsion awaiting the authority no longer does.
      return { kind: decision.newKind!, state: 'EFFECTIVE', expulsionLifted: wasExpulsionInEffect };
  }
}

import { rule, type PolicyProfile } from '@xueji/policy';
import { violation, type RuleViolation } from '@xueji/rules';
import type { AppealStage, AppealState } from '@xueji/vocabulary';
import type { SanctionState } from './sanctions';
import { addWorkingDays, CalendarNotCovered, calendarNotCovered, type WorkingDayCalendar } from './working-days';

export type { AppealStage, AppealState };

/** AS-14: only a sanction that stands (in effect, or an expulsion awaiting the authority) can be appealed. */
export function appealableProblems(state: SanctionState): RuleViolation[] {
  if (state === 'EFFECTIVE' || state === 'PENDING_AUTHORITY') return [];
  return [
    violation(
      'AS-14',
      '该处分已撤销、被驳回或已被撤销于申诉，不能再申诉',
      'The sanction no longer stands (revoked, rejected or annulled): there is nothing to appeal',
    ),
  ];
}

/** The school's review of a first appeal (AS-14), as the authority stage needs it. */
export interface SchoolReview {
  state: AppealState;
  /** The day the student received the school's review decision. */
  deliveredOn: string | null;
}

/** An appeal to the authority: its last day, its answer's due day, or the rules it breaks. */
export type AuthorityAppealJudgement =
  | { ok: true; appealDeadline: string; answerDue: string }
  | { ok: false; problems: RuleViolation[] };

/**
 * AS-14: against the school's review decision the student may appeal in writing to the authority
 * within `appealWorkingDays` working days of receiving it; the authority answers within
 * `authorityAnswerWorkingDays` working days of receiving the appeal. The school reviews first; fujian
 * has no appeal to the authority. Deadlines are counted on the working-day calendar; one that reaches a
 * year the calendar does not hold is refused, naming the year.
 */
export function judgeAuthorityAppeal(
  profile: PolicyProfile,
  calendar: WorkingDayCalendar,
  review: SchoolReview | null,
  receivedOn: string,
): AuthorityAppealJudgement {
  const p = rule(profile, 'AS-14');
  if (!p.authorityAppeal) {
    return {
      ok: false,
      problems: [
        violation(
          'AS-14',
          '本省学生申诉由学校复查答复，不向主管部门提出',
          'Here an appeal is reviewed and answered by the school; there is no appeal to the authority',
        ),
      ],
    };
  }
  if (!review || review.state !== 'DECIDED' || !review.deliveredOn) {
    return {
      ok: false,
      problems: [
        violation(
          'AS-14',
          '须先经学校申诉机构复查并送达复查决定，方可向主管部门申诉',
          'The school’s appeal body must review first, and its decision be delivered, before an appeal to the authority',
        ),
      ],
    };
  }
  if (receivedOn < review.deliveredOn) {
    return {
      ok: false,
      problems: [
        {
          ...violation(
            'AS-14',
            `收到申诉日期不能早于复查决定送达日期（${review.deliveredOn}）`,
            `The appeal cannot be received before the review decision was delivered (${review.deliveredOn})`,
            'input.receivedOn',
          ),
          input: true,
        },
      ],
    };
  }
  try {
    const appealDeadline = addWorkingDays(calendar, review.deliveredOn, p.appealWorkingDays);
    if (receivedOn > appealDeadline) {
      return {
        ok: false,
        problems: [
          violation(
            'AS-14',
            `申诉逾期：应在收到复查决定之日（${review.deliveredOn}）起 ${p.appealWorkingDays} 个工作日内（至 ${appealDeadline}）提出`,
            `The appeal is late: it had to reach the authority within ${p.appealWorkingDays} working days of receiving the review decision on ${review.deliveredOn} (by ${appealDeadline})`,
            'input.receivedOn',
          ),
        ],
      };
    }
    const answerDue = addWorkingDays(calendar, receivedOn, p.authorityAnswerWorkingDays);
    return { ok: true, appealDeadline, answerDue };
  } catch (error) {
    if (error instanceof CalendarNotCovered) {
      return { ok: false, problems: [calendarNotCovered(error.year, 'input.receivedOn')] };
    }
    throw error;
  }
}

/** Working days from `today` (exclusive) to `due` (inclusive); 0 on the day itself or after; null past the calendar. */
export function workingDaysLeft(calendar: WorkingDayCalendar, today: string, due: string): number | null {
  if (due <= today) return 0;
  try {
    let left = 0;
    let day = today;
    while (day < due) {
      day = addWorkingDays(calendar, day, 1);
      if (day <= due) left++;
    }
    return left;
  } catch (error) {
    if (error instanceof CalendarNotCovered) return null;
    throw error;
  }
}

/** A deadline about to pass (the reviewer's queue flags it): at most this many working days left. */
export const DUE_SOON_WORKING_DAYS = 5;

import { rule, type PolicyProfile } from '@xueji/policy';
import { addMonths, dayNumber, groundRefused, monthsBetween, type RuleViolation, violation } from './rules';
import type { ChangeRequestFacts, StudentFacts, SuspensionGround, SuspensionPeriod } from './types';
import { duration, HOSPITAL_NAMES } from './words';

/** A semester, for suspensions counted by semester (beijing 以学期为单位). */
const SEMESTER_MONTHS = 6;

const GROUND_NAMES: Record<SuspensionGround, { zh: string; en: string }> = {
  ILLNESS: { zh: '因病', en: 'illness' },
  PERSONAL_LEAVE: { zh: '因事（特殊困难）', en: 'personal leave (hardship)' },
  MILITARY_SERVICE: { zh: '服兵役', en: 'military service' },
  ABROAD: { zh: '出国（境）', en: 'going abroad' },
  WORK: { zh: '就业或创业', en: 'work or a start-up' },
};

/** SC-13: military service lasts as long as the service and stays outside the cap, unless the profile counts it. */
const counts = (profile: PolicyProfile, ground?: SuspensionGround) =>
  ground !== 'MILITARY_SERVICE' || rule(profile, 'SC-13').militaryServiceCounts;

/** SC-13: months of suspension counted against the cap, with an optional new period added. */
export function cumulativeSuspensionMonths(
  profile: PolicyProfile,
  suspensions: SuspensionPeriod[],
  plusMonths = 0,
  plusGround?: SuspensionGround,
): number {
  const past = suspensions
    .filter((s) => counts(profile, s.ground))
    .reduce((n, s) => n + monthsBetween(s.from, s.to), 0);
  return past + (counts(profile, plusGround) ? plusMonths : 0);
}

/** SC-12: the profile's grounds; illness needs a hospital certificate; work/start-up needs a year of study and age 16. */
function suspensionGrounds(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  const ground = r.suspension!.ground;
  const p = rule(profile, 'SC-12');
  if (!p.grounds.includes(ground)) {
    return [
      groundRefused(
        'SC-12',
        'suspension.ground',
        GROUND_NAMES,
        ground,
        { zh: '本省的休学理由', en: 'suspension here' },
        p.grounds,
      ),
    ];
  }
  if (ground === 'ILLNESS' && r.evidenceRefs.length === 0) {
    const hospital = HOSPITAL_NAMES[p.certificateHospital];
    return [
      violation(
        'SC-12',
        `因病休学须上传${hospital.zh}的诊断证明`,
        `A suspension for illness needs a diagnosis from ${hospital.en}`,
        'evidenceRefs',
      ),
    ];
  }
  if (ground !== 'WORK') return [];
  const found: RuleViolation[] = [];
  if (dayNumber(r.effectiveDate) < dayNumber(addMonths(s.entryDate, p.workMinMonthsStudied))) {
    found.push(
      violation(
        'SC-12',
        `入学满 ${duration(p.workMinMonthsStudied).zh}后方可休学就业或创业`,
        `A suspension for work or a start-up needs ${duration(p.workMinMonthsStudied).en} of study first`,
        'effectiveDate',
      ),
    );
  }
  if (s.age == null || s.age < p.workMinAge) {
    found.push(
      violation(
        'SC-12',
        `休学就业或创业须年满 ${p.workMinAge} 周岁${s.age == null ? '（年龄未知）' : ''}`,
        `A suspension for work or a start-up needs the student to be ${p.workMinAge} or older${s.age == null ? ' (age unknown)' : ''}`,
        'age',
      ),
    );
  }
  return found;
}

/** SC-13: one period at most a year (beijing: whole semesters); the cumulative cap; military service outside both. */
function suspensionLength(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  const { ground, months } = r.suspension!;
  const p = rule(profile, 'SC-13');
  if (!counts(profile, ground)) return [];
  const found: RuleViolation[] = [];
  if (p.periodUnit === 'year' && months > 12) {
    found.push(
      violation(
        'SC-13',
        '休学一般以一年为期，期满仍不能复学的须另办继续休学手续',
        'A suspension lasts one year at most; a further year is a new request',
        'suspension.months',
      ),
    );
  }
  if (p.periodUnit === 'semester' && months % SEMESTER_MONTHS !== 0) {
    found.push(
      violation(
        'SC-13',
        '休学以学期为单位（每学期按 6 个月计）',
        'Suspensions are counted in whole semesters (6 months each)',
        'suspension.months',
      ),
    );
  }
  // Approved suspensions not yet in effect count too: approval commits the months (SC-13).
  const committed = [...s.suspensions, ...(s.scheduledSuspensions ?? [])];
  const total = cumulativeSuspensionMonths(profile, committed, months, ground);
  if (total > p.cumulativeCapMonths) {
    const cap = duration(p.cumulativeCapMonths);
    found.push(
      violation(
        'SC-13',
        `休学累计时间不得超过 ${cap.zh}（含本次共 ${total} 个月；服兵役除外）`,
        `Suspensions may not exceed ${cap.en} in total (${total} months with this one; military service excepted)`,
        'suspension.months',
      ),
    );
  }
  return found;
}

export function checkSuspension(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  return [...suspensionGrounds(r, s, profile), ...suspensionLength(r, s, profile)];
}

/**
 * SC-15: apply before the term the student rejoins (the effective date), within the profile's lead time
 * (jilin a month ahead, beijing within the two weeks before); after illness, a health certificate.
 * Whether the student may resume at all (suspended, not withdrawn) is the status precondition (SC-15/SC-18).
 */
export function checkResumption(r: ChangeRequestFacts, s: StudentFacts, profile: PolicyProfile): RuleViolation[] {
  const p = rule(profile, 'SC-15');
  const found: RuleViolation[] = [];
  const lead = dayNumber(r.effectiveDate) - dayNumber(r.today);
  if (r.stage === 'SUBMISSION' && lead < p.minLeadDays) {
    found.push(
      violation(
        'SC-15',
        `复学须在复学日期前至少 ${p.minLeadDays} 天申请`,
        `Resumption must be applied for at least ${p.minLeadDays} day(s) before the day study resumes`,
        'effectiveDate',
      ),
    );
  }
  if (r.stage === 'SUBMISSION' && p.maxLeadDays !== null && lead > p.maxLeadDays) {
    found.push(
      violation(
        'SC-15',
        `复学应在开学前 ${p.maxLeadDays} 天内申请`,
        `Resumption is applied for within the ${p.maxLeadDays} days before term`,
        'effectiveDate',
      ),
    );
  }
  const last = [...s.suspensions].sort((a, b) => a.from.localeCompare(b.from)).pop();
  if (last?.ground === 'ILLNESS' && !r.resumption?.healthCertificateRef) {
    const hospital = HOSPITAL_NAMES[p.certificateHospital];
    found.push(
      violation(
        'SC-15',
        `因病休学的学生复学须持${hospital.zh}的健康证明`,
        `After a suspension for illness, resumption needs a health certificate from ${hospital.en}`,
        'resumption.healthCertificateRef',
      ),
    );
  }
  return found;
}

import { rule, type PolicyProfile } from '@xueji/policy';
import type { PaymentSeason } from '@xueji/vocabulary';
import {
  decideEligibility,
  studyYearOn,
  type Decision,
  type Household,
  type RegistrationStatus,
  type StudyForm,
} from './eligibility';

/** One effective change as status-change published it (the read model keeps every one). */
export interface StatusChange {
  eventId: string;
  kind: string;
  effectiveDate: string;
  newStatus: string;
  /** When status-change published it: orders two changes effective the same day. */
  time: string;
  toSchoolId?: string | null;
}

/** Everything subsidy knows of a student, from events only. */
export interface StudentFacts {
  registrationStatus: RegistrationStatus;
  entryDate?: string | null;
  studyForm?: StudyForm | null;
  household?: Household | null;
  majorWaiverExcluded?: boolean | null;
  statusHistory: StatusChange[];
}

/** The facts one period's decision used (SB-7). */
export interface PeriodFacts {
  referenceDay: string;
  registrationStatus: RegistrationStatus;
  entryDate: string;
  studentStatus: string | null;
  statusSince: string | null;
  statusChangeEventId: string | null;
  schoolTransferredTo: string | null;
  studyYear: number;
  studyForm: StudyForm | null;
  household: Household | null;
  majorWaiverExcluded: boolean | null;
}

export interface PeriodDecision {
  /** `2026-autumn`, `2027-spring`. */
  period: string;
  startsOn: string;
  grant: Decision;
  tuitionWaiver: Decision;
  /** Grant amount for the period when eligible: the annual amount over the payment periods (SB-6). */
  grantAmountCny: number;
  facts: PeriodFacts;
}

interface Period {
  name: string;
  season: PaymentSeason;
  startsOn: string;
}

function periodStart(year: number, season: PaymentSeason, profile: PolicyProfile): string {
  const cal = rule(profile, 'CALENDAR');
  return `${year}-${season === 'autumn' ? cal.autumnSemesterStarts : cal.springSemesterStarts}`;
}

/** The payment period (semester) a day falls in, by the profile's CALENDAR semester starts. */
export function periodOf(day: string, profile: PolicyProfile): Period {
  const year = Number(day.slice(0, 4));
  const autumn = periodStart(year, 'autumn', profile);
  const spring = periodStart(year, 'spring', profile);
  if (day >= autumn) return { name: `${year}-autumn`, season: 'autumn', startsOn: autumn };
  if (day >= spring) return { name: `${year}-spring`, season: 'spring', startsOn: spring };
  return { name: `${year - 1}-autumn`, season: 'autumn', startsOn: periodStart(year - 1, 'autumn', profile) };
}

/** The periods from the one containing `from` to the one containing `to`, in order. */
export function periodsBetween(from: string, to: string, profile: PolicyProfile): Period[] {
  const out: Period[] = [];
  const last = periodOf(to, profile);
  let p = periodOf(from, profile);
  while (p.startsOn <= last.startsOn) {
    out.push(p);
    const year = Number(p.name.slice(0, 4));
    const [ny, ns]: [number, PaymentSeason] = p.season === 'autumn' ? [year + 1, 'spring'] : [year, 'autumn'];
    p = { name: `${ny}-${ns}`, season: ns, startsOn: periodStart(ny, ns, profile) };
  }
  return out;
}

/** Changes in a deterministic order: effective date, then publication time, then event id. */
function ordered(history: StatusChange[]): StatusChange[] {
  return [...history].sort(
    (a, b) =>
      a.effectiveDate.localeCompare(b.effectiveDate) ||
      a.time.localeCompare(b.time) ||
      a.eventId.localeCompare(b.eventId),
  );
}

/** The change in effect on a day (the last one effective on or before it), if any. */
export function statusOn(history: StatusChange[], day: string): StatusChange | null {
  let current: StatusChange | null = null;
  for (const c of ordered(history)) if (c.effectiveDate <= day) current = c;
  return current;
}

/** The latest change by effective date, whatever day it is: the status the student holds now or will. */
export function latestChange(history: StatusChange[]): StatusChange | null {
  return ordered(history).at(-1) ?? null;
}

/**
 * Grant and waiver on one day, for the payment period that contains it (SB-1, SB-2, SB-3, SB-6,
 * SB-7). The status in effect that day (the last change effective on or before it) counts:
 * suspended (SB-2), or withdrawn / cancelled / expelled / deceased / transferred out (SB-3), means
 * no benefit; a resumption restores it from its effective date. The registration status is the one
 * known now (an approval makes the status formal from entry, SB-1), and the study year is the one
 * on that day (SB-6). A season not in `SB-6.grant.paymentPeriods` pays no grant. A day before the
 * entry date gives nothing (SB-1: not yet enrolled), so neither does a period that ends before entry.
 */
export function decideOn(student: StudentFacts & { entryDate: string }, day: string, profile: PolicyProfile) {
  const sb6 = rule(profile, 'SB-6');
  const period = periodOf(day, profile);
  const history = ordered(student.statusHistory);
  const status = statusOn(history, day);
  const transfer = history.filter((c) => c.kind === 'TRANSFER' && c.effectiveDate <= day).pop();
  const studyYear = studyYearOn(student.entryDate, day);
  const decided = decideEligibility(
    {
      registrationStatus: student.registrationStatus,
      studentStatus: status ? { code: status.newStatus, since: status.effectiveDate } : null,
      studyYear,
      studyForm: student.studyForm ?? undefined,
      household: student.household ?? undefined,
      majorWaiverExcluded: student.majorWaiverExcluded ?? undefined,
      notYetEntered: day < student.entryDate ? { day, entryDate: student.entryDate } : null,
    },
    profile,
  );
  let grant = decided.grant;
  if (!sb6.grant.paymentPeriods.includes(period.season)) {
    grant = {
      eligible: false,
      reasons: [
        ...grant.reasons,
        {
          rule: 'SB-6',
          met: false,
          zh: `助学金不在${period.season === 'autumn' ? '秋季' : '春季'}学期发放`,
          en: `The grant is not paid in the ${period.season} semester`,
        },
      ],
    };
  }
  const facts: PeriodFacts = {
    referenceDay: day,
    registrationStatus: student.registrationStatus,
    entryDate: student.entryDate,
    studentStatus: status?.newStatus ?? null,
    statusSince: status?.effectiveDate ?? null,
    statusChangeEventId: status?.eventId ?? null,
    schoolTransferredTo: transfer?.toSchoolId ?? null,
    studyYear,
    studyForm: student.studyForm ?? null,
    household: student.household ?? null,
    majorWaiverExcluded: student.majorWaiverExcluded ?? null,
  };
  return { period, grant, tuitionWaiver: decided.tuitionWaiver, facts };
}

/**
 * Grant and waiver per payment period, from the student's entry to the period containing
 * `horizon`. A period is decided on its reference day — its first day, or the entry day for the
 * period the student entered in — by `decideOn`, so a period's decision and the decision on its
 * reference day are the same by construction.
 *
 * `decidedFrom`: the first day of the earliest period already decided. When the entry date has
 * since moved later (a re-approval, a deferred entry), the periods before the new entry's are decided
 * again, on their first day, and are not eligible (SB-1: not yet enrolled).
 *
 * Pure: the same facts give the same decisions, whatever order the events arrived in.
 */
export function decideTimeline(
  student: StudentFacts,
  horizon: string,
  profile: PolicyProfile,
  decidedFrom?: string | null,
): PeriodDecision[] {
  if (!student.entryDate) return [];
  const known = { ...student, entryDate: student.entryDate };
  const sb6 = rule(profile, 'SB-6');
  const perPeriod = sb6.grant.annualAmountCny / sb6.grant.paymentPeriods.length;
  const entered = periodOf(known.entryDate, profile);
  const from = decidedFrom && decidedFrom < known.entryDate ? decidedFrom : known.entryDate;
  return periodsBetween(from, horizon < known.entryDate ? known.entryDate : horizon, profile).map((p) => {
    const referenceDay = p.startsOn === entered.startsOn && p.startsOn < known.entryDate ? known.entryDate : p.startsOn;
    const decided = decideOn(known, referenceDay, profile);
    return {
      period: p.name,
      startsOn: p.startsOn,
      grant: decided.grant,
      tuitionWaiver: decided.tuitionWaiver,
      grantAmountCny: perPeriod,
      facts: decided.facts,
    };
  });
}

/**
 * Grant and waiver on any day (`Student.subsidyEligibility`), by the rule the timeline uses.
 * Before approval there is no entry date: the status is not formal (SB-1), and nothing else is
 * known, so no facts.
 */
export function eligibilityOn(
  student: StudentFacts,
  day: string,
  profile: PolicyProfile,
): { grant: Decision; tuitionWaiver: Decision; facts: PeriodFacts | null } {
  return student.entryDate
    ? decideOn({ ...student, entryDate: student.entryDate }, day, profile)
    : { ...decideEligibility({ registrationStatus: student.registrationStatus }, profile), facts: null };
}

import { createEvent, topicOfType } from '@xueji/events';
import type { OutboxEntry } from '@xueji/outbox';
import type { UnitOfWork } from '@xueji/service-kit';
import type { Reason } from '../domain/eligibility';
import { decideTimeline, type PeriodDecision } from '../domain/timeline';
import type { CurrentDecisionRow, StoredReasons } from '../reads/decisions';
import { studentFacts, type StudentFactsRow } from '../reads/students';
import { refreshSignals } from './signals';

/** JSON with sorted keys: jsonb does not keep the key order it was given. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** A current decision as SB-4 sees it: which benefits a period claims. */
export interface ClaimedPeriod {
  period: string;
  startsOn: string;
  grant: boolean;
  waiver: boolean;
}

/**
 * After an event or a new period: the student's decisions (SB-1 … SB-7), then the fraud signals on
 * them (SB-4), from one read of the student's facts.
 */
export async function reviewStudent(uow: UnitOfWork, studentId: string, at: string): Promise<void> {
  const student = await studentFacts(uow.manager, studentId);
  if (!student) return;
  const claimed = await recomputeStudent(uow, studentId, student, at);
  await refreshSignals(uow, studentId, student, claimed, at);
}

/**
 * Recompute the student's decisions for every period from entry to the horizon; supersede what
 * changed, keep the entitlements in step (SB-3) and publish the changes, all in the unit of work.
 * `at` (the triggering event's time) stamps the decisions, so a replay of the same events gives
 * identical rows. Returns the current decisions afterwards, oldest period first.
 */
async function recomputeStudent(
  uow: UnitOfWork,
  studentId: string,
  student: StudentFactsRow,
  at: string,
): Promise<ClaimedPeriod[]> {
  const claimed = new Map<string, ClaimedPeriod>(
    student.current.map((r) => [
      r.period,
      { period: r.period, startsOn: r.starts_on, grant: r.grant_eligible, waiver: r.waiver_eligible },
    ]),
  );
  const timeline = student.entry_date
    ? decideTimeline(
        {
          registrationStatus: student.registration_status,
          entryDate: student.entry_date,
          studyForm: student.study_form,
          household: student.household,
          majorWaiverExcluded: student.major_waiver_excluded,
          statusHistory: student.history,
        },
        student.horizon ?? at.slice(0, 10),
        uow.profile,
        // Periods decided under an earlier entry date are decided again (SB-1: none before entry).
        student.current.map((r) => r.starts_on).sort()[0],
      )
    : [];
  const byPeriod = new Map(student.current.map((r) => [r.period, r]));
  for (const d of timeline) {
    const old = byPeriod.get(d.period);
    const reasons: StoredReasons = { grant: d.grant.reasons, tuitionWaiver: d.tuitionWaiver.reasons };
    if (
      old &&
      old.grant_eligible === d.grant.eligible &&
      old.waiver_eligible === d.tuitionWaiver.eligible &&
      same(old.reasons, reasons) &&
      same(old.facts, d.facts)
    ) {
      continue;
    }
    await saveDecision(uow, studentId, d, reasons, old?.id ?? null, at);
    claimed.set(d.period, {
      period: d.period,
      startsOn: d.startsOn,
      grant: d.grant.eligible,
      waiver: d.tuitionWaiver.eligible,
    });
    const flagsChanged =
      !old || old.grant_eligible !== d.grant.eligible || old.waiver_eligible !== d.tuitionWaiver.eligible;
    if (flagsChanged) uow.publish(...eligibilityEvents(uow, studentId, student, d, old ?? null, at));
  }
  return [...claimed.values()].sort((a, b) => (a.startsOn < b.startsOn ? -1 : a.startsOn > b.startsOn ? 1 : 0));
}

/**
 * One changed period in one statement: the new decision; the decision it supersedes (the insert
 * reads the update's row, so the superseded row is out of the way of the one-current-decision
 * index first); and the period's entitlement kept in step (SB-3): pending when eligible for the
 * grant, and when not, a pending one cancelled or a paid one flagged for recovery.
 */
async function saveDecision(
  uow: UnitOfWork,
  studentId: string,
  d: PeriodDecision,
  reasons: StoredReasons,
  supersedes: number | null,
  at: string,
): Promise<void> {
  const params: unknown[] = [
    studentId,
    d.period,
    d.startsOn,
    d.grant.eligible,
    d.tuitionWaiver.eligible,
    JSON.stringify(reasons),
    JSON.stringify(d.facts),
    at,
  ];
  /** The next positional parameter. */
  const param = (value: unknown) => `$${params.push(value)}`;
  const entitlement = d.grant.eligible
    ? `INSERT INTO entitlement (student_id, period, period_starts_on, kind, amount_cny, state, created_at)
       VALUES ($1::uuid, $2::text, $3::date, 'GRANT', ${param(d.grantAmountCny)}, 'PENDING', $8::timestamptz)
       ON CONFLICT (student_id, period, kind) DO UPDATE
         SET state = CASE WHEN entitlement.state = 'CANCELLED' THEN 'PENDING' ELSE entitlement.state END,
             cancelled_at = CASE WHEN entitlement.state = 'CANCELLED' THEN NULL ELSE entitlement.cancelled_at END,
             recovery_flagged = CASE WHEN entitlement.state = 'PAID' THEN false ELSE entitlement.recovery_flagged END`
    : `UPDATE entitlement
          SET state = CASE WHEN state = 'PENDING' THEN 'CANCELLED' ELSE state END,
              cancelled_at = CASE WHEN state = 'PENDING' THEN $8::timestamptz ELSE cancelled_at END,
              recovery_flagged = recovery_flagged OR state = 'PAID'
        WHERE student_id = $1::uuid AND period = $2::text AND kind = 'GRANT' AND state IN ('PENDING', 'PAID')`;
  const columns = `(student_id, period, period_starts_on, grant_eligible, waiver_eligible, reasons, facts, decided_at)`;
  const values = `$1::uuid, $2::text, $3::date, $4::boolean, $5::boolean, $6::jsonb, $7::jsonb, $8::timestamptz`;
  await uow.manager.query(
    supersedes === null
      ? `WITH entitlement_kept AS (${entitlement})
         INSERT INTO eligibility_decision ${columns} VALUES (${values})`
      : `WITH superseded AS (
           UPDATE eligibility_decision SET superseded_at = $8::timestamptz WHERE id = ${param(supersedes)}
           RETURNING id),
         entitlement_kept AS (${entitlement})
         INSERT INTO eligibility_decision ${columns} SELECT ${values} FROM superseded`,
    params,
  );
}

/** The events a changed period decision publishes: internal with reasons, the partner copy, and a granted waiver (SC-10). */
function eligibilityEvents(
  uow: UnitOfWork,
  studentId: string,
  student: Pick<StudentFactsRow, 'school_id' | 'region_code' | 'school_name'>,
  d: PeriodDecision,
  old: CurrentDecisionRow | null,
  at: string,
): OutboxEntry[] {
  const time = new Date(at);
  const brief = (reasons: Reason[]) => reasons.map((r) => ({ rule: r.rule, met: r.met, en: r.en }));
  const out: OutboxEntry[] = [
    {
      topic: uow.topics.own,
      event: createEvent(
        'xueji.subsidy.eligibility.changed.v1',
        studentId,
        {
          studentId,
          period: d.period,
          grantEligible: d.grant.eligible,
          waiverEligible: d.tuitionWaiver.eligible,
          previousGrantEligible: old?.grant_eligible ?? null,
          previousWaiverEligible: old?.waiver_eligible ?? null,
          grantReasons: brief(d.grant.reasons),
          waiverReasons: brief(d.tuitionWaiver.reasons),
          facts: { ...d.facts },
          decidedAt: time.toISOString(),
        },
        { time },
      ),
    },
    {
      // The partner copy names the student's school, its county and name where the scope is known (issue 14).
      topic: uow.topics[topicOfType('xueji.subsidy.partner.eligibility-changed.v1')],
      event: createEvent(
        'xueji.subsidy.partner.eligibility-changed.v1',
        studentId,
        {
          studentId,
          period: d.period,
          grantEligible: d.grant.eligible,
          waiverEligible: d.tuitionWaiver.eligible,
          decidedAt: time.toISOString(),
          ...(student.school_id ? { schoolId: student.school_id } : {}),
          ...(student.region_code ? { regionCode: student.region_code } : {}),
          ...(student.school_name ? { schoolName: student.school_name } : {}),
        },
        { time },
      ),
    },
  ];
  if (d.tuitionWaiver.eligible && !old?.waiver_eligible) {
    out.push({
      topic: uow.topics.own,
      event: createEvent(
        'xueji.subsidy.waiver.granted.v1',
        studentId,
        { studentId, period: d.period, grantedAt: time.toISOString() },
        { time },
      ),
    });
  }
  return out;
}

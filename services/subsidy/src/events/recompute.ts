import type { EntityManager } from 'typeorm';
import type { ServiceContext } from '@xueji/service-kit';
import { createEvent } from '@xueji/events';
import { appendEntriesToOutbox, type OutboxEntry } from '@xueji/outbox';
import type { PolicyProfile } from '@xueji/policy';
import type { Household, Reason, RegistrationStatus, StudyForm } from '../domain/eligibility';
import { STATUS_CHANGE_COLUMNS } from './history';
import { refreshSignals } from './signals';
import { decideTimeline, type PeriodDecision, type StatusChange } from '../domain/timeline';

/** Reasons as stored in `eligibility_decision.reasons`. */
export interface StoredReasons {
  grant: Reason[];
  tuitionWaiver: Reason[];
}

interface CurrentRow {
  id: string;
  period: string;
  grant_eligible: boolean;
  waiver_eligible: boolean;
  reasons: StoredReasons;
  facts: Record<string, unknown>;
}

/** Serialise one student's recomputations (events of two topics may be applied at once). */
export async function lockStudent(manager: EntityManager, studentId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('subsidy:' || $1))`, [studentId]);
}

/** Never move the horizon back: it is the latest day any event of the student happened. */
export async function extendHorizon(manager: EntityManager, studentId: string, time: string): Promise<void> {
  await manager.query(
    `UPDATE subsidy_student SET horizon = GREATEST(COALESCE(horizon, $2::date), $2::date) WHERE student_id = $1`,
    [studentId, time.slice(0, 10)],
  );
}

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

/**
 * Recompute the student's decisions for every period from entry to the horizon; supersede what
 * changed, keep the entitlements in step (SB-3) and publish the changes through the outbox, all
 * in the caller's transaction. `at` (the triggering event's time) stamps the decisions, so a replay
 * of the same events gives identical rows.
 */
export async function recomputeStudent(
  manager: EntityManager,
  studentId: string,
  at: string,
  profile: PolicyProfile,
  topics: ServiceContext['topics'],
): Promise<void> {
  const [student] = (await manager.query(
    // The facts, the status history and the current decisions in one round trip.
    `SELECT st.registration_status, to_char(st.entry_date, 'YYYY-MM-DD') AS entry_date, st.study_form, st.household,
            st.major_waiver_excluded, to_char(st.horizon, 'YYYY-MM-DD') AS horizon,
            COALESCE((SELECT json_agg(x) FROM (SELECT ${STATUS_CHANGE_COLUMNS} FROM student_status_change h
                                                WHERE h.student_id = st.student_id) x), '[]') AS history,
            COALESCE((SELECT json_agg(x) FROM (SELECT id, period, grant_eligible, waiver_eligible, reasons, facts
                                                 FROM eligibility_decision
                                                WHERE student_id = st.student_id AND superseded_at IS NULL) x), '[]') AS current
       FROM subsidy_student st WHERE st.student_id = $1`,
    [studentId],
  )) as {
    registration_status: RegistrationStatus;
    entry_date: string | null;
    study_form: StudyForm | null;
    household: Household | null;
    major_waiver_excluded: boolean | null;
    horizon: string | null;
    history: StatusChange[];
    current: CurrentRow[];
  }[];
  if (!student?.entry_date) return;
  const timeline = decideTimeline(
    {
      registrationStatus: student.registration_status,
      entryDate: student.entry_date,
      studyForm: student.study_form,
      household: student.household,
      majorWaiverExcluded: student.major_waiver_excluded,
      statusHistory: student.history,
    },
    student.horizon ?? at.slice(0, 10),
    profile,
  );
  const byPeriod = new Map(student.current.map((r) => [r.period, r]));
  const events: OutboxEntry[] = [];
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
    if (old) await manager.query(`UPDATE eligibility_decision SET superseded_at = $2 WHERE id = $1`, [old.id, at]);
    await manager.query(
      `INSERT INTO eligibility_decision
         (student_id, period, period_starts_on, grant_eligible, waiver_eligible, reasons, facts, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        studentId,
        d.period,
        d.startsOn,
        d.grant.eligible,
        d.tuitionWaiver.eligible,
        JSON.stringify(reasons),
        JSON.stringify(d.facts),
        at,
      ],
    );
    await syncEntitlement(manager, studentId, d, at);
    const flagsChanged =
      !old || old.grant_eligible !== d.grant.eligible || old.waiver_eligible !== d.tuitionWaiver.eligible;
    if (flagsChanged) events.push(...eligibilityEvents(studentId, d, old ?? null, at, topics));
  }
  await appendEntriesToOutbox(manager, events);
}

/** After an event or a new period: the student's decisions (SB-1 … SB-7), then the fraud signals on them (SB-4). */
export async function reviewStudent(
  manager: EntityManager,
  studentId: string,
  at: string,
  profile: PolicyProfile,
  topics: ServiceContext['topics'],
): Promise<void> {
  await recomputeStudent(manager, studentId, at, profile, topics);
  await refreshSignals(manager, studentId, at, profile, topics);
}

/** SB-3: a pending entitlement per eligible grant period; cancelled, or flagged for recovery if paid, when no longer eligible. */
async function syncEntitlement(manager: EntityManager, studentId: string, d: PeriodDecision, at: string) {
  if (d.grant.eligible) {
    await manager.query(
      `INSERT INTO entitlement (student_id, period, period_starts_on, kind, amount_cny, state, created_at)
       VALUES ($1, $2, $3, 'GRANT', $4, 'PENDING', $5)
       ON CONFLICT (student_id, period, kind) DO UPDATE
         SET state = CASE WHEN entitlement.state = 'CANCELLED' THEN 'PENDING' ELSE entitlement.state END,
             cancelled_at = CASE WHEN entitlement.state = 'CANCELLED' THEN NULL ELSE entitlement.cancelled_at END,
             recovery_flagged = CASE WHEN entitlement.state = 'PAID' THEN false ELSE entitlement.recovery_flagged END`,
      [studentId, d.period, d.startsOn, d.grantAmountCny, at],
    );
  } else {
    // Pending: cancelled; already paid: flagged for recovery.
    await manager.query(
      `UPDATE entitlement
          SET state = CASE WHEN state = 'PENDING' THEN 'CANCELLED' ELSE state END,
              cancelled_at = CASE WHEN state = 'PENDING' THEN $3 ELSE cancelled_at END,
              recovery_flagged = recovery_flagged OR state = 'PAID'
        WHERE student_id = $1 AND period = $2 AND kind = 'GRANT' AND state IN ('PENDING', 'PAID')`,
      [studentId, d.period, at],
    );
  }
}

/** The events a changed period decision publishes: internal with reasons, the partner copy, and a granted waiver (SC-10). */
function eligibilityEvents(
  studentId: string,
  d: PeriodDecision,
  old: CurrentRow | null,
  at: string,
  topics: ServiceContext['topics'],
): OutboxEntry[] {
  const time = new Date(at);
  const brief = (reasons: Reason[]) => reasons.map((r) => ({ rule: r.rule, met: r.met, en: r.en }));
  const out: OutboxEntry[] = [
    {
      topic: topics.own,
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
      topic: topics.partnerEligibility,
      event: createEvent(
        'xueji.subsidy.partner.eligibility-changed.v1',
        studentId,
        {
          studentId,
          period: d.period,
          grantEligible: d.grant.eligible,
          waiverEligible: d.tuitionWaiver.eligible,
          decidedAt: time.toISOString(),
        },
        { time },
      ),
    },
  ];
  if (d.tuitionWaiver.eligible && !old?.waiver_eligible) {
    out.push({
      topic: topics.own,
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

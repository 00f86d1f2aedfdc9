import type { EntityManager } from 'typeorm';
import { createEvent } from '@xueji/events';
import { appendEntriesToOutbox, type OutboxEntry } from '@xueji/outbox';
import type { PolicyProfile } from '@xueji/policy';
import type { ServiceContext } from '@xueji/service-kit';
import type { RegistrationStatus } from '../domain/eligibility';
import { detectFraud, doubleStatusFinding, holdsStatus, type Finding, type SignalFacts } from '../domain/fraud';
import { latestChange, periodOf, type StatusChange } from '../domain/timeline';
import { STATUS_CHANGE_COLUMNS } from './history';

interface StudentRow {
  registration_status: RegistrationStatus;
  history: StatusChange[];
  school_id: string | null;
  student_number: string | null;
  entry_date: string | null;
  registered_at: Date | null;
  approved_at: Date | null;
  major_code: string | null;
  teaching_point_id: string | null;
  id_number_digest: string | null;
  approved_major_codes: string[] | null;
  teaching_point_ids: string[] | null;
  catalogue_known: boolean;
  holds_status: boolean;
  claimed: (SignalFacts['claimed'][number] & { starts_on: string })[];
  lapses: { term: string; termStartsOn: string }[];
  truancy: { semester: string; truantHours: number; day: string }[];
}

/** Everything SB-4 weighs for one student, read from the read model. */
async function signalFacts(
  manager: EntityManager,
  studentId: string,
  profile: PolicyProfile,
): Promise<{ facts: SignalFacts; digest: string | null; heldStatus: boolean } | null> {
  const [s] = (await manager.query(
    `SELECT st.registration_status, sc.school_id, st.student_number, to_char(st.entry_date, 'YYYY-MM-DD') AS entry_date,
            -- Until the registration itself arrives (its name comes with it), registered_at is a stand-in.
            CASE WHEN st.name IS NULL THEN NULL ELSE st.registered_at END AS registered_at, st.approved_at, st.major_code, st.teaching_point_id, st.id_number_digest,
            c.approved_major_codes, c.teaching_point_ids, c.school_id IS NOT NULL AS catalogue_known,
            COALESCE((SELECT json_agg(x) FROM (SELECT ${STATUS_CHANGE_COLUMNS} FROM student_status_change h
                                                WHERE h.student_id = st.student_id) x), '[]') AS history,
            st.holds_status,
            COALESCE((SELECT json_agg(x ORDER BY x.starts_on) FROM (
                SELECT period, grant_eligible AS grant, waiver_eligible AS waiver, period_starts_on AS starts_on
                  FROM eligibility_decision WHERE student_id = st.student_id AND superseded_at IS NULL) x), '[]') AS claimed,
            COALESCE((SELECT json_agg(x) FROM (
                SELECT term, to_char(term_starts_on, 'YYYY-MM-DD') AS "termStartsOn"
                  FROM term_lapse WHERE student_id = st.student_id) x), '[]') AS lapses,
            COALESCE((SELECT json_agg(x) FROM (
                SELECT semester, truant_hours AS "truantHours",
                       to_char(recorded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day
                  FROM student_truancy WHERE student_id = st.student_id) x), '[]') AS truancy
       FROM subsidy_student st
       LEFT JOIN student_scope sc ON sc.student_id = st.student_id
       LEFT JOIN school_catalogue c ON c.school_id = sc.school_id
      WHERE st.student_id = $1`,
    [studentId],
  )) as StudentRow[];
  if (!s) return null;
  return {
    digest: s.id_number_digest,
    heldStatus: s.holds_status,
    facts: {
      studentId,
      registrationStatus: s.registration_status,
      latestStatus: latestChange(s.history)?.newStatus ?? null,
      schoolId: s.school_id,
      studentNumber: s.student_number,
      entryDate: s.entry_date,
      registeredAt: s.registered_at?.toISOString() ?? null,
      approvedAt: s.approved_at?.toISOString() ?? null,
      majorCode: s.major_code,
      teachingPointId: s.teaching_point_id,
      school: s.catalogue_known
        ? { approvedMajorCodes: s.approved_major_codes, teachingPointIds: s.teaching_point_ids }
        : null,
      sameIdNumber: [],
      claimed: s.claimed.map((c) => ({ period: c.period, grant: c.grant, waiver: c.waiver })),
      lapses: s.lapses.map((l) => ({ ...l, period: periodOf(l.termStartsOn, profile).name })),
      // The period a truancy figure belongs to: the one it was recorded in.
      truancy: s.truancy.map((t) => ({
        semester: t.semester,
        truantHours: t.truantHours,
        period: periodOf(t.day, profile).name,
      })),
    },
  };
}

async function upsertSignal(
  manager: EntityManager,
  studentId: string,
  finding: Finding,
  at: string,
): Promise<{ id: string; inserted: boolean }> {
  const [row] = (await manager.query(
    `INSERT INTO fraud_signal (student_id, kind, subject_key, period, message_zh, message_en, evidence, raised_at, checked_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
     ON CONFLICT (student_id, kind, subject_key) DO UPDATE
       SET still_holds = true, evidence = EXCLUDED.evidence, message_zh = EXCLUDED.message_zh,
           message_en = EXCLUDED.message_en, checked_at = EXCLUDED.checked_at
     RETURNING id, (xmax = 0) AS inserted`,
    [
      studentId,
      finding.kind,
      finding.subjectKey,
      finding.period,
      finding.zh,
      finding.en,
      JSON.stringify(finding.evidence),
      at,
    ],
  )) as { id: string; inserted: boolean }[];
  return row!;
}

/**
 * SB-4: judge the student's facts again and keep the signals in step, in the caller's
 * transaction. A new finding raises a signal (and publishes it); a finding seen before keeps its
 * signal, state and review; a signal no finding supports any more stays, marked as no longer
 * holding, for the officer to close. Double status is kept on both records.
 */
export async function refreshSignals(
  manager: EntityManager,
  studentId: string,
  at: string,
  profile: PolicyProfile,
  topics: ServiceContext['topics'],
): Promise<void> {
  const read = await signalFacts(manager, studentId, profile);
  if (!read) return;
  const { facts, digest } = read;
  const holds = holdsStatus(facts);
  if (holds !== read.heldStatus) {
    await manager.query(`UPDATE subsidy_student SET holds_status = $2 WHERE student_id = $1`, [studentId, holds]);
  }
  if (digest) {
    // Two records of one person approved at once must see each other: one judgement per ID number at a time.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('subsidy:id:' || $1))`, [digest]);
    facts.sameIdNumber = (await manager.query(
      `SELECT st.student_id AS "studentId", sc.school_id AS "schoolId", st.student_number AS "studentNumber"
         FROM subsidy_student st LEFT JOIN student_scope sc ON sc.student_id = st.student_id
        WHERE st.id_number_digest = $1 AND st.holds_status AND st.student_id <> $2 ORDER BY st.student_id`,
      [digest, studentId],
    )) as SignalFacts['sameIdNumber'];
  }
  const findings = detectFraud(facts, profile);
  const raised: OutboxEntry[] = [];
  for (const finding of findings) {
    const { id, inserted } = await upsertSignal(manager, studentId, finding, at);
    if (inserted) raised.push(raisedEvent(id, studentId, finding, at, topics));
  }
  // The other record of a double status carries the signal too.
  for (const other of holds ? facts.sameIdNumber : []) {
    const finding = doubleStatusFinding(other, {
      studentId,
      schoolId: facts.schoolId,
      studentNumber: facts.studentNumber,
    });
    const { id, inserted } = await upsertSignal(manager, other.studentId, finding, at);
    if (inserted) raised.push(raisedEvent(id, other.studentId, finding, at, topics));
  }
  await appendEntriesToOutbox(manager, raised);
  const kept = findings.map((f) => `${f.kind}:${f.subjectKey}`);
  // Signals no finding supports any more, on this record and, for a double status it no longer
  // shares, on the other record too (none without an ID number): one statement.
  await manager.query(
    `WITH own AS (
       UPDATE fraud_signal SET still_holds = false, checked_at = $3
        WHERE student_id = $1 AND still_holds AND NOT (kind || ':' || subject_key = ANY($2::text[]))),
     mirrored AS (
       UPDATE fraud_signal SET still_holds = false, checked_at = $3
        WHERE $5 AND kind = 'DOUBLE_STATUS' AND subject_key = $4 AND still_holds AND NOT (student_id = ANY($6::uuid[])))
     SELECT 1`,
    [studentId, kept, at, studentId, digest !== null, holds ? facts.sameIdNumber.map((o) => o.studentId) : []],
  );
}

function raisedEvent(
  signalId: string,
  studentId: string,
  finding: Finding,
  at: string,
  topics: ServiceContext['topics'],
): OutboxEntry {
  const time = new Date(at);
  return {
    topic: topics.own,
    event: createEvent(
      'xueji.subsidy.fraud-signal.raised.v1',
      studentId,
      {
        signalId,
        studentId,
        kind: finding.kind,
        period: finding.period,
        messageEn: finding.en,
        raisedAt: time.toISOString(),
      },
      { time },
    ),
  };
}

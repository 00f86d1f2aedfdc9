import { selectOne } from '@xueji/db';
import { createEvent } from '@xueji/events';
import type { OutboxEntry } from '@xueji/outbox';
import type { UnitOfWork } from '@xueji/service-kit';
import { detectFraud, doubleStatusFinding, holdsStatus, type Finding, type SignalFacts } from '../domain/fraud';
import { latestChange, periodOf } from '../domain/timeline';
import { sameIdNumberRecords, type StudentFactsRow } from '../reads/students';
import type { ClaimedPeriod } from './timeline';

/** The read model's facts as SB-4 judges them (the other records of the ID number are added later). */
function toSignalFacts(studentId: string, s: StudentFactsRow, claimed: ClaimedPeriod[], uow: UnitOfWork): SignalFacts {
  return {
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
    claimed: claimed.map((c) => ({ period: c.period, grant: c.grant, waiver: c.waiver })),
    lapses: s.lapses.map((l) => ({ ...l, period: periodOf(l.termStartsOn, uow.profile).name })),
    // The period a truancy figure belongs to: the one it was recorded in.
    // The period a run of absence belongs to: the one its last day falls in.
    absences: s.absences.map((a) => ({ ...a, period: periodOf(a.to, uow.profile).name })),
    truancy: s.truancy.map((t) => ({
      semester: t.semester,
      truantHours: t.truantHours,
      period: periodOf(t.day, uow.profile).name,
    })),
  };
}

/** Raise a finding's signal, or mark the one already raised as still holding. */
async function upsertSignal(
  uow: UnitOfWork,
  studentId: string,
  finding: Finding,
  at: string,
): Promise<{ id: string; inserted: boolean }> {
  const row = await selectOne<{ id: string; inserted: boolean }>(
    uow.manager,
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
  );
  return row!;
}

/**
 * SB-4: judge the student's facts again and keep the signals in step, in the unit of work. A new
 * finding raises a signal (and publishes it); a finding seen before keeps its signal, state and
 * review; a signal no finding supports any more stays, marked as no longer holding, for the
 * officer to close. Double status is kept on both records. `claimed` are the student's current
 * decisions (after any recomputation in this unit of work).
 */
export async function refreshSignals(
  uow: UnitOfWork,
  studentId: string,
  student: StudentFactsRow,
  claimed: ClaimedPeriod[],
  at: string,
): Promise<void> {
  const { manager } = uow;
  const facts = toSignalFacts(studentId, student, claimed, uow);
  const digest = student.id_number_digest;
  const holds = holdsStatus(facts);
  if (holds !== student.holds_status) {
    await manager.query(`UPDATE subsidy_student SET holds_status = $2 WHERE student_id = $1`, [studentId, holds]);
  }
  if (digest) {
    // Two records of one person approved at once must see each other: one judgement per ID number at a time.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('subsidy:id:' || $1))`, [digest]);
    facts.sameIdNumber = await sameIdNumberRecords(manager, digest, studentId);
  }
  const findings = detectFraud(facts, uow.profile);
  for (const finding of findings) {
    const { id, inserted } = await upsertSignal(uow, studentId, finding, at);
    if (inserted) uow.publish(raisedEvent(uow, id, studentId, finding, at));
  }
  // The other record of a double status carries the signal too.
  for (const other of holds ? facts.sameIdNumber : []) {
    const finding = doubleStatusFinding(other, {
      studentId,
      schoolId: facts.schoolId,
      studentNumber: facts.studentNumber,
    });
    const { id, inserted } = await upsertSignal(uow, other.studentId, finding, at);
    if (inserted) uow.publish(raisedEvent(uow, id, other.studentId, finding, at));
  }
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

function raisedEvent(uow: UnitOfWork, signalId: string, studentId: string, finding: Finding, at: string): OutboxEntry {
  const time = new Date(at);
  return {
    topic: uow.topics.own,
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

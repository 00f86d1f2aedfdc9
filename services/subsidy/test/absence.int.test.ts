/**
 * SB-4 ghost students (ENR-8) from assessment's absence without leave (SC-17's consecutive days): aid
 * claimed for the period the run ends in raises a GHOST_STUDENT signal (real PostgreSQL and Kafka).
 */
import { randomUUID } from 'node:crypto';
import { createEvent } from '@xueji/events';
import { at, enrolled, SCHOOL, startSubsidy, type Running } from './support';

const absence = (studentId: string, absentDays: number) =>
  createEvent(
    'xueji.assessment.absence.threshold-crossed.v1',
    studentId,
    {
      studentId,
      schoolId: SCHOOL,
      regionCode: '420302',
      absentFrom: '2026-10-08',
      absentTo: '2026-10-21',
      absentDays,
      semester: '2026-2027-1',
      recordedAt: '2026-10-21T02:00:00.000Z',
    },
    at('2026-10-21T02:00:00.000Z'),
  );

describe('SB-4: absence without leave while aid is claimed', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startSubsidy('absence', '2026-11-02');
  });
  afterAll(() => r?.stop());

  it('two weeks away in the autumn period raise a ghost-student signal; 13 days do not', async () => {
    const [away, almost] = [randomUUID(), randomUUID()];
    await r.publish('enrolment', [...enrolled(away), ...enrolled(almost)]);
    await r.publish('assessment', [absence(away, 14), absence(almost, 13)]);
    const rows = (await r.service.dataSource.query(
      `SELECT student_id, kind, subject_key, evidence FROM fraud_signal WHERE student_id = ANY($1::uuid[])`,
      [[away, almost]],
    )) as { student_id: string; kind: string; subject_key: string; evidence: Record<string, unknown> }[];
    expect(rows.map((s) => [s.student_id, s.kind, s.subject_key])).toEqual([[away, 'GHOST_STUDENT', '2026-autumn']]);
    expect(rows[0]!.evidence).toMatchObject({ absentFrom: '2026-10-08', absentTo: '2026-10-21', absentDays: 14 });
  });
});

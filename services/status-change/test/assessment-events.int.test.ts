/**
 * Assessment's facts beyond truancy, applied by status-change (real PostgreSQL and Kafka): two weeks
 * absent without leave open an imposed-withdrawal case (SC-17); an expulsion in effect makes the status
 * EXPELLED and is published as an EXPULSION (AS-11, SB-3 downstream); an appeal lifting it restores the
 * status (AS-14).
 */
import { randomUUID } from 'node:crypto';
import { selectRows } from '@xueji/db';
import { createEvent } from '@xueji/events';
import { enrolled, startStatusChange, type Running, type TestSchool } from './support';

const school: TestSchool = {
  schoolId: randomUUID(),
  code: 'AE01',
  name: '学校',
  regionCode: '220102',
  authorityRegionCode: '220100',
};

const absence = (studentId: string, absentDays: number) =>
  createEvent('xueji.assessment.absence.threshold-crossed.v1', studentId, {
    studentId,
    schoolId: school.schoolId,
    regionCode: school.regionCode,
    absentFrom: '2026-10-08',
    absentTo: '2026-10-21',
    absentDays,
    semester: '2026-2027-1',
    recordedAt: '2026-10-21T02:00:00.000Z',
  });

const expulsion = (studentId: string, sanctionId: string) =>
  createEvent('xueji.assessment.expulsion.effective.v1', studentId, {
    sanctionId,
    studentId,
    schoolId: school.schoolId,
    regionCode: school.regionCode,
    effectiveDate: '2026-10-22',
    decidedOn: '2026-10-15',
    authorityStep: 'FILING',
    effectiveAt: '2026-10-22T02:00:00.000Z',
  });

describe('status-change applies assessment’s absence, expulsion and appeal facts', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startStatusChange('national', '2026-10-22');
  });
  afterAll(() => s?.stop());

  const status = async (studentId: string) =>
    (
      await selectRows<{ code: string }>(
        s.service.dataSource,
        `SELECT code FROM student_status WHERE student_id = $1`,
        [studentId],
      )
    )[0]?.code;
  const published = async (studentId: string) =>
    (
      await selectRows<{ payload: string }>(
        s.service.dataSource,
        `SELECT payload FROM outbox_message WHERE event_type = 'xueji.status-change.status.changed.v1' ORDER BY seq`,
      )
    )
      .map(
        (r) => JSON.parse(r.payload) as { studentId: string; kind: string; previousStatus: string; newStatus: string },
      )
      .filter((e) => e.studentId === studentId);

  it('SC-17: two weeks absent without leave open one imposed-withdrawal case (ABSENT_WITHOUT_LEAVE)', async () => {
    const studentId = randomUUID();
    await s.publish('enrolment', ...enrolled(school, studentId, '2026-03-01'));
    await s.publish('assessment', absence(studentId, 13));
    await s.publish('assessment', absence(studentId, 14), absence(studentId, 15));
    const cases = await selectRows<{ ground: string; state: string }>(
      s.service.dataSource,
      `SELECT details->>'ground' AS ground, state FROM change_request WHERE student_id = $1 AND imposed`,
      [studentId],
    );
    expect(cases).toEqual([{ ground: 'ABSENT_WITHOUT_LEAVE', state: 'PENDING' }]);
  });

  it('AS-11: an expulsion in effect makes the student EXPELLED, published once as an EXPULSION', async () => {
    const studentId = randomUUID();
    const sanctionId = randomUUID();
    await s.publish('enrolment', ...enrolled(school, studentId, '2026-03-01'));
    await s.publish('assessment', expulsion(studentId, sanctionId));
    await s.publish('assessment', expulsion(studentId, sanctionId));
    expect(await status(studentId)).toBe('EXPELLED');
    expect(await published(studentId)).toEqual([
      expect.objectContaining({
        kind: 'EXPULSION',
        previousStatus: 'ACTIVE',
        newStatus: 'EXPELLED',
        effectiveDate: '2026-10-22',
      }),
    ]);

    // AS-14: an appeal annulled it: the status it ended is restored.
    await s.publish(
      'assessment',
      createEvent('xueji.assessment.appeal.decided.v1', studentId, {
        appealId: randomUUID(),
        sanctionId,
        studentId,
        schoolId: school.schoolId,
        stage: 'AUTHORITY',
        outcome: 'ANNUL',
        previousKind: 'EXPULSION',
        newKind: null,
        expulsionLifted: true,
        decidedOn: '2026-11-02',
        decidedAt: '2026-11-02T02:00:00.000Z',
      }),
    );
    expect(await status(studentId)).toBe('ACTIVE');
    expect((await published(studentId)).map((e) => [e.kind, e.newStatus])).toEqual([
      ['EXPULSION', 'EXPELLED'],
      ['REINSTATEMENT', 'ACTIVE'],
    ]);
    const history = await selectRows<{ kind: string }>(
      s.service.dataSource,
      `SELECT kind FROM status_change WHERE student_id = $1 ORDER BY seq`,
      [studentId],
    );
    expect(history.map((h) => h.kind)).toEqual(['REGISTRATION', 'REGISTRATION', 'EXPULSION', 'REINSTATEMENT']);
  });

  it('an appeal that upholds changes no status', async () => {
    const studentId = randomUUID();
    await s.publish('enrolment', ...enrolled(school, studentId, '2026-03-01'));
    await s.publish(
      'assessment',
      createEvent('xueji.assessment.appeal.decided.v1', studentId, {
        appealId: randomUUID(),
        sanctionId: randomUUID(),
        studentId,
        schoolId: school.schoolId,
        stage: 'SCHOOL',
        outcome: 'UPHOLD',
        previousKind: 'DEMERIT',
        newKind: 'DEMERIT',
        expulsionLifted: false,
        decidedOn: '2026-10-22',
        decidedAt: '2026-10-22T02:00:00.000Z',
      }),
    );
    expect(await status(studentId)).toBe('ACTIVE');
    expect(await published(studentId)).toEqual([]);
  });
});

/**
 * GR-1 (jilin): every registration, transfer-in, resumption, major-change and data-change record approved
 * in time (ADM-3, SC-22), judged from what enrolment and status-change publish with each record. Real
 * PostgreSQL and Kafka: the events go through the topics into graduation's read model.
 */
import { randomUUID } from 'node:crypto';
import { createEvent } from '@xueji/events';
import {
  assessed,
  auditOf,
  enrolled,
  newSchool,
  registrarOf,
  schoolEvent,
  startGraduation,
  type ApprovalTiming,
  type Audit,
  type Running,
} from './support';

const A = newSchool('220102', '2201021234', '220100');
const ON_TIME = '2029-06-20';

/** Timing as the producers publish it. */
const timing = (submittedOn: string, approvedOn: string, approvedInTime: boolean): ApprovalTiming => ({
  submittedOn,
  approvedOn,
  approvedInTime,
});

/** A registration approved in time, as enrolment publishes it. */
const enrolledInTime = (studentId: string) =>
  enrolled(A, studentId, { timing: timing('2026-08-20', '2026-08-28', true) });

/** A status change status-change publishes; `approval` absent as before the producer said. */
const change = (
  studentId: string,
  kind: 'RESUMPTION' | 'TRANSFER' | 'SUSPENSION',
  effectiveDate: string,
  approval?: ReturnType<typeof timing>,
) =>
  createEvent('xueji.status-change.status.changed.v1', studentId, {
    studentId,
    kind,
    effectiveDate,
    previousStatus: kind === 'RESUMPTION' ? 'SUSPENDED' : 'ACTIVE',
    newStatus: kind === 'SUSPENSION' ? 'SUSPENDED' : 'ACTIVE',
    schoolId: A.schoolId,
    regionCode: A.regionCode,
    ...(kind === 'TRANSFER' ? { toSchoolId: A.schoolId, toRegionCode: A.regionCode, fromOtherProvince: false } : {}),
    ...(approval ?? {}),
  });

describe('GR-1 under jilin: every record approved in time', () => {
  let g: Running;
  beforeAll(async () => {
    g = await startGraduation('in_time_jilin', 'jilin', ON_TIME);
    await g.publish('enrolment', [schoolEvent(A)]);
  });
  afterAll(() => g?.stop());

  const recordsCheck = (audit: Audit) => {
    const c = audit.conditions.find((x) => x.condition === 'RECORDS_IN_TIME')!;
    return { ...c, facts: JSON.parse(c.factsJson) as Record<string, unknown> };
  };

  /** A student who passed everything, suspended and resumed; the resumption's approval as given. */
  async function resumed(approval: ReturnType<typeof timing> | undefined): Promise<string> {
    const id = randomUUID();
    await g.publish('enrolment', enrolledInTime(id));
    await g.publish('assessment', assessed(A, id));
    await g.publish('status-change', [
      change(id, 'SUSPENSION', '2027-09-01'),
      change(id, 'RESUMPTION', '2028-03-01', approval),
    ]);
    return id;
  }

  it('a resumption approved in the month it was submitted: GRADUATE, the records listed in the facts', async () => {
    const id = await resumed(timing('2028-02-10', '2028-02-27', true));
    const audit = await auditOf(g, registrarOf(A), id);
    expect(audit).toMatchObject({ outcome: 'GRADUATE', lacking: [] });
    expect(recordsCheck(audit)).toMatchObject({
      rule: 'GR-1',
      met: true,
      facts: { records: 2, late: [], notKnown: 0 },
    });
  });

  it('a resumption approved in the next month: NOT_YET, RECORDS_IN_TIME lacking, the late record in the facts', async () => {
    const id = await resumed(timing('2028-02-20', '2028-03-05', false));
    const audit = await auditOf(g, registrarOf(A), id);
    // Late is not results, credits or conduct: not a completion either (GR-6).
    expect(audit).toMatchObject({ outcome: 'NOT_YET', lacking: ['RECORDS_IN_TIME'] });
    expect(recordsCheck(audit)).toMatchObject({
      rule: 'GR-1',
      met: false,
      facts: { late: [{ kind: 'RESUMPTION', submittedOn: '2028-02-20', approvedOn: '2028-03-05' }] },
    });
  });

  it('a transfer-in approved late, and a data change approved late, each make the audit NOT_YET', async () => {
    const transferred = randomUUID();
    await g.publish('enrolment', enrolledInTime(transferred));
    await g.publish('assessment', assessed(A, transferred));
    await g.publish('status-change', [
      change(transferred, 'TRANSFER', '2027-09-01', timing('2027-08-25', '2027-09-03', false)),
    ]);
    expect(await auditOf(g, registrarOf(A), transferred)).toMatchObject({
      outcome: 'NOT_YET',
      lacking: ['RECORDS_IN_TIME'],
    });

    const corrected = randomUUID();
    await g.publish('enrolment', enrolledInTime(corrected));
    await g.publish('assessment', assessed(A, corrected));
    await g.publish('enrolment', [
      createEvent('xueji.enrolment.personal-data.corrected.v1', corrected, {
        studentId: corrected,
        requestId: randomUUID(),
        effectiveDate: '2027-11-20',
        corrections: [{ field: 'name', newValue: '学生丁' }],
        correctedAt: '2027-12-02T02:00:00.000Z',
        ...timing('2027-11-20', '2027-12-01', false),
      }),
    ]);
    const audit = await auditOf(g, registrarOf(A), corrected);
    expect(audit).toMatchObject({ outcome: 'NOT_YET', lacking: ['RECORDS_IN_TIME'] });
    expect(recordsCheck(audit).facts).toMatchObject({
      late: [{ kind: 'DATA_CORRECTION', submittedOn: '2027-11-20', approvedOn: '2027-12-01' }],
    });
  });

  it('a record published before the producers said whether it was in time is not known late', async () => {
    const id = await resumed(undefined);
    const audit = await auditOf(g, registrarOf(A), id);
    expect(audit).toMatchObject({ outcome: 'GRADUATE', lacking: [] });
    expect(recordsCheck(audit)).toMatchObject({ met: true, facts: { late: [], notKnown: 1 } });
  });
});

describe('GR-1 under national: no such condition', () => {
  let g: Running;
  beforeAll(async () => {
    g = await startGraduation('in_time_national', 'national', ON_TIME);
    await g.publish('enrolment', [schoolEvent(A)]);
  });
  afterAll(() => g?.stop());

  it('a late resumption does not hold the diploma back', async () => {
    const id = randomUUID();
    await g.publish('enrolment', enrolledInTime(id));
    await g.publish('assessment', assessed(A, id));
    await g.publish('status-change', [
      change(id, 'SUSPENSION', '2027-09-01'),
      change(id, 'RESUMPTION', '2028-03-01', timing('2028-02-20', '2028-03-05', false)),
    ]);
    const audit = await auditOf(g, registrarOf(A), id);
    expect(audit).toMatchObject({ outcome: 'GRADUATE', lacking: [] });
    expect(audit.conditions.map((c) => c.condition)).not.toContain('RECORDS_IN_TIME');
  });
});

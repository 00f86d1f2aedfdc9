/**
 * ENR-11: when a transfer gives a student a new number, enrolment says so
 * (`student-number.assigned`), and every service that shows the number takes it: assessment
 * (the results sheet keys by 学号), subsidy (rosters and signals), graduation (class audits).
 */
import { randomUUID } from 'node:crypto';
import { selectOne } from '@xueji/db';
import { createEvent } from '@xueji/events';
import { approvedRegistration, deliverEvents } from '@xueji/testkit';
import { startStack, type Stack } from '../support/stack';

jest.setTimeout(120_000);

describe('a new student number reaches every service that shows it (ENR-11)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ today: '2026-10-10' });
  });
  afterAll(() => stack?.stop());

  it('assessment, subsidy and graduation hold the number enrolment assigned last', async () => {
    const studentId = randomUUID();
    const schoolId = randomUUID();
    const topic = `${stack.topicPrefix}xueji.enrolment.events`;
    const consumers = [stack.services.assessment, stack.services.subsidy, stack.services.graduation];
    const registered = createEvent('xueji.enrolment.student.registered.v1', studentId, {
      studentId,
      schoolId,
      regionCode: '350102',
      name: '王晓东',
      registeredAt: '2026-09-10T02:00:00.000Z',
    });
    const approved = approvedRegistration({
      studentId,
      schoolId,
      regionCode: '350102',
      entryDate: '2026-09-01',
      approvedAt: '2026-09-20T02:00:00.000Z',
      studentNumber: '2602030001',
    });
    const assigned = createEvent('xueji.enrolment.student-number.assigned.v1', studentId, {
      studentId,
      schoolId: randomUUID(),
      studentNumber: '2602050001',
      assignedAt: '2026-10-08T02:00:00.000Z',
    });
    for (const service of consumers) await deliverEvents(service, topic, [registered, approved, assigned]);

    const numberIn = async (sql: string, service: (typeof consumers)[number]) =>
      (await selectOne<{ n: string }>(service.dataSource, sql, [studentId]))?.n;
    expect(
      await numberIn(
        `SELECT student_number AS n FROM student_identity WHERE student_id = $1`,
        stack.services.assessment,
      ),
    ).toBe('2602050001');
    expect(
      await numberIn(`SELECT student_number AS n FROM subsidy_student WHERE student_id = $1`, stack.services.subsidy),
    ).toBe('2602050001');
    expect(
      await numberIn(
        `SELECT student_number AS n FROM graduation_student WHERE student_id = $1`,
        stack.services.graduation,
      ),
    ).toBe('2602050001');
  });
});

/**
 * Graduation's certificates, applied by status-change (real PostgreSQL and Kafka): a diploma issued makes
 * the status GRADUATED from the graduation date, published as a GRADUATION (SB-3 downstream: subsidy ends
 * eligibility); a certificate of completion makes it COMPLETED (GR-6), and its exchange GRADUATED.
 */
import { randomUUID } from 'node:crypto';
import { selectRows } from '@xueji/db';
import { createEvent, type EventEnvelope } from '@xueji/events';
import { deliverEvents } from '@xueji/testkit';
import { enrolled, startStatusChange, type Running, type TestSchool } from './support';

const school: TestSchool = {
  schoolId: randomUUID(),
  code: 'GR01',
  name: '学校',
  regionCode: '220102',
  authorityRegionCode: '220100',
};

const diploma = (studentId: string, graduationDate: string, exchangedCompletion = false) =>
  createEvent('xueji.graduation.diploma.issued.v1', studentId, {
    certificateId: randomUUID(),
    studentId,
    schoolId: school.schoolId,
    regionCode: school.regionCode,
    number: '2029220100000001',
    programme: 'REGULAR',
    studyForm: 'FULL_TIME',
    majorCode: '710201',
    graduationDate,
    listId: exchangedCompletion ? null : randomUUID(),
    exchangedCompletion,
    issuedAt: `${graduationDate}T02:00:00.000Z`,
  });

const completion = (studentId: string, completionDate: string) =>
  createEvent('xueji.graduation.completion.issued.v1', studentId, {
    certificateId: randomUUID(),
    studentId,
    schoolId: school.schoolId,
    regionCode: school.regionCode,
    number: 'JY2029220100000001',
    completionDate,
    issuedAt: `${completionDate}T02:00:00.000Z`,
  });

describe('status-change applies graduation’s certificates (GR-3, GR-6)', () => {
  let s: Running;
  beforeAll(async () => {
    s = await startStatusChange('national', '2029-06-20');
  });
  afterAll(() => s?.stop());

  const fromGraduation = (...events: EventEnvelope[]) =>
    deliverEvents(s.service, `${s.topicPrefix}xueji.graduation.events`, events, 'status-change to apply the events');
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
        (r) =>
          JSON.parse(r.payload) as {
            studentId: string;
            kind: string;
            previousStatus: string;
            newStatus: string;
            effectiveDate: string;
          },
      )
      .filter((e) => e.studentId === studentId);

  it('a diploma issued: GRADUATED from the graduation date, published as a GRADUATION; a duplicate changes nothing', async () => {
    const id = randomUUID();
    await s.publish('enrolment', ...enrolled(school, id, '2026-09-01'));
    expect(await status(id)).toBe('ACTIVE');
    const event = diploma(id, '2029-06-20');
    await fromGraduation(event);
    expect(await status(id)).toBe('GRADUATED');
    await fromGraduation(diploma(id, '2029-06-21'));
    expect(await published(id)).toEqual([
      expect.objectContaining({
        kind: 'GRADUATION',
        previousStatus: 'ACTIVE',
        newStatus: 'GRADUATED',
        effectiveDate: '2029-06-20',
      }),
    ]);
    const audit = await selectRows<{ action: string; actor: string }>(
      s.service.dataSource,
      `SELECT action, actor FROM audit_entry WHERE entity_id = $1 AND action = 'APPLY_GRADUATION' ORDER BY id`,
      [id],
    );
    expect(audit[0]).toEqual({ action: 'APPLY_GRADUATION', actor: `xueji.graduation.diploma.issued.v1#${event.id}` });
    // Issue 14: its partner copy names the school's county (region-scoped partners), and no personal data.
    const copies = await selectRows<{ payload: string }>(
      s.service.dataSource,
      `SELECT payload FROM outbox_message WHERE message_key = $1 AND event_type = 'xueji.status-change.partner.status-changed.v1'`,
      [id],
    );
    expect(copies.map((c) => JSON.parse(c.payload) as unknown)).toEqual([
      expect.objectContaining({ studentId: id, kind: 'GRADUATION', schoolId: school.schoolId, regionCode: '220102' }),
    ]);
  });

  it('GR-6: completion → COMPLETED; the exchange → GRADUATED', async () => {
    const id = randomUUID();
    await s.publish('enrolment', ...enrolled(school, id, '2026-09-01'));
    await fromGraduation(completion(id, '2029-06-20'));
    expect(await status(id)).toBe('COMPLETED');
    await fromGraduation(diploma(id, '2030-01-15', true));
    expect(await status(id)).toBe('GRADUATED');
    expect((await published(id)).map((e) => [e.kind, e.previousStatus, e.newStatus])).toEqual([
      ['COMPLETION', 'ACTIVE', 'COMPLETED'],
      ['GRADUATION', 'COMPLETED', 'GRADUATED'],
    ]);
  });
});

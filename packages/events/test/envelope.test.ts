import { randomUUID } from 'node:crypto';
import { createEvent, EnvelopeError, fromBusMessage, parseEvent, toBusMessage } from '@xueji/events';

const studentId = randomUUID();
const event = createEvent('xueji.enrolment.student.registered.v1', studentId, {
  studentId,
  schoolId: randomUUID(),
  regionCode: '220102',
  name: '张三',
  registeredAt: '2026-09-01T08:00:00.000Z',
});

describe('CloudEvents envelope, Kafka binary mode', () => {
  it('puts attributes in ce_* headers, the data in the value and the student id in the key', () => {
    const message = toBusMessage(event);
    expect(message.key).toBe(studentId);
    expect(message.headers).toEqual({
      'content-type': 'application/json',
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: 'xueji.enrolment.student.registered.v1',
      ce_source: '/xueji/enrolment',
      ce_subject: studentId,
      ce_time: event.time,
    });
    expect(JSON.parse(message.value!.toString())).toEqual(event.data);
  });

  it('reads back what it wrote', () => {
    expect(fromBusMessage(toBusMessage(event))).toEqual(event);
  });

  it('refuses messages that are not CloudEvents', () => {
    const message = toBusMessage(event);
    expect(() => fromBusMessage({ ...message, headers: { ...message.headers, ce_id: '' } })).toThrow(EnvelopeError);
    expect(() => fromBusMessage({ ...message, headers: { ...message.headers, ce_specversion: '0.3' } })).toThrow(
      /specversion/,
    );
    expect(() => fromBusMessage({ ...message, value: Buffer.from('{not json') })).toThrow(/not JSON/);
  });

  it('checks data against the contract on both sides', () => {
    expect(() =>
      createEvent('xueji.enrolment.student.registered.v1', studentId, { ...event.data, regionCode: 'x' }),
    ).toThrow();
    const tampered = { ...event, data: { ...event.data, schoolId: 'not-a-uuid' } };
    expect(() => parseEvent(tampered, 'xueji.enrolment.student.registered.v1')).toThrow(/schoolId/);
    expect(parseEvent(event, 'xueji.enrolment.student.registered.v1').data.name).toBe('张三');
  });
});

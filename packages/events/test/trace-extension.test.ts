import { fromBusMessage, newEnvelope, toBusMessage } from '@xueji/events';

describe('the CloudEvents distributed-tracing extension on the envelope', () => {
  const event = newEnvelope({ type: 'test.counted.v1', source: '/test', subject: 's-1', data: { n: 1 } });

  it('is absent when the event carries no trace context', () => {
    const message = toBusMessage(event);
    expect(Object.keys(message.headers).filter((h) => h.startsWith('ce_trace'))).toEqual([]);
    expect(fromBusMessage(message)).toEqual(event);
  });

  it('travels as ce_traceparent and ce_tracestate and is read back', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const message = toBusMessage({ ...event, traceparent, tracestate: 'xueji=1' });
    expect(message.headers).toMatchObject({ ce_traceparent: traceparent, ce_tracestate: 'xueji=1' });
    expect(fromBusMessage(message)).toEqual({ ...event, traceparent, tracestate: 'xueji=1' });
  });
});

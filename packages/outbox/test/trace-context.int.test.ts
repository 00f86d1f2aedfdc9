import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, openDataSource, selectRows } from '@xueji/db';
import { createKafkaEventBus, type EventBus } from '@xueji/event-bus';
import { fromBusMessage, newEnvelope } from '@xueji/events';
import {
  AddOutboxTraceContext1763800014100,
  appendToOutbox,
  CreateOutbox1763800000000,
  OutboxRelay,
  ParkOutboxMessages1763800009100,
} from '@xueji/outbox';
import { createTestDatabase, dropTestDatabase, kafkaBrokers, readTopic, testTopicPrefix } from '@xueji/testkit';
import { inConsumerSpan, stopTracing, traceLogFields, tracingEnabled } from '@xueji/tracing';
import { startTracing } from '@xueji/tracing/src/sdk';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('the outbox keeps the trace context of the work that wrote an event (real PostgreSQL and Kafka)', () => {
  let url: string;
  let dataSource: DataSource;
  let bus: EventBus;
  const topic = `${testTopicPrefix()}outbox-trace`;
  const saved = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;

  beforeAll(async () => {
    url = await createTestDatabase('outbox-trace');
    dataSource = await openDataSource(
      createDataSource({
        url,
        entities: [],
        migrations: [CreateOutbox1763800000000, ParkOutboxMessages1763800009100, AddOutboxTraceContext1763800014100],
      }),
    );
    bus = createKafkaEventBus({ brokers: kafkaBrokers(), clientId: 'outbox-trace-test' });
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
  });

  afterAll(async () => {
    await stopTracing();
    if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved;
    await bus.close();
    await dataSource.destroy();
    await dropTestDatabase(url);
  });

  const event = (subject: string) => newEnvelope({ type: 'test.counted.v1', source: '/test', subject, data: { n: 1 } });
  const traceOf = async (subject: string) =>
    selectRows<{ traceparent: string | null; tracestate: string | null }>(
      dataSource,
      'SELECT traceparent, tracestate FROM outbox_message WHERE message_key = $1',
      [subject],
    );

  it('writes no trace context while tracing is off, and with it on keeps the writer’s; the relay sends it as ce_traceparent', async () => {
    // Off: the row is written as before.
    expect(tracingEnabled()).toBe(false);
    const untraced = randomUUID();
    await dataSource.transaction((manager) => appendToOutbox(manager, topic, event(untraced)));
    expect(await traceOf(untraced)).toEqual([{ traceparent: null, tracestate: null }]);

    // On (an exporter to nowhere: only the context matters here), inside a span.
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://127.0.0.1:9';
    startTracing('xueji-outbox-test');
    const traced = randomUUID();
    const logged = await inConsumerSpan('process test', null, {}, async () => {
      await dataSource.transaction((manager) => appendToOutbox(manager, topic, event(traced)));
      return traceLogFields(); // what the services' log lines carry (pino's mixin)
    });
    const written = await traceOf(traced);
    expect(written).toEqual([{ traceparent: expect.stringMatching(TRACEPARENT), tracestate: null }]);
    const traceparent = written[0]!.traceparent!;
    expect(logged).toEqual({ traceId: TRACEPARENT.exec(traceparent)![1], spanId: TRACEPARENT.exec(traceparent)![2] });

    const relay = new OutboxRelay({ databaseUrl: url, bus, logger: silent, deadLetterTopic: `${topic}-dlt` });
    relay.start();
    try {
      const messages = await readTopic(kafkaBrokers(), topic, (m) => m.filter((x) => x.key !== null).length >= 2);
      const byKey = (key: string) => messages.find((m) => m.key === key)!;
      expect(byKey(untraced).headers).not.toHaveProperty('ce_traceparent');
      expect(byKey(traced).headers.ce_traceparent).toBe(traceparent);
      // The consumer reads it back as the envelope's extension attribute.
      const received = byKey(traced);
      const envelope = fromBusMessage({
        key: received.key,
        value: Buffer.from(received.value ?? ''),
        headers: received.headers,
      });
      expect(envelope.traceparent).toBe(traceparent);
    } finally {
      await relay.stop();
    }
  });
});

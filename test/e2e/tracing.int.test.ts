import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import {
  createTestDatabase,
  dropTestDatabase,
  graphql,
  kafkaBrokers,
  readTopic,
  startProcess,
  TEST_JWT_SECRET,
  testTopicPrefix,
  tokenFor,
  waitFor,
  type ServiceProcess,
} from '@xueji/testkit';
import { registration, SUBMIT, TEST_TODAY } from '../support/enrolment';

/** One span as an OTLP/HTTP JSON export carries it, with its service's name. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: OtlpAttribute[];
      }[];
    }[];
  }[];
}

const SERVER = 2;
const CONSUMER = 5;

const attributesOf = (list: OtlpAttribute[] = []): Record<string, unknown> =>
  Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value)[0]]));

/** A small OTLP/HTTP receiver (JSON encoding, as `@opentelemetry/exporter-trace-otlp-http` sends). */
async function otlpReceiver(): Promise<{ endpoint: string; spans: ReceivedSpan[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
        for (const resourceSpans of body.resourceSpans ?? []) {
          const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
          for (const scope of resourceSpans.scopeSpans ?? [])
            for (const span of scope.spans ?? [])
              spans.push({
                service,
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId ?? '',
                name: span.name,
                kind: span.kind,
                attributes: attributesOf(span.attributes),
              });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The processes started, stopped (SIGTERM) after the test whether or not they came up. */
const processes: { child: ChildProcess; exited: Promise<number | null> }[] = [];

/** Start a real process as `pnpm start` does (node with tsx's loader) and wait for the URL it logs. */
const spawnProcess = (name: string, main: string, env: Record<string, string>): Promise<ServiceProcess> =>
  startProcess(name, main, env, 150_000, (child, exited) => processes.push({ child, exited }));

jest.setTimeout(300_000);

describe('a trace from one gateway request reaches the consumer of the event it caused', () => {
  const topicPrefix = testTopicPrefix();
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let enrolmentDatabase: string;
  let assessmentDatabase: string;

  beforeAll(async () => {
    receiver = await otlpReceiver();
    [enrolmentDatabase, assessmentDatabase] = await Promise.all([
      createTestDatabase('trace-enrolment'),
      createTestDatabase('trace-assessment'),
    ]);
  });

  afterAll(async () => {
    await Promise.all(
      processes.map(async ({ child, exited }) => {
        child.kill('SIGTERM');
        await exited;
      }),
    );
    await receiver.close();
    await Promise.all([dropTestDatabase(enrolmentDatabase), dropTestDatabase(assessmentDatabase)]);
  });

  it('joins gateway → enrolment → PostgreSQL → Kafka (ce_traceparent) → assessment in one trace', async () => {
    const common = {
      XUEJI_CLOCK_DATE: TEST_TODAY,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      XUEJI_JWT_SECRET: TEST_JWT_SECRET,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100', // spans exported within a tenth of a second
    };
    // The shortest real chain: enrolment writes `student.registered`, assessment consumes it.
    const [enrolment] = await Promise.all([
      spawnProcess('enrolment', 'services/enrolment/src/main.ts', { ...common, DATABASE_URL: enrolmentDatabase }),
      spawnProcess('assessment', 'services/assessment/src/main.ts', { ...common, DATABASE_URL: assessmentDatabase }),
    ]);
    const gateway = await spawnProcess('gateway', 'gateway/src/main.ts', {
      ...common,
      SUBGRAPH_ENROLMENT_URL: enrolment.url,
    });

    const db = new Client({ connectionString: enrolmentDatabase });
    await db.connect();
    let schoolId: string;
    try {
      [{ id: schoolId }] = (
        await db.query<{ id: string }>(
          `INSERT INTO school (code, name, region_code, authority_region_code)
           VALUES ('TRACE', '长春市职业学校', '220102', '220102') RETURNING id`,
        )
      ).rows as [{ id: string }];
      await db.query(`INSERT INTO major_category (code, name) VALUES ('71', '电子与信息大类')`);
      await db.query(
        `INSERT INTO major (code, name, category_code, standard_years) VALUES ('710201', '计算机应用', '71', 3)`,
      );
      await db.query(`INSERT INTO school_major (school_id, major_code) VALUES ($1, '710201')`, [schoolId]);
    } finally {
      await db.end();
    }

    const registrar = tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId });
    const registered = await graphql<{ submitRegistration: { id: string } }>(
      gateway.url,
      SUBMIT,
      { input: registration(schoolId, '220102', 3, { name: '钱七' }) },
      registrar,
    );
    expect(registered.errors).toBeUndefined();
    const studentId = registered.data!.submitRegistration.id;

    // The gateway's server span for the request: the root of its trace.
    const root = await waitFor(
      async () => receiver.spans.find((s) => s.service === 'xueji-gateway' && s.kind === SERVER && !s.parentSpanId),
      { what: "the gateway's server span" },
    );
    const inTrace = (service: string) =>
      receiver.spans.filter((s) => s.service === service && s.traceId === root.traceId);

    // The subgraph's server span, a child of the gateway's call to it, and the database's spans.
    await waitFor(async () => inTrace('xueji-enrolment').some((s) => s.kind === SERVER && s.parentSpanId), {
      what: "enrolment's server span in the gateway's trace",
    });
    await waitFor(async () => inTrace('xueji-enrolment').some((s) => s.attributes['db.system.name'] === 'postgresql'), {
      what: "enrolment's PostgreSQL spans in the gateway's trace",
    });

    // The event carries the trace on Kafka (the CloudEvents distributed-tracing extension).
    const topic = `${topicPrefix}xueji.enrolment.events`;
    const messages = await readTopic(kafkaBrokers(), topic, (m) => m.some((x) => x.key === studentId));
    const event = messages.find((x) => x.key === studentId)!;
    expect(event.headers.ce_type).toBe('xueji.enrolment.student.registered.v1');
    expect(event.headers.ce_traceparent).toMatch(new RegExp(`^00-${root.traceId}-[0-9a-f]{16}-01$`));

    // The consumer's span for that event is in the same trace, a child of the span that wrote it,
    // and what the handler does (its queries) is under it.
    const consumed = await waitFor(
      async () =>
        inTrace('xueji-assessment').find(
          (s) => s.kind === CONSUMER && s.attributes['cloudevents.event_id'] === event.headers.ce_id,
        ),
      { what: "assessment's consumer span in the gateway's trace", timeoutMs: 60_000 },
    );
    expect(consumed.name).toBe(`process ${topic}`);
    expect(consumed.parentSpanId).toBe(event.headers.ce_traceparent!.split('-')[2]);
    await waitFor(
      async () =>
        inTrace('xueji-assessment').some(
          (s) => s.parentSpanId === consumed.spanId && s.attributes['db.system.name'] === 'postgresql',
        ),
      { what: "the consumer's work under its span" },
    );
  });
});

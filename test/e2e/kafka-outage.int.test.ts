/**
 * Issue 10, errors (E4b): while Kafka is unreachable, a client's requests get success (a write's
 * events wait in the outbox) or a retryable SERVICE_UNAVAILABLE, never INTERNAL_SERVER_ERROR; once
 * Kafka is back, the events go out.
 *
 * Stopping the shared broker would break the tests running beside this one, so enrolment is started
 * with a bus whose publishing goes to a real Kafka client pointed at a port where no broker listens
 * (every publish fails as against a dead broker, and the bus reports itself unhealthy); the broker
 * "comes back" when publishing switches to the real broker. Topics and the consumer use the real
 * broker throughout (the service's start needs them; no client request does).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { createKafkaEventBus, type EventBus } from '@xueji/event-bus';
import { selectRows } from '@xueji/db';
import { startService, type RunningService } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  graphql,
  kafkaBrokers,
  testServiceConfig,
  testTopicPrefix,
  tokenFor,
  waitFor,
} from '@xueji/testkit';
import { enrolment } from '../../services/enrolment/src/service';
import { APPROVE, registration, school, seedSchools, SUBMIT, TEST_TODAY } from '../support/enrolment';

jest.setTimeout(240_000);

/** A local port where nothing listens. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let service: RunningService;
let databaseUrl: string;
let live: EventBus;
let dead: EventBus;
let kafkaDown = true;
const REGION = '220102';

beforeAll(async () => {
  databaseUrl = await createTestDatabase('kafka_outage');
  live = createKafkaEventBus({ brokers: kafkaBrokers(), clientId: `outage-live-${randomUUID()}` });
  dead = createKafkaEventBus({ brokers: [`127.0.0.1:${await deadPort()}`], clientId: 'outage-dead' });
  const bus: EventBus = {
    publish: (topic, messages) => (kafkaDown ? dead : live).publish(topic, messages),
    isHealthy: () => (kafkaDown ? dead : live).isHealthy(),
    subscribe: (options) => live.subscribe(options),
    ensureTopics: (topics) => live.ensureTopics(topics),
    readHistory: (topics) => live.readHistory(topics),
    setGroupOffsets: (group, ends) => live.setGroupOffsets(group, ends),
    close: async () => undefined,
  };
  service = await startService(
    enrolment,
    testServiceConfig('enrolment', { databaseUrl, topicPrefix: testTopicPrefix(), today: TEST_TODAY }),
    { bus },
  );
});

afterAll(async () => {
  await service?.stop();
  await live?.close();
  await dead?.close();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

const outbox = (ds: RunningService['dataSource']) =>
  selectRows<{ eventType: string; published: boolean; parked: boolean; attempts: number }>(
    ds,
    `SELECT event_type AS "eventType", published_at IS NOT NULL AS published, parked_at IS NOT NULL AS parked,
            attempts FROM outbox_message ORDER BY seq`,
  );

it('answers clients while Kafka is unreachable (success, or a retryable SERVICE_UNAVAILABLE), and publishes once it is back', async () => {
  const [schoolId] = (await seedSchools(service, [school('K01', REGION)])) as [string];
  const registrar = tokenFor({ subject: 'registrar-k', role: 'SCHOOL_REGISTRAR', schoolId });
  const reviewer = tokenFor({ subject: 'reviewer-k', role: 'AUTHORITY_REVIEWER', regionCode: REGION });

  // Kafka is down: nothing has reached it yet.
  expect(await dead.isHealthy()).toBe(false);
  const answers = [];
  const submitted = await graphql<{ submitRegistration: { id: string } }>(
    service.url,
    SUBMIT,
    { input: registration(schoolId, REGION, 71) },
    registrar,
  );
  answers.push(submitted);
  const id = submitted.data?.submitRegistration.id;
  answers.push(await graphql(service.url, APPROVE, { ids: [id] }, reviewer));
  answers.push(
    await graphql(
      service.url,
      `
        query {
          students(first: 10) {
            edges {
              node {
                id
                registrationStatus
              }
            }
          }
        }
      `,
      {},
      reviewer,
    ),
  );
  answers.push(
    await graphql(
      service.url,
      `
        query ($id: ID!) {
          student(id: $id) {
            id
          }
        }
      `,
      { id },
      registrar,
    ),
  );
  for (const answer of answers) {
    const codes = (answer.errors ?? []).map((e) => e.extensions?.code);
    expect(codes.filter((code) => code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    for (const e of answer.errors ?? []) expect(e.extensions?.retryable).toBe(true);
  }
  // Here every request succeeded: the writes committed with their events in the outbox.
  expect(answers.every((a) => a.errors === undefined)).toBe(true);

  // The relay tries, fails against the dead broker, and parks nothing (an outage is not a poison event).
  await waitFor(async () => (await outbox(service.dataSource)).some((row) => row.attempts > 0), {
    timeoutMs: 120_000,
    what: 'a failed publish attempt while Kafka is down',
  });
  const waiting = await outbox(service.dataSource);
  expect(waiting.map((row) => row.eventType)).toEqual(
    expect.arrayContaining(['xueji.enrolment.student.registered.v1', 'xueji.enrolment.registration.approved.v1']),
  );
  expect(waiting.filter((row) => row.published || row.parked)).toEqual([]);
  const ready = await fetch(service.url.replace('/graphql', '/ready'));
  expect(ready.status).toBe(503); // not ready: Kafka unreachable; the clients were served all the same

  // Kafka is back: every event goes out, in order, none parked.
  kafkaDown = false;
  await waitFor(async () => (await outbox(service.dataSource)).every((row) => row.published), {
    timeoutMs: 120_000,
    what: 'the outbox published after Kafka came back',
  });
  expect((await outbox(service.dataSource)).filter((row) => row.parked)).toEqual([]);
  const history = await live.readHistory([service.topics.own]);
  const onTopic = history.partitions.flat().filter((m) => m.key === id);
  expect(onTopic.length).toBeGreaterThanOrEqual(2);
});

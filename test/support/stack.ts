import { allTopics, SERVICE_NAMES, type ServiceName } from '@xueji/config';
import { createKafkaEventBus } from '@xueji/event-bus';
import { startService, type RunningService, type ServiceDefinition } from '@xueji/service-kit';
import {
  createTestDatabase,
  dropTestDatabase,
  kafkaBrokers,
  TEST_GATEWAY_SECRET,
  TEST_JWT_SECRET,
  testServiceConfig,
  testTopicPrefix,
  waitUntilReady,
} from '@xueji/testkit';
import { startGateway, type RunningGateway } from '../../gateway/src/gateway';
import { SERVICE_DEFINITIONS } from '../../scripts/lib/service-definitions';
import { readCommittedSupergraph } from '../../gateway/src/supergraph';

export interface Stack {
  gatewayUrl: string;
  /** Move every service's "today" (deadlines and effective dates are judged on it). */
  setToday(day: string): void;
  services: Record<ServiceName, RunningService>;
  databases: Record<ServiceName, string>;
  topicPrefix: string;
  stop(): Promise<void>;
}

/**
 * The whole system in this process: six subgraphs, each with its own fresh database, on topics
 * of their own (a prefix), behind the gateway serving the committed supergraph.
 */
export async function startStack(
  options: {
    profile?: string;
    today?: string;
    /** Definitions to run instead of the usual ones (e.g. partners with short webhook retries). */
    definitions?: Partial<Record<ServiceName, ServiceDefinition>>;
  } = {},
): Promise<Stack> {
  const topicPrefix = testTopicPrefix();
  let today = options.today ?? new Date().toISOString().slice(0, 10);
  const databases = {} as Record<ServiceName, string>;
  const services = {} as Record<ServiceName, RunningService>;
  for (const name of SERVICE_NAMES) databases[name] = await createTestDatabase(name);
  // Topics exist before the services start, as infra/up.sh makes them in a deployment.
  const admin = createKafkaEventBus({ brokers: kafkaBrokers(), clientId: 'test-stack' });
  await admin.ensureTopics(allTopics(topicPrefix));
  await admin.close();
  await Promise.all(
    SERVICE_NAMES.map(async (name) => {
      const config = testServiceConfig(name, { databaseUrl: databases[name], topicPrefix, profile: options.profile });
      services[name] = await startService(options.definitions?.[name] ?? SERVICE_DEFINITIONS[name], {
        ...config,
        today: () => today,
      });
      await waitUntilReady(services[name]); // consumers joined: events published from here are taken
    }),
  );
  const gateway: RunningGateway = await startGateway({
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls: Object.fromEntries(SERVICE_NAMES.map((n) => [n, services[n].url])),
    jwtSecret: TEST_JWT_SECRET,
    gatewaySecret: TEST_GATEWAY_SECRET,
    port: 0,
    logLevel: 'warn',
  });
  return {
    gatewayUrl: gateway.url,
    setToday: (day) => {
      today = day;
    },
    services,
    databases,
    topicPrefix,
    stop: async () => {
      await gateway.stop();
      await Promise.all(SERVICE_NAMES.map((n) => services[n].stop()));
      await Promise.all(SERVICE_NAMES.map((n) => dropTestDatabase(databases[n])));
    },
  };
}

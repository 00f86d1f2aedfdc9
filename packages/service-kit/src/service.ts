import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { GraphQLError, type DocumentNode } from 'graphql';
import type { DataSource } from 'typeorm';
import { EnsureAuditEntry1763800009000 } from '@xueji/audit';
import { principalFromHeader } from '@xueji/auth';
import {
  GATEWAY_SECRET_HEADER,
  loadServiceConfig,
  type ServiceConfig,
  type ServiceName,
  type TopicNames,
} from '@xueji/config';
import { createDataSource, openDataSource } from '@xueji/db';
import {
  formatCodedError,
  httpErrorHandler,
  operationResolutionPlugin,
  requestIdOf,
  requestIdScope,
  requireSharedSecret,
} from '@xueji/errors';
import { createKafkaEventBus, type EventBus } from '@xueji/event-bus';
import { queryLimits, SUBGRAPH_BODY_LIMIT_BYTES, SUBGRAPH_QUERY_LIMITS } from '@xueji/graphql-limits';
import { CreateInbox1763800000001, InboxConsumer, type EventHandlers } from '@xueji/inbox';
import {
  configureOutbox,
  CreateOutbox1763800000000,
  OutboxRelay,
  ParkOutboxMessages1763800009100,
} from '@xueji/outbox';
import { loadPolicyProfile } from '@xueji/policy';
import type { CommandEnv } from './command';
import type { ServiceContext } from './context';
import { scalarResolversFor } from './scalars';
import { createLogger, loggableError, type Logger } from './logger';

type SubgraphModule = Exclude<
  Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number],
  DocumentNode
>;

/** A resolver map as Apollo's subgraph takes it (the kit adds the `DateTime` and `Date` scalars). */
export type SubgraphResolvers = NonNullable<SubgraphModule['resolvers']>;

/**
 * A service's resolvers, typed by the `Resolvers` GraphQL Code Generator made from its schema
 * (`src/generated/resolvers-types.ts`): an argument or a result that disagrees with the schema
 * does not compile. Here they become what Apollo's subgraph takes.
 */
export function subgraphResolvers<R extends object>(resolvers: R): SubgraphResolvers {
  return resolvers as SubgraphResolvers;
}

/** Everything that makes one subgraph; the rest is the same for all five. */
export interface ServiceDefinition {
  name: ServiceName;
  typeDefs: DocumentNode;
  resolvers: SubgraphResolvers;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  /** The service's own migrations; the outbox, inbox and audit tables are added for every service. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  /** Periodic jobs (e.g. ENR-17's lapse check); each run is independent and idempotent. */
  schedules?: ScheduledJob[];
  /** Events this service applies to its own read model. */
  consumes?: {
    topics(topics: TopicNames): string[];
    /** Handlers, or a function of the deployment (its profile, topics, clock) when handlers run commands. */
    handlers: EventHandlers | ((deployment: CommandEnv) => EventHandlers);
    /**
     * Partitions applied at once (default 1). Only for handlers that serialise what must be
     * serialised themselves (events of one key stay in order either way).
     */
    partitionsConcurrently?: number;
  };
}

export interface ScheduleEnv extends CommandEnv {
  dataSource: DataSource;
}

export interface ScheduledJob {
  name: string;
  intervalMs: number;
  run(env: ScheduleEnv): Promise<unknown>;
}

export interface RunningService {
  name: ServiceName;
  url: string;
  topics: TopicNames;
  port: number;
  dataSource: DataSource;
  bus: EventBus;
  relay: OutboxRelay | null;
  consumer: InboxConsumer | null;
  logger: Logger;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Supply a bus (tests share one); by default a Kafka bus on the configured brokers. */
  bus?: EventBus;
  logger?: Logger;
}

function unauthenticatedAtHttp(error: unknown): GraphQLError {
  const original = error instanceof GraphQLError ? error : new GraphQLError(String(error));
  return new GraphQLError(original.message, { extensions: { ...original.extensions, http: { status: 401 } } });
}

/**
 * Start a subgraph: migrations, Apollo subgraph server with health and readiness routes, the
 * outbox relay and the inbox consumer. `stop()` shuts down in reverse order.
 */
export async function startService(
  definition: ServiceDefinition,
  config: ServiceConfig = loadServiceConfig(definition.name),
  options: StartOptions = {},
): Promise<RunningService> {
  const logger = options.logger ?? createLogger(definition.name, config.logLevel);
  const profile = loadPolicyProfile(config.policyProfile);
  configureOutbox({ maxEventBytes: config.outboxMaxEventBytes });
  const dataSource = await openDataSource(
    createDataSource({
      url: config.databaseUrl,
      entities: definition.entities,
      migrations: [
        CreateOutbox1763800000000,
        CreateInbox1763800000001,
        ...definition.migrations,
        EnsureAuditEntry1763800009000,
        ParkOutboxMessages1763800009100,
      ],
      applicationName: definition.name,
    }),
  );
  const ownsBus = !options.bus;
  const bus =
    options.bus ??
    createKafkaEventBus({
      brokers: config.kafkaBrokers,
      clientId: `xueji-${definition.name}`,
      log: (level, message, extra) => logger[level](extra, message),
    });
  const consumedTopics = definition.consumes?.topics(config.topics) ?? [];
  await bus.ensureTopics(
    [
      ...new Set([
        config.topics.own,
        config.topics.deadLetter,
        config.topics.partnerStatus,
        config.topics.partnerEligibility,
        ...consumedTopics,
      ]),
    ].map((name) => ({
      name,
      partitions: name === config.topics.deadLetter ? 1 : 3,
    })),
  );

  const app = express();
  const httpServer = http.createServer(app);
  const limits = queryLimits(SUBGRAPH_QUERY_LIMITS);
  const apollo = new ApolloServer<ServiceContext>({
    schema: buildSubgraphSchema({
      typeDefs: definition.typeDefs,
      resolvers: { ...scalarResolversFor(definition.typeDefs), ...definition.resolvers },
    }),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: config.debugErrors,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      operationResolutionPlugin,
    ],
    formatError: (formatted, error) =>
      formatCodedError(formatted, error, {
        debug: config.debugErrors,
        onInternal: (internal, requestId) =>
          logger.error({ requestId, err: loggableError(internal) }, 'internal error in resolver'),
      }),
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: definition.name });
  });
  app.get('/ready', async (_req, res) => {
    const database = await dataSource
      .query('SELECT 1')
      .then(() => true)
      .catch(() => false);
    const kafka = await bus.isHealthy();
    res
      .status(database && kafka ? 200 : 503)
      .json({ status: database && kafka ? 'ready' : 'not ready', database, kafka });
  });
  app.use(
    '/graphql',
    // Only the gateway may ask (it sends XUEJI_GATEWAY_SECRET): checked before the body is read.
    requireSharedSecret(config.gatewaySecret, GATEWAY_SECRET_HEADER),
    express.json({ limit: SUBGRAPH_BODY_LIMIT_BYTES }), // the gateway's 2 MiB and headroom: see its comment
    requestIdScope,
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        let principal;
        try {
          principal = principalFromHeader(req.headers.authorization, config.jwtSecret);
        } catch (error) {
          throw unauthenticatedAtHttp(error);
        }
        const requestId = requestIdOf(req);
        return {
          principal,
          dataSource,
          profile,
          topics: config.topics,
          requestId,
          logger: logger.child({ requestId }),
          today: () => config.today(),
        };
      },
    }),
  );
  app.use(httpErrorHandler({ logger, debug: config.debugErrors }));

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const port = (httpServer.address() as AddressInfo).port;

  const relay = config.outboxRelayEnabled
    ? new OutboxRelay({
        databaseUrl: config.databaseUrl,
        bus,
        logger,
        deadLetterTopic: config.topics.deadLetter,
        maxAttempts: config.outboxMaxPublishAttempts,
      })
    : null;
  relay?.start();
  const consumer =
    definition.consumes && config.inboxConsumerEnabled
      ? new InboxConsumer({
          dataSource,
          bus,
          consumer: config.consumerGroup,
          topics: consumedTopics,
          handlers:
            typeof definition.consumes.handlers === 'function'
              ? definition.consumes.handlers({ profile, topics: config.topics, logger, today: () => config.today() })
              : definition.consumes.handlers,
          deadLetterTopic: config.topics.deadLetter,
          logger,
          partitionsConcurrently: definition.consumes.partitionsConcurrently,
        })
      : null;
  await consumer?.start();
  const timers = (definition.schedules ?? []).map((job) => {
    const env: ScheduleEnv = { dataSource, profile, topics: config.topics, logger, today: () => config.today() };
    const timer = setInterval(() => {
      job.run(env).then(
        (result) => logger.debug({ job: job.name, result }, 'scheduled job ran'),
        (error: unknown) => logger.error({ err: error, job: job.name }, 'scheduled job failed'),
      );
    }, job.intervalMs);
    timer.unref();
    return timer;
  });

  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url, profile: profile.id }, `${definition.name} subgraph ready`);

  let stopping: Promise<void> | null = null;
  return {
    name: definition.name,
    url,
    topics: config.topics,
    port,
    dataSource,
    bus,
    relay,
    consumer,
    logger,
    stop: () =>
      (stopping ??= (async () => {
        timers.forEach(clearInterval);
        await apollo.stop(); // drains in-flight requests, closes the HTTP server
        await consumer?.stop();
        await relay?.stop();
        if (ownsBus) await bus.close();
        await dataSource.destroy();
        logger.info({}, `${definition.name} subgraph stopped`);
      })()),
  };
}

/** A service's `main`: start from the environment and stop cleanly on SIGTERM/SIGINT. */
export function runService(definition: ServiceDefinition): void {
  const config = loadServiceConfig(definition.name);
  const logger = createLogger(definition.name, config.logLevel);
  startService(definition, config, { logger }).then(
    (service) => {
      const shutdown = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        service.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'unclean shutdown');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    },
    (error: unknown) => {
      logger.fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}

import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
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
  serviceUnavailablePlugin,
  unknownPathRefusal,
} from '@xueji/errors';
import { createKafkaEventBus, type EventBus } from '@xueji/event-bus';
import { serveGraphql } from '@xueji/graphql-endpoint';
import { queryLimits, SUBGRAPH_BODY_LIMIT_BYTES, SUBGRAPH_QUERY_LIMITS } from '@xueji/graphql-limits';
import {
  CreateInbox1763800000001,
  InboxConsumer,
  KeepDeadLetteredEvents1763800014200,
  type EventHandlers,
} from '@xueji/inbox';
import {
  AddOutboxTraceContext1763800014100,
  configureOutbox,
  CreateOutbox1763800000000,
  OutboxRelay,
  ParkOutboxMessages1763800009100,
} from '@xueji/outbox';
import { metricsHandler, type Registry } from '@xueji/metrics';
import { loadPolicyProfile, type PolicyProfile } from '@xueji/policy';
import { stopTracing } from '@xueji/tracing';
import type { CommandEnv } from './command';
import type { ServiceContext } from './context';
import { entityTypesOf, representationsGuard } from './representations';
import { scalarResolversFor } from './scalars';
import { createLogger, loggableError, type Logger } from './logger';
import { serviceMetrics } from './metrics';

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
  /**
   * The service's own metrics, added to its registry (`GET /metrics`) once at start: gauges read
   * when scraped (`new Gauge({ registers: [registry], collect() … })`), counters its jobs increment.
   */
  metrics?: (registry: Registry, env: ScheduleEnv) => void;
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
  /** The service's metrics registry (`GET /metrics`); absent when a test runs a job by itself. */
  metrics?: Registry;
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
  /** The registry `GET /metrics` exposes. */
  metrics: Registry;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Supply a bus (tests share one); by default a Kafka bus on the configured brokers. */
  bus?: EventBus;
  logger?: Logger;
  /**
   * Give up starting when this aborts (SIGTERM while migrating or connecting): the step under way
   * finishes (a migration is not cut short), whatever was opened is closed, and `startService`
   * rejects with `StartAborted`.
   */
  signal?: AbortSignal;
}

/** `startService` was told to stop (its `signal` aborted) before it had started. */
export class StartAborted extends Error {
  override readonly name = 'StartAborted';
}

/** Where a request's context keeps the child logger it made; not an own property, so never copied. */
const REQUEST_LOGGER = Symbol('requestLogger');

/**
 * A request's context whose `logger` (the service's, with the request id on every line) is made
 * the first time something logs, not for every request: most log nothing, and pino's `child()`
 * was measurable in a subgraph's profile (issue 13). The getter sits on the prototype because
 * Apollo copies the context's own properties (`Object.assign` onto `Object.create(prototype)`):
 * an own getter would be read, and the child made, by that copy.
 */
function requestContexts(base: Logger): (fields: Omit<ServiceContext, 'logger'>) => ServiceContext {
  // One prototype for the service, so every context has the same shape.
  const prototype = {
    get logger(): Logger {
      const self = this as ServiceContext & { [REQUEST_LOGGER]?: Logger };
      return (self[REQUEST_LOGGER] ??= base.child({ requestId: self.requestId }));
    },
  };
  return (fields) => Object.assign(Object.create(prototype) as ServiceContext, fields);
}

function unauthenticatedAtHttp(error: unknown): GraphQLError {
  const original = error instanceof GraphQLError ? error : new GraphQLError(String(error));
  return new GraphQLError(original.message, { extensions: { ...original.extensions, http: { status: 401 } } });
}

/**
 * Start a subgraph: migrations, Apollo subgraph server with health and readiness routes, the
 * outbox relay and the inbox consumer. Resolves once the server listens; the consumer joins its
 * group in the background, and `/ready` answers 503 until it has (then it is ready to consume).
 * `stop()` shuts down in reverse order, leaving the consumer group even mid-join.
 */
/** A service's migrations: the kit's tables (outbox, inbox, audit) around the service's own. */
export function serviceMigrations(definition: ServiceDefinition): ServiceDefinition['migrations'] {
  return [
    CreateOutbox1763800000000,
    CreateInbox1763800000001,
    ...definition.migrations,
    EnsureAuditEntry1763800009000,
    ParkOutboxMessages1763800009100,
    AddOutboxTraceContext1763800014100,
    KeepDeadLetteredEvents1763800014200,
  ];
}

/** The deployment commands run in: the profile, the topics, the logger and the service clock. */
export function deploymentEnv(config: ServiceConfig, profile: PolicyProfile, logger: Logger): CommandEnv {
  return { profile, topics: config.topics, logger, today: () => config.today(), now: () => config.now() };
}

/** The handlers of the events a service consumes, in the deployment `env`. */
export function eventHandlersOf(definition: ServiceDefinition, env: CommandEnv): EventHandlers {
  const handlers = definition.consumes?.handlers ?? {};
  return typeof handlers === 'function' ? handlers(env) : handlers;
}

export async function startService(
  definition: ServiceDefinition,
  config: ServiceConfig = loadServiceConfig(definition.name),
  options: StartOptions = {},
): Promise<RunningService> {
  const logger = options.logger ?? createLogger(definition.name, config.logLevel);
  const profile = loadPolicyProfile(config.policyProfile);
  configureOutbox({ maxEventBytes: config.outboxMaxEventBytes });

  // What has been opened so far, closed in reverse order by `shutdown` (on stop, an aborted start
  // or a failed one).
  let dataSource: DataSource | null = null;
  let bus: EventBus | null = null;
  const ownsBus = !options.bus;
  let apollo: ApolloServer<ServiceContext> | null = null;
  let relay: OutboxRelay | null = null;
  let consumer: InboxConsumer | null = null;
  let timers: NodeJS.Timeout[] = [];
  const shutdown = async () => {
    timers.forEach(clearInterval);
    await apollo?.stop(); // drains in-flight requests, closes the HTTP server
    await consumer?.stop(); // leaves the group, waiting for a join in progress to finish
    await relay?.stop();
    if (ownsBus) await bus?.close();
    await dataSource?.destroy();
  };
  const checkpoint = async () => {
    if (!options.signal?.aborted) return;
    await shutdown();
    logger.info({}, `${definition.name} subgraph stopped before it had started`);
    throw new StartAborted(`${definition.name}: start aborted`);
  };

  try {
    dataSource = await openDataSource(
      createDataSource({
        url: config.databaseUrl,
        entities: definition.entities,
        migrations: serviceMigrations(definition),
        applicationName: definition.name,
      }),
    );
    const db = dataSource;
    await checkpoint();
    const eventBus =
      options.bus ??
      createKafkaEventBus({
        brokers: config.kafkaBrokers,
        clientId: `xueji-${definition.name}`,
        log: (level, message, extra) => logger[level](extra, message),
      });
    bus = eventBus;
    const consumedTopics = definition.consumes?.topics(config.topics) ?? [];
    await eventBus.ensureTopics(
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
    await checkpoint();
    const metrics = serviceMetrics({
      service: definition.name,
      dataSource: db,
      bus: eventBus,
      consumer: definition.consumes ? { group: config.consumerGroup, topics: consumedTopics } : null,
      logger,
    });
    const scheduleEnv: ScheduleEnv = {
      dataSource: db,
      metrics: metrics.registry,
      ...deploymentEnv(config, profile, logger),
    };
    definition.metrics?.(metrics.registry, scheduleEnv);

    const app = express();
    // No ETag: a hash of every answer that no client revalidates with (issue 13).
    app.set('etag', false);
    // Requests reach Express, or the plain GraphQL POST the lean listener, once both exist (below).
    const httpServer = http.createServer();
    const limits = queryLimits(SUBGRAPH_QUERY_LIMITS);
    const server = new ApolloServer<ServiceContext>({
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
        // No field has a cache hint (no @cacheControl anywhere), and Apollo's default cache-control
        // plugin wraps every field's resolution to collect them: 3% of a 50-student page (issue 13).
        ApolloServerPluginCacheControlDisabled(),
        metrics.requests.plugin<ServiceContext>(),
        operationResolutionPlugin,
        serviceUnavailablePlugin,
        representationsGuard(entityTypesOf(definition.typeDefs)),
        ...limits.plugins,
      ],
      formatError: (formatted, error) =>
        formatCodedError(formatted, error, {
          debug: config.debugErrors,
          onInternal: (internal, requestId) =>
            logger.error({ requestId, err: loggableError(internal) }, 'internal error in resolver'),
        }),
    });
    await server.start();

    app.get('/health', (_req, res) => {
      res.json({ status: 'ok', service: definition.name });
    });
    // Ready to serve and to consume: the database and Kafka answer, and the inbox consumer (if the
    // service runs one) has joined its group and been given its partitions.
    app.get('/ready', async (_req, res) => {
      const database = await db
        .query('SELECT 1')
        .then(() => true)
        .catch(() => false);
      const kafka = await eventBus.isHealthy();
      const consuming = consumer ? consumer.ready : null;
      const ready = database && kafka && consuming !== false;
      res.status(ready ? 200 : 503).json({
        status: ready ? 'ready' : 'not ready',
        database,
        kafka,
        ...(consuming === null ? {} : { consumer: consuming }),
      });
    });
    // For the operator's Prometheus: no gateway secret, no personal data in any label.
    app.get('/metrics', metricsHandler(metrics.registry));
    const requestContext = requestContexts(logger);
    const contextOf = async (req: IncomingMessage): Promise<ServiceContext> => {
      let principal;
      try {
        principal = principalFromHeader(req.headers.authorization, config.jwtSecret);
      } catch (error) {
        throw unauthenticatedAtHttp(error);
      }
      const requestId = requestIdOf(req);
      return requestContext({
        principal,
        dataSource: db,
        profile,
        topics: config.topics,
        requestId,
        today: () => config.today(),
        now: () => config.now(),
      });
    };
    // Only the gateway may ask (it sends XUEJI_GATEWAY_SECRET). The body limit is the gateway's and
    // headroom: see its comment.
    serveGraphql(app, httpServer, {
      server,
      context: contextOf,
      bodyLimitBytes: SUBGRAPH_BODY_LIMIT_BYTES,
      logger,
      debug: config.debugErrors,
      sharedSecret: { secret: config.gatewaySecret, header: GATEWAY_SECRET_HEADER },
    });
    app.use(unknownPathRefusal);
    app.use(httpErrorHandler({ logger, debug: config.debugErrors }));

    await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
    apollo = server;
    const port = (httpServer.address() as AddressInfo).port;
    await checkpoint();

    relay = config.outboxRelayEnabled
      ? new OutboxRelay({
          databaseUrl: config.databaseUrl,
          bus: eventBus,
          logger,
          deadLetterTopic: config.topics.deadLetter,
          maxAttempts: config.outboxMaxPublishAttempts,
        })
      : null;
    relay?.start();
    const inbox =
      definition.consumes && config.inboxConsumerEnabled
        ? new InboxConsumer({
            dataSource: db,
            bus: eventBus,
            consumer: config.consumerGroup,
            topics: consumedTopics,
            handlers: eventHandlersOf(definition, deploymentEnv(config, profile, logger)),
            deadLetterTopic: config.topics.deadLetter,
            logger,
            partitionsConcurrently: definition.consumes.partitionsConcurrently,
            onOutcome: metrics.inboxOutcome,
          })
        : null;
    consumer = inbox;
    await inbox?.start(); // connects and subscribes; the group is joined in the background
    await checkpoint();
    timers = (definition.schedules ?? []).map((job) => {
      const env = scheduleEnv;
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
      dataSource: db,
      bus: eventBus,
      relay,
      consumer: inbox,
      logger,
      metrics: metrics.registry,
      stop: () =>
        (stopping ??= (async () => {
          await shutdown();
          logger.info({}, `${definition.name} subgraph stopped`);
        })()),
    };
  } catch (error) {
    if (!(error instanceof StartAborted)) await shutdown().catch(() => undefined);
    throw error;
  }
}

/**
 * A service's `main`: start from the environment and stop cleanly on SIGTERM/SIGINT, whatever the
 * phase (migrating, connecting, joining the consumer group, running), then exit 0.
 */
export function runService(definition: ServiceDefinition): void {
  const config = loadServiceConfig(definition.name);
  const logger = createLogger(definition.name, config.logLevel);
  const aborted = new AbortController();
  let service: RunningService | null = null;
  const stopAndExit = (running: RunningService) => {
    running.stop().then(
      // The spans still buffered are exported before the process exits (tracing on only).
      () => void stopTracing().then(() => process.exit(0)),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    aborted.abort();
    if (service) stopAndExit(service); // otherwise startService stops at its next step
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  logger.info({}, `${definition.name} subgraph starting`); // signals are handled from here on
  startService(definition, config, { logger, signal: aborted.signal }).then(
    (running) => {
      service = running;
      if (aborted.signal.aborted) stopAndExit(running); // the signal came as the start finished
    },
    (error: unknown) => {
      if (error instanceof StartAborted) process.exit(0);
      logger.fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}

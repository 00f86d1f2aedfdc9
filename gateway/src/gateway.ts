import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import { GraphQLError } from 'graphql';
import pino from 'pino';
import proxyAddress from 'proxy-addr';
import { principalFromHeader, type Principal } from '@xueji/auth';
import { GATEWAY_SECRET_HEADER, type TrustProxy } from '@xueji/config';
import {
  formatCodedError,
  httpErrorHandler,
  operationResolutionPlugin,
  requestIdOf,
  serviceUnavailablePlugin,
  unknownPathRefusal,
} from '@xueji/errors';
import { serveGraphql } from '@xueji/graphql-endpoint';
import { GATEWAY_BODY_LIMIT_BYTES, GATEWAY_QUERY_LIMITS, queryLimits, type QueryLimits } from '@xueji/graphql-limits';
import { logMixin } from '@xueji/tracing';
import { metricsHandler } from '@xueji/metrics';
import { gatewayMetrics, gatewayReadiness } from './metrics';
import { lookupPage, publicRateLimitPlugin } from './public-lookup';
import { bufferedResponse, pooledSubgraphFetcher, subgraphAgent, type SubgraphFetcher } from './subgraph-fetcher';

export interface GatewayContext {
  principal: Principal | null;
  authorization?: string;
  requestId: string;
  /** The client's address, which the public lookup's rate limit counts by (GR-10). */
  clientAddress: string;
}

export interface GatewayOptions {
  supergraphSdl: string;
  /** Subgraph URLs by name; overrides those in the supergraph. */
  subgraphUrls?: Record<string, string>;
  jwtSecret: string;
  /** XUEJI_GATEWAY_SECRET, sent to every subgraph (`x-xueji-gateway-secret`): they answer no one else. */
  gatewaySecret: string;
  host?: string;
  port?: number;
  /** Depth, aliases, cost and tokens of one operation; by default GATEWAY_QUERY_LIMITS. */
  queryLimits?: Partial<QueryLimits>;
  subgraphTimeoutMs?: number;
  logLevel?: string;
  /** Answer introspection (`__schema`, `__type`); XUEJI_INTROSPECTION, off by default in production. */
  introspection?: boolean;
  /** Errors carry stack traces (XUEJI_DEBUG_ERRORS; development only). */
  debugErrors?: boolean;
  /** Operations a client without an account may send a minute (the public lookup, GR-10); 30 by default. */
  publicRequestsPerMinute?: number;
  /**
   * XUEJI_TRUST_PROXY, Express's `trust proxy`: the proxies whose X-Forwarded-For names the client
   * the rate limit counts by. By default none: the connection's address, whatever a header says.
   */
  trustProxy?: TrustProxy;
}

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Passes the caller's token and request id to every subgraph; each verifies the token again. Every
 * request carries the gateway secret, without which a subgraph answers nothing.
 */
class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
    private readonly gatewaySecret: string,
  ) {
    super(config);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    request.http?.headers.set(GATEWAY_SECRET_HEADER, this.gatewaySecret);
    // Apollo types the context loosely (its own health checks send none); ours is a GatewayContext.
    const { authorization, requestId } = context as Partial<GatewayContext>;
    if (authorization) request.http?.headers.set('authorization', authorization);
    if (requestId) request.http?.headers.set('x-request-id', requestId);
  }
}

/** Every error of a GraphQL answer is one of ours: a code and its Chinese and English message. */
function allCoded(body: unknown): boolean {
  const errors = (body as { errors?: unknown } | null)?.errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((error) => {
      const extensions = (error as { extensions?: Record<string, unknown> } | null)?.extensions;
      return (
        typeof extensions?.code === 'string' &&
        typeof extensions.messageZh === 'string' &&
        typeof extensions.messageEn === 'string'
      );
    })
  );
}

/**
 * A subgraph's refusal with a non-2xx status (a variable it cannot coerce or a query over its limits:
 * 400; SERVICE_UNAVAILABLE: 503) whose body holds coded GraphQL errors is handed to Apollo's data
 * source as a GraphQL answer, so those errors reach the client unchanged (code, bilingual message,
 * details). Apollo would otherwise replace them by one uncoded "400: Bad Request", an
 * INTERNAL_SERVER_ERROR to the client (issue 10). Any other non-2xx answer stays a fault.
 */
function passingCodedRefusals(fetcher: SubgraphFetcher): SubgraphFetcher {
  return async (url, init) => {
    const response = await fetcher(url, init);
    if (response.ok || !/json/i.test(response.headers.get('content-type') ?? '')) return response;
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    const coded = allCoded(body);
    return bufferedResponse(
      url,
      coded ? 200 : response.status,
      coded ? 'OK' : response.statusText,
      response.headers,
      text,
    );
  };
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const logger = pino({
    name: 'gateway',
    level: options.logLevel ?? 'info',
    base: { service: 'gateway' },
    mixin: logMixin(), // the trace and span ids, while tracing is on
  });
  const debugErrors = options.debugErrors ?? false;
  const agent = subgraphAgent();
  const fetcher = passingCodedRefusals(pooledSubgraphFetcher(options.subgraphTimeoutMs ?? 10_000, agent));
  const metrics = gatewayMetrics();
  /** Each subgraph's URL, as the supergraph (or `subgraphUrls`) gives it: `/ready` asks them. */
  const subgraphs = new Map<string, string>();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const subgraphUrl = options.subgraphUrls?.[name] ?? url;
      if (subgraphUrl) subgraphs.set(name, subgraphUrl);
      return new AuthenticatedDataSource(
        { url: subgraphUrl, fetcher: metrics.timed(name, fetcher) as never },
        options.gatewaySecret,
      );
    },
  });
  let hasSupergraph = false;
  gateway.onSchemaLoadOrUpdate(() => {
    hasSupergraph = true;
  });
  const limits = queryLimits({ ...GATEWAY_QUERY_LIMITS, ...options.queryLimits });

  const app = express();
  // No ETag: a hash of every answer that no client revalidates with (issue 13).
  app.set('etag', false);
  // The client's address (`req.ip`) is X-Forwarded-For's only through the proxies named here.
  app.set('trust proxy', options.trustProxy ?? false);
  // Requests reach Express, or the plain GraphQL POST the lean listener, once both exist (below).
  const httpServer = http.createServer();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: debugErrors,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      metrics.requests.plugin<GatewayContext>(),
      operationResolutionPlugin,
      serviceUnavailablePlugin,
      ...limits.plugins,
      publicRateLimitPlugin<GatewayContext>(options.publicRequestsPerMinute ?? 30),
    ],
    formatError: (formatted, error) =>
      formatCodedError(formatted, error, {
        debug: debugErrors,
        onInternal: (internal, requestId) => logger.error({ requestId, err: internal }, 'internal error'),
      }),
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  // Ready: the supergraph is loaded and every subgraph's /ready answers 200 (cached briefly).
  app.get(
    '/ready',
    gatewayReadiness(
      () => hasSupergraph,
      () => subgraphs,
    ),
  );
  // For the operator's Prometheus: no secret, no personal data in any label.
  app.get('/metrics', metricsHandler(metrics.registry));
  // The caller's address as Express's `req.ip` gives it, through the proxies `trustProxy` names.
  const trusted = app.get('trust proxy fn') as Parameters<typeof proxyAddress>[1];
  const contextOf = async (req: IncomingMessage): Promise<GatewayContext> => {
    const authorization = req.headers.authorization;
    let principal: Principal | null;
    try {
      // Verified here first, so a forged token never reaches a subgraph.
      principal = principalFromHeader(authorization, options.jwtSecret);
    } catch (error) {
      const e = error as GraphQLError;
      throw new GraphQLError(e.message, { extensions: { ...e.extensions, http: { status: 401 } } });
    }
    const requestId = requestIdOf(req);
    return { principal, authorization, requestId, clientAddress: proxyAddress(req, trusted) ?? 'unknown' };
  };
  // The plain GraphQL POST straight from node:http (issue 13); everything else through Express.
  serveGraphql(app, httpServer, {
    server: apollo,
    context: contextOf,
    bodyLimitBytes: GATEWAY_BODY_LIMIT_BYTES,
    logger,
    debug: debugErrors,
  });
  app.use(lookupPage());
  app.use(unknownPathRefusal);
  app.use(httpErrorHandler({ logger, debug: debugErrors }));

  await new Promise<void>((resolve) => httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}/graphql`;
  logger.info({ url }, 'gateway ready');
  return {
    url,
    port,
    stop: async () => {
      await apollo.stop();
      agent.destroy();
    },
  };
}

// First: turns tracing on (when an OTLP endpoint is configured) before http, express and graphql load.
import '@xueji/tracing/src/register';
import {
  GATEWAY_PORT,
  loadGraphqlEndpointSettings,
  loadTrustProxy,
  resolveGatewaySecret,
  resolveJwtSecret,
  SERVICE_NAMES,
} from '@xueji/config';
import { stopTracing } from '@xueji/tracing';
import { startGateway } from './gateway';
import { readCommittedSupergraph } from './supergraph';

/** Subgraph URLs from SUBGRAPH_<NAME>_URL (e.g. SUBGRAPH_STATUS_CHANGE_URL), else the supergraph's. */
function subgraphUrlsFromEnv(): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const name of SERVICE_NAMES) {
    const value = process.env[`SUBGRAPH_${name.toUpperCase().replace(/-/g, '_')}_URL`];
    if (value) urls[name] = value;
  }
  return urls;
}

startGateway({
  supergraphSdl: readCommittedSupergraph(),
  subgraphUrls: subgraphUrlsFromEnv(),
  jwtSecret: resolveJwtSecret(),
  gatewaySecret: resolveGatewaySecret(),
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? GATEWAY_PORT),
  queryLimits: process.env.GATEWAY_MAX_DEPTH ? { maxDepth: Number(process.env.GATEWAY_MAX_DEPTH) } : {},
  subgraphTimeoutMs: Number(process.env.GATEWAY_SUBGRAPH_TIMEOUT_MS ?? 30_000),
  logLevel: process.env.LOG_LEVEL,
  trustProxy: loadTrustProxy(),
  ...loadGraphqlEndpointSettings(),
}).then(
  (gateway) => {
    const shutdown = () =>
      void gateway
        .stop()
        .then(stopTracing)
        .then(() => process.exit(0));
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

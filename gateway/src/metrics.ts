import type { RequestHandler } from 'express';
import {
  cachedRead,
  createMetricsRegistry,
  FastCounter,
  FastHistogram,
  RequestMetrics,
  type CounterSeries,
  type HistogramSeries,
  type Registry,
} from '@xueji/metrics';
import type { SubgraphFetcher } from './subgraph-fetcher';

export interface GatewayMetrics {
  registry: Registry;
  /** `xueji_graphql_requests_total` / `xueji_graphql_request_duration_seconds` per client operation. */
  requests: RequestMetrics;
  /** The fetcher of one subgraph, timed: `xueji_subgraph_fetch_duration_seconds`, `…_errors_total`. */
  timed(subgraph: string, fetcher: SubgraphFetcher): SubgraphFetcher;
}

/** The gateway's registry (`GET /metrics`, label `service="gateway"`). */
export function gatewayMetrics(): GatewayMetrics {
  const registry = createMetricsRegistry('gateway');
  const durations = new FastHistogram(
    registry,
    'xueji_subgraph_fetch_duration_seconds',
    'Time of one gateway call to a subgraph (one fetch of a query plan), by subgraph.',
    ['subgraph'],
  );
  const errors = new FastCounter(
    registry,
    'xueji_subgraph_fetch_errors_total',
    'Gateway calls to a subgraph that failed (no answer, a timeout, or a non-2xx status), by subgraph.',
    ['subgraph'],
  );
  return {
    registry,
    requests: new RequestMetrics(registry),
    timed: (subgraph, fetcher) => {
      // The subgraph's series, looked up once: a call costs a timer.
      const duration: HistogramSeries = durations.child(subgraph);
      const failures: CounterSeries = errors.child(subgraph);
      return async (url, init) => {
        const start = performance.now();
        try {
          const response = await fetcher(url, init);
          if (!response.ok) failures.inc();
          return response;
        } catch (error) {
          failures.inc();
          throw error;
        } finally {
          duration.observe((performance.now() - start) / 1000);
        }
      };
    },
  };
}

/** How long the gateway's readiness answer is kept (probes from several places ask one subgraph round). */
const READY_CACHE_MS = 2000;
/** A subgraph whose `/ready` has not answered in this time counts as not ready. */
const SUBGRAPH_READY_TIMEOUT_MS = 2000;

/**
 * `GET /ready`: 200 when the gateway has its supergraph and every subgraph's `/ready` answers 200
 * (the database, Kafka and its consumer); 503 otherwise, naming the subgraphs that are not ready.
 * Kept for two seconds, so a probe costs the subgraphs little.
 */
export function gatewayReadiness(
  hasSupergraph: () => boolean,
  subgraphs: () => ReadonlyMap<string, string>,
): RequestHandler {
  const check = cachedRead(async () => {
    const entries = [...subgraphs()];
    const answers = await Promise.all(
      entries.map(async ([, url]) => {
        try {
          const response = await fetch(new URL('/ready', url), {
            signal: AbortSignal.timeout(SUBGRAPH_READY_TIMEOUT_MS),
          });
          await response.body?.cancel();
          return response.status === 200;
        } catch {
          return false;
        }
      }),
    );
    const supergraph = hasSupergraph();
    const notReady = entries.filter((_, i) => !answers[i]).map(([name]) => name);
    return { supergraph, ready: supergraph && entries.length > 0 && notReady.length === 0, notReady };
  }, READY_CACHE_MS);
  return (_req, res, next) => {
    check().then(({ supergraph, ready, notReady }) => {
      res.status(ready ? 200 : 503).json({
        status: ready ? 'ready' : 'not ready',
        supergraph,
        ...(notReady.length > 0 ? { notReady } : {}),
      });
    }, next);
  };
}

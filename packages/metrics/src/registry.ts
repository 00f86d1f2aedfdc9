import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { RequestHandler } from 'express';

/**
 * One registry per service (per subgraph, per gateway): its metrics, and the process's default ones
 * (CPU, memory, event-loop lag, GC, handles), every series labelled `service`. Our own metrics are
 * named `xueji_*`; the default ones keep prom-client's standard names (`process_*`, `nodejs_*`) so
 * the usual Node.js dashboards work unchanged.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * `GET /metrics`: the registry in Prometheus' text format. For the operator's Prometheus: no
 * gateway secret, and no label holds personal data (operation names, codes, topics, event types).
 */
export function metricsHandler(registry: Registry): RequestHandler {
  return (_req, res, next) => {
    registry.metrics().then((text) => {
      // As prom-client gives it (Express' `send` would reorder the media type's parameters).
      res.setHeader('content-type', registry.contentType);
      res.end(text);
    }, next);
  };
}

/**
 * `read` at most once every `ttlMs`: a scrape reads the database or the broker once, however many
 * gauges it fills and however many scrapers ask. Concurrent callers share the read under way.
 */
export function cachedRead<T>(read: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let value: Promise<T> | null = null;
  let at = 0;
  return () => {
    const now = Date.now();
    if (!value || now - at > ttlMs) {
      at = now;
      value = read();
      value.catch(() => {
        at = 0; // a failed read is not kept
      });
    }
    return value;
  };
}

/**
 * Gauges filled when scraped from one cached read (`cachedRead`): `gauge(name, help, pick)` makes
 * one more of them. A failed read leaves the gauges as they were and is reported to `onError`.
 */
export function scrapedGauges<T>(
  registry: Registry,
  read: () => Promise<T>,
  ttlMs: number,
  onError: (error: unknown, metric: string) => void,
): (name: string, help: string, pick: (value: T) => number) => Gauge {
  const cached = cachedRead(read, ttlMs);
  return (name, help, pick) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        try {
          this.set(pick(await cached()));
        } catch (error) {
          onError(error, name);
        }
      },
    });
}

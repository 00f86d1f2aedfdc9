import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { Registry } from 'prom-client';
import { BoundedLabel } from './labels';
import { FastCounter, FastHistogram, type CounterSeries, type HistogramSeries } from './series';

export interface RequestMetricsOptions {
  /** Distinct operation names labelled (default 200); later new ones count as `other`. */
  maxOperations?: number;
  /** Applied once to each new operation name (a subgraph strips the gateway's query-plan suffix). */
  normalizeOperation?: (name: string) => string;
}

interface OperationSeries {
  duration: HistogramSeries;
  byCode: Map<string, CounterSeries>;
}

/** The first error's code, or `OK`: read from the answer as the client gets it (after formatError). */
function firstErrorCode(response: GraphQLResponse): string | undefined {
  if (response.body.kind !== 'single') return undefined;
  const first = response.body.singleResult.errors?.[0];
  if (!first) return undefined;
  const code = first.extensions?.code;
  return typeof code === 'string' ? code : 'OTHER';
}

/**
 * `xueji_graphql_requests_total{operation,code}` and `xueji_graphql_request_duration_seconds{operation}`
 * (plus the registry's `service` label). A request costs one timer and a few map lookups.
 */
export class RequestMetrics {
  private readonly operations: BoundedLabel;
  /** Codes are ours (`@xueji/errors`), but a bound costs nothing. */
  private readonly codes = new BoundedLabel({
    max: 50,
    pattern: /^[A-Z][A-Z0-9_]{0,63}$/,
    overflow: 'OTHER',
    missing: 'OK',
  });
  private readonly requests: FastCounter;
  private readonly durations: FastHistogram;
  private readonly byOperation = new Map<string, OperationSeries>();

  constructor(registry: Registry, options: RequestMetricsOptions = {}) {
    this.operations = new BoundedLabel({ max: options.maxOperations ?? 200, normalize: options.normalizeOperation });
    this.requests = new FastCounter(
      registry,
      'xueji_graphql_requests_total',
      'GraphQL operations answered, by operation name and the first error code (OK without error).',
      ['operation', 'code'],
    );
    this.durations = new FastHistogram(
      registry,
      'xueji_graphql_request_duration_seconds',
      'Time to answer a GraphQL operation, by operation name.',
      ['operation'],
    );
  }

  record(operationName: string | null | undefined, code: string | null | undefined, seconds: number): void {
    const operation = this.operations.value(operationName);
    let series = this.byOperation.get(operation);
    if (!series) {
      series = { duration: this.durations.child(operation), byCode: new Map() };
      this.byOperation.set(operation, series);
    }
    const label = this.codes.value(code);
    let counter = series.byCode.get(label);
    if (!counter) {
      counter = this.requests.child(operation, label);
      series.byCode.set(label, counter);
    }
    counter.inc();
    series.duration.observe(seconds);
  }

  /** The Apollo Server plugin that records every operation the server answers. */
  plugin<TContext extends object>(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async () => {
        const start = performance.now();
        return {
          willSendResponse: async ({ operationName, request, response }) => {
            this.record(
              operationName ?? request.operationName,
              firstErrorCode(response),
              (performance.now() - start) / 1000,
            );
          },
        };
      },
    };
  }
}

/**
 * A subgraph's operation named as the client named it: the gateway's query planner sends
 * `<operation>__<subgraph>__<n>` (e.g. `Withdraw__status_change__0`); the suffix goes.
 */
export function stripQueryPlanSuffix(subgraph: string): (name: string) => string {
  const suffix = new RegExp(`^(.+)__${subgraph.replace(/[^A-Za-z0-9_]/g, '_')}__\\d+$`);
  return (name) => suffix.exec(name)?.[1] ?? name;
}

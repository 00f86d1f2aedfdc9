import type { Registry } from 'prom-client';

/**
 * Counters and histograms for the request path. prom-client's own `inc(labels)` / `observe(labels)`
 * build a label object and a hash string on every call; these keep one series object per label
 * combination (looked up by the caller once and cached), so recording a request allocates nothing.
 * They register with a prom-client registry like any metric and are exposed in its text format.
 */

/** Prometheus' default buckets (seconds), from 5 ms to 10 s. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/** What a prom-client registry reads of a metric (`registerMetric`, then `get()` on scrape). */
interface Exposed {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: 'sum'; values: MetricValue[] }>;
}

function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  names.forEach((name, i) => (labels[name] = values[i]!));
  return labels;
}

export class CounterSeries {
  value = 0;
  constructor(readonly labels: Record<string, string>) {}
  inc(by = 1): void {
    this.value += by;
  }
}

export class HistogramSeries {
  /** Observations per bucket (not cumulative; made cumulative when exposed). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Record<string, string>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length);
  }
  observe(value: number): void {
    this.sum += value;
    this.count++;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }
}

abstract class SeriesFamily<S> implements Exposed {
  abstract readonly type: 'counter' | 'histogram';
  readonly aggregator = 'sum' as const;
  protected readonly series = new Map<string, S>();

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    protected readonly labelNames: readonly string[],
  ) {
    registry.registerMetric(this as never);
  }

  /** The series of these label values (same order as the label names); cache it, do not call per event. */
  child(...values: string[]): S {
    const key = values.join('\u0000');
    let series = this.series.get(key);
    if (!series) {
      series = this.make(labelsOf(this.labelNames, values));
      this.series.set(key, series);
    }
    return series;
  }

  protected abstract make(labels: Record<string, string>): S;
  protected abstract values(): MetricValue[];

  async get() {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.values() };
  }
}

export class FastCounter extends SeriesFamily<CounterSeries> {
  readonly type = 'counter' as const;
  protected make(labels: Record<string, string>): CounterSeries {
    return new CounterSeries(labels);
  }
  protected values(): MetricValue[] {
    return [...this.series.values()].map((s) => ({ value: s.value, labels: s.labels }));
  }
}

export class FastHistogram extends SeriesFamily<HistogramSeries> {
  readonly type = 'histogram' as const;
  constructor(
    registry: Registry,
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly bounds: readonly number[] = DURATION_BUCKETS,
  ) {
    super(registry, name, help, labelNames);
  }
  protected make(labels: Record<string, string>): HistogramSeries {
    return new HistogramSeries(labels, this.bounds);
  }
  protected values(): MetricValue[] {
    const values: MetricValue[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += s.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le: bound }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le: '+Inf' }, value: s.count });
      values.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum });
      values.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count });
    }
    return values;
  }
}

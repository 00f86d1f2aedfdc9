import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
} from '@opentelemetry/api';

/**
 * Tracing for every process (the gateway and each subgraph): OpenTelemetry, exported over OTLP/HTTP
 * when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, off otherwise.
 * A process turns it on by importing `@xueji/tracing/src/register` first in its main module; the
 * SDK and the instrumentations are loaded only then. Everything here is safe to call either way:
 * while tracing is off each function returns at once, on the API's no-op.
 */

/** The W3C trace context of a unit of work, as kept with an outbox row and sent as `ce_traceparent`. */
export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

/** Set by the SDK when it starts; on the global object, as OpenTelemetry's own registry is. */
const STATE = Symbol.for('xueji.tracing');
interface TracingState {
  shutdown(): Promise<void>;
}
const registry = globalThis as typeof globalThis & { [STATE]?: TracingState };

/**
 * The environment a deployment sets for traces (OpenTelemetry's own variable names): an endpoint
 * turns them on; the SDK reads the rest (headers, service name) itself.
 */
export const TRACING_ENV_KEYS = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_SERVICE_NAME',
] as const;

/** Is an OTLP endpoint configured (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)? */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT);
}

/** Has this process started the tracing SDK? */
export function tracingEnabled(): boolean {
  return registry[STATE] !== undefined;
}

/** @internal The SDK, once started (`sdk.ts`). */
export function markTracingStarted(state: TracingState): void {
  registry[STATE] = state;
}

/** Export the spans still buffered and stop tracing (before a process exits); nothing when off. */
export async function stopTracing(): Promise<void> {
  const state = registry[STATE];
  if (!state) return;
  delete registry[STATE];
  await state.shutdown().catch(() => undefined);
}

/**
 * The trace context of the work under way (a request, an event being applied), to keep with an
 * event it causes; null when tracing is off or nothing is traced.
 */
export function currentTraceContext(): TraceContext | null {
  if (!tracingEnabled()) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier.traceparent) return null;
  return carrier.tracestate
    ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate }
    : { traceparent: carrier.traceparent };
}

/**
 * Headers of an outgoing request with the current W3C trace context added (`traceparent`,
 * `tracestate`): the gateway's subgraph calls. While tracing is off, the headers as given.
 */
export function withTraceHeaders(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!tracingEnabled()) return headers;
  const traced = { ...headers };
  propagation.inject(context.active(), traced);
  return traced;
}

/**
 * Run `work` in a consumer span whose parent is the trace context an event carried (its
 * `ce_traceparent`), so what the handler does (its queries, the events it writes in turn) joins the
 * trace of the request that caused the event. Without a trace context the span starts a trace of
 * its own; while tracing is off, `work` simply runs.
 */
export async function inConsumerSpan<R>(
  name: string,
  parent: Partial<TraceContext> | null | undefined,
  attributes: Attributes,
  work: () => Promise<R>,
): Promise<R> {
  if (!tracingEnabled()) return work();
  const parentContext = parent?.traceparent
    ? propagation.extract(ROOT_CONTEXT, {
        traceparent: parent.traceparent,
        ...(parent.tracestate ? { tracestate: parent.tracestate } : {}),
      })
    : ROOT_CONTEXT;
  return trace
    .getTracer('@xueji/inbox')
    .startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parentContext, async (span) => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    });
}

/** The trace and span ids of the work under way, for a log line (pino's `mixin`). */
export function traceLogFields(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

/** pino's `mixin` option: the trace and span ids on every line while tracing is on; none when off. */
export function logMixin(): (() => { traceId?: string; spanId?: string }) | undefined {
  return tracingEnabled() ? traceLogFields : undefined;
}
export type { Attributes } from '@opentelemetry/api';

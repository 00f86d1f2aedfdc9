import fs from 'node:fs';
import path from 'node:path';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { markTracingStarted, tracingEnabled } from './index';

/** Probes and scrapes are not traced: they come every few seconds and say nothing about a request. */
const UNTRACED_PATHS = /^\/(health|ready|metrics)(\/|\?|$)/;

/**
 * The service name of the process whose main module is `mainPath`: its package's name,
 * `@xueji/enrolment` → `xueji-enrolment`, `@xueji/gateway` → `xueji-gateway`.
 */
export function serviceNameOf(mainPath: string | undefined): string {
  let dir = path.dirname(path.resolve(mainPath ?? 'main'));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string };
      return (name ?? path.basename(dir)).replace(/^@xueji\//, 'xueji-');
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'xueji';
    dir = parent;
  }
}

/**
 * Start the SDK: spans batched and exported over OTLP/HTTP (JSON) to the configured endpoint, the
 * W3C trace context propagated, and the http, express, graphql and pg modules instrumented. Query
 * spans carry the statement text, never its parameter values (they can hold ID numbers; ADM-5), and
 * only inside a traced unit of work (the outbox relay's polling starts no trace).
 */
export function startTracing(serviceName: string): void {
  if (tracingEnabled()) return;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register(); // AsyncLocalStorage context; W3C trace context and baggage propagators
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? '') }),
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true }),
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  markTracingStarted({ shutdown: () => provider.shutdown() });
}

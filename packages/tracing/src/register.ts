/**
 * Turns tracing on for this process when an OTLP endpoint is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); otherwise does nothing and
 * loads nothing. Import it FIRST in a main module, before express, graphql, pg and http load, so the
 * instrumentations can patch them:
 *
 *   import '@xueji/tracing/src/register';
 *
 * (or `node --import tsx --import @xueji/tracing/src/register.ts src/main.ts`).
 */
import { tracingConfigured } from './index';

if (tracingConfigured()) {
  // Loaded only when tracing is on: the SDK, the exporter and the instrumentations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startTracing, serviceNameOf } = require('./sdk') as typeof import('./sdk');
  startTracing(process.env.OTEL_SERVICE_NAME || serviceNameOf(process.argv[1]));
}

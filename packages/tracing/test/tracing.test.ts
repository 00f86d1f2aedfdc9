import { trace } from '@opentelemetry/api';

const OTEL_KEYS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] as const;

/** Load the register module in a fresh registry, the SDK module replaced by one that says it was loaded. */
function register(env: Partial<Record<(typeof OTEL_KEYS)[number], string>>): { sdkLoaded: boolean } {
  const saved = OTEL_KEYS.map((key) => [key, process.env[key]] as const);
  const state = { sdkLoaded: false };
  try {
    for (const key of OTEL_KEYS) delete process.env[key];
    Object.assign(process.env, env);
    jest.isolateModules(() => {
      jest.doMock('../src/sdk', () => {
        state.sdkLoaded = true;
        return { startTracing: () => undefined, serviceNameOf: () => 'test' };
      });
      jest.requireActual('../src/register'); // as a main module's first import
    });
  } finally {
    for (const [key, value] of saved)
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    jest.dontMock('../src/sdk');
  }
  return state;
}

describe('tracing off (no OTLP endpoint configured)', () => {
  it('loads no SDK: the register module does nothing', () => {
    expect(register({}).sdkLoaded).toBe(false);
  });

  it('loads the SDK only when an endpoint is configured', () => {
    expect(register({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).sdkLoaded).toBe(true);
    expect(register({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }).sdkLoaded).toBe(true);
  });

  it('keeps no trace context with an event, adds no header, starts no span, logs no trace id', async () => {
    const { currentTraceContext, inConsumerSpan, logMixin, tracingEnabled, withTraceHeaders } =
      jest.requireActual<typeof import('../src')>('../src');
    expect(tracingEnabled()).toBe(false);
    expect(currentTraceContext()).toBeNull(); // the outbox writes no traceparent
    const headers = { authorization: 'Bearer x' };
    expect(withTraceHeaders(headers)).toBe(headers); // the gateway's subgraph call, unchanged
    expect(logMixin()).toBeUndefined(); // pino gets no mixin: no work per log line
    await expect(
      inConsumerSpan(
        'process t',
        { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
        {},
        async () => {
          expect(trace.getActiveSpan()).toBeUndefined();
          return 'applied';
        },
      ),
    ).resolves.toBe('applied');
  });
});

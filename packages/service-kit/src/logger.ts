import pino, { type Logger } from 'pino';
import { logMixin } from '@xueji/tracing';

export type { Logger };

/**
 * JSON logs on stdout, one line per entry, with the service's name on every line, and the trace and
 * span ids of the work under way while tracing is on (`traceId`, `spanId`).
 */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: logMixin(),
  });
}

/**
 * An error as it may be logged: message, code and stack, without the SQL parameters a failed query
 * carries (they can hold ID numbers; ADM-5).
 */
export function loggableError(error: unknown): Record<string, unknown> {
  const e = (error as { originalError?: unknown }).originalError ?? error;
  if (!(e instanceof Error)) return { message: String(e) };
  const code = (e as { code?: unknown }).code ?? (e as { driverError?: { code?: unknown } }).driverError?.code;
  return { type: e.name, message: e.message, ...(code ? { code } : {}), stack: e.stack };
}

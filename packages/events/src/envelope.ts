import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { BusMessage } from '@xueji/event-bus';

/**
 * A CloudEvents 1.0 event as this platform uses it: JSON data, the student id as subject and as
 * the Kafka key, so one student's events stay in order on one partition.
 */
export interface EventEnvelope<T = unknown> {
  specversion: '1.0';
  id: string;
  type: string;
  /** URI reference of the producing service, e.g. `/xueji/enrolment`. */
  source: string;
  /** The student id. */
  subject: string;
  /** RFC 3339 timestamp of when it happened. */
  time: string;
  datacontenttype: 'application/json';
  data: T;
  /**
   * CloudEvents distributed-tracing extension: the W3C trace context of the request that caused
   * the event (header `ce_traceparent`), when it was traced. Absent otherwise.
   */
  traceparent?: string;
  /** Its vendor trace state (`ce_tracestate`), when there is one. */
  tracestate?: string;
}

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

/** The clock of the unit of work an event is made in (see `withEventClock`). */
const eventClock = new AsyncLocalStorage<() => Date>();

/**
 * Run `work` with `now` as the time of the events made in it without a time of their own: the
 * service kit runs each unit of work so, and an event's `time` is then the instant of the change
 * it reports, on the service clock (XUEJI_CLOCK_DATE in tests and demos).
 */
export function withEventClock<R>(now: () => Date, work: () => R): R {
  return eventClock.run(now, work);
}

export function newEnvelope<T>(fields: {
  type: string;
  source: string;
  subject: string;
  data: T;
  id?: string;
  time?: Date;
}): EventEnvelope<T> {
  return {
    specversion: '1.0',
    id: fields.id ?? randomUUID(),
    type: fields.type,
    source: fields.source,
    subject: fields.subject,
    time: (fields.time ?? eventClock.getStore()?.() ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    data: fields.data,
  };
}

const ATTRIBUTES = ['specversion', 'id', 'type', 'source', 'subject', 'time'] as const;

/**
 * Kafka protocol binding, binary content mode: attributes as `ce_*` headers, `content-type`
 * from `datacontenttype`, the data as the value, the subject as the key.
 */
export function toBusMessage(event: EventEnvelope): BusMessage {
  const headers: Record<string, string> = { 'content-type': event.datacontenttype };
  for (const name of ATTRIBUTES) headers[`ce_${name}`] = event[name];
  if (event.traceparent) headers.ce_traceparent = event.traceparent;
  if (event.traceparent && event.tracestate) headers.ce_tracestate = event.tracestate;
  return { key: event.subject, value: Buffer.from(JSON.stringify(event.data)), headers };
}

/** Read a binary-mode message back; a message that is not a valid CloudEvent is an EnvelopeError. */
export function fromBusMessage(message: BusMessage): EventEnvelope {
  const h = message.headers;
  const missing = ATTRIBUTES.filter((name) => !h[`ce_${name}`]);
  if (missing.length > 0)
    throw new EnvelopeError(`not a CloudEvent: missing ${missing.map((m) => `ce_${m}`).join(', ')}`);
  if (h.ce_specversion !== '1.0') throw new EnvelopeError(`unsupported CloudEvents specversion ${h.ce_specversion}`);
  const contentType = h['content-type'] ?? 'application/json';
  if (!contentType.startsWith('application/json')) throw new EnvelopeError(`unsupported content-type ${contentType}`);
  if (Number.isNaN(Date.parse(h.ce_time!))) throw new EnvelopeError(`ce_time is not a timestamp: ${h.ce_time}`);
  let data: unknown;
  try {
    data = message.value === null || message.value.length === 0 ? null : JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    throw new EnvelopeError(`data is not JSON: ${(error as Error).message}`);
  }
  return {
    specversion: '1.0',
    id: h.ce_id!,
    type: h.ce_type!,
    source: h.ce_source!,
    subject: h.ce_subject!,
    time: h.ce_time!,
    datacontenttype: 'application/json',
    data,
    // The distributed-tracing extension, kept when the message carries it.
    ...(h.ce_traceparent ? { traceparent: h.ce_traceparent } : {}),
    ...(h.ce_traceparent && h.ce_tracestate ? { tracestate: h.ce_tracestate } : {}),
  };
}

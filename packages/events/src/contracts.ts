import { z } from 'zod';
import { EnvelopeError, newEnvelope, type EventEnvelope } from './envelope';

const IsoDateTime = z.string().datetime({ offset: true });
const RegionCode = z.string().regex(/^\d{6}$/);

/**
 * Every event type the platform publishes, with its producer and the schema of its data.
 * Types are versioned (`.v1`); a breaking change is a new type, never an edit of an old one.
 * `partner: true` marks types whose data may be copied to partner topics as is.
 */
export const contracts = {
  'xueji.enrolment.student.registered.v1': {
    producer: 'enrolment',
    partner: false,
    description: 'A school registered a student (submitted for the authority’s approval).',
    schema: z.object({
      studentId: z.string().uuid(),
      schoolId: z.string().uuid(),
      /** County code of the school, for regional scoping by consumers. */
      regionCode: RegionCode,
      name: z.string().min(1),
      registeredAt: IsoDateTime,
    }),
  },
} as const;

export type EventType = keyof typeof contracts;
export type EventData<T extends EventType> = z.infer<(typeof contracts)[T]['schema']>;
export type TypedEvent<T extends EventType> = EventEnvelope<EventData<T>> & { type: T };

export const EVENT_TYPES = Object.keys(contracts) as EventType[];

export function isKnownEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(contracts, type);
}

/** Build an event of a known type; its data is checked against the contract before it is written. */
export function createEvent<T extends EventType>(
  type: T,
  subject: string,
  data: EventData<T>,
  options: { id?: string; time?: Date } = {},
): TypedEvent<T> {
  const contract = contracts[type];
  const parsed = contract.schema.parse(data) as EventData<T>;
  return newEnvelope({
    type,
    source: `/xueji/${contract.producer}`,
    subject,
    data: parsed,
    ...options,
  }) as TypedEvent<T>;
}

/** Check a received event's data against its contract; a mismatch is an EnvelopeError (dead-lettered). */
export function parseEvent<T extends EventType>(envelope: EventEnvelope, type: T): TypedEvent<T> {
  const result = contracts[type].schema.safeParse(envelope.data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; ');
    throw new EnvelopeError(`${type} ${envelope.id} breaks its contract: ${problems}`);
  }
  return { ...envelope, type, data: result.data } as TypedEvent<T>;
}

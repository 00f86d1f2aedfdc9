/**
 * The AsyncAPI 3 contract of every topic and event type (issue 14), generated from the shared typed
 * contracts (`@xueji/events`: type, producer, partner flag, description, zod schema, partner data) and the
 * topic catalogue (`@xueji/config`), so it cannot drift: `pnpm asyncapi` writes docs/asyncapi.yaml,
 * `pnpm asyncapi --check` fails when the committed document is stale (test/asyncapi.test.ts does too).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ZodTypeAny } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { allTopics, SERVICE_NAMES, SERVICES, SHARED_TOPICS, type ServiceName } from '@xueji/config';
import { contracts as sharedContracts, type ContractTopic } from '@xueji/events';

const root = join(__dirname, '..');
export const ASYNCAPI_PATH = join(root, 'docs/asyncapi.yaml');

/** What the generator reads of one contract (the shape of `contracts` in packages/events/src/contracts.ts). */
export interface ContractSpec {
  producer: string;
  partner: boolean;
  description: string;
  schema: ZodTypeAny;
  /** A shared topic instead of the producer's own (`topicOfType`). */
  topic?: ContractTopic;
  /** Partner types: what a partner acts on, and what is left out and why. */
  partnerData?: { actsOn: string; omits: readonly string[] };
}

type SharedTopicKey = keyof typeof SHARED_TOPICS;
/** Who reads a topic: a service (its consumer group), partners' own systems, or operators. */
type Reader = ServiceName | 'partner-systems' | 'operators';

/**
 * The one declared map: who reads each topic, by its producer's name or its shared key (docs/events.md's
 * topic table). test/asyncapi.int.test.ts checks it against every service's `consumes.topics`.
 */
export const READERS: Record<ServiceName | SharedTopicKey, readonly Reader[]> = {
  enrolment: ['status-change', 'assessment', 'graduation', 'subsidy'],
  'status-change': ['enrolment', 'assessment', 'graduation', 'subsidy'],
  assessment: ['status-change', 'graduation', 'subsidy'],
  graduation: ['status-change'],
  subsidy: ['status-change'],
  partners: [],
  // The partners service delivers them over webhooks; a partner with Kafka access reads them itself.
  partnerStatus: ['partners', 'partner-systems'],
  partnerEligibility: ['partners', 'partner-systems'],
  // The operator commands list, release and discard dead letters (docs/operations.md).
  deadLetter: ['operators'],
};

const BINDING_VERSION = '0.5.0';
const byName = <T>(entries: [string, T][]): Record<string, T> =>
  Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const ref = (pointer: string) => ({ $ref: pointer });
const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The JSON Schema of a zod schema: inline, unknown fields allowed (zod strips them; new optional fields come). */
export function payloadSchema(schema: ZodTypeAny): Record<string, unknown> {
  // Called through a plain signature: its generic options type is too deep for tsc over zod's types.
  const toJsonSchema = zodToJsonSchema as unknown as (schema: unknown, options: object) => Record<string, unknown>;
  const json = toJsonSchema(schema, {
    $refStrategy: 'none',
    removeAdditionalStrategy: 'strict',
    allowedAdditionalProperties: undefined,
  });
  delete json.$schema;
  return json;
}

/** The CloudEvents 1.0 Kafka binding, binary content mode (packages/events/src/envelope.ts). */
const CLOUD_EVENT_TRAIT = {
  summary: 'CloudEvents 1.0, Kafka protocol binding, binary content mode.',
  description:
    'The attributes travel as `ce_*` headers, the data is the JSON value, and the key is the subject: the student ' +
    'id (the school id for a school record), so one student’s events stay in order on one partition. ' +
    '`ce_traceparent` and `ce_tracestate` are the CloudEvents distributed-tracing extension: the W3C trace context ' +
    'of the request that caused the event, present when it was traced.',
  headers: {
    type: 'object',
    required: ['ce_specversion', 'ce_id', 'ce_type', 'ce_source', 'ce_subject', 'ce_time', 'content-type'],
    properties: {
      ce_specversion: { type: 'string', const: '1.0' },
      ce_id: { type: 'string', description: 'Unique per event; consumers apply each id once (inbox).' },
      ce_type: { type: 'string', description: 'The event type: the message’s name, e.g. `xueji.….v1`.' },
      ce_source: {
        type: 'string',
        pattern: '^/xueji/[a-z-]+$',
        description: 'The producing service, `/xueji/<producer>`.',
      },
      ce_subject: { type: 'string', format: 'uuid', description: 'The student id (a school record: the school id).' },
      ce_time: { type: 'string', format: 'date-time', description: 'When it happened (RFC 3339).' },
      'content-type': { type: 'string', const: 'application/json' },
      ce_traceparent: {
        type: 'string',
        pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
        description: 'Optional: W3C trace context (`traceparent`) of the request that caused the event.',
      },
      ce_tracestate: { type: 'string', description: 'Optional: W3C `tracestate`, only with `ce_traceparent`.' },
    },
  },
  bindings: {
    kafka: {
      key: { type: 'string', format: 'uuid', description: 'The subject (`ce_subject`).' },
      bindingVersion: BINDING_VERSION,
    },
  },
};

/** What a dead letter adds to the original's headers (packages/inbox consumer, packages/outbox relay). */
const DEAD_LETTER_MESSAGE = {
  name: 'dead-letter',
  title: 'Dead letter',
  summary: 'An event a consumer could not apply, or an outbox row the relay could not publish, set aside.',
  description:
    'The original key, value and headers (its `ce_*` headers when it was a CloudEvent), plus where it came from and ' +
    'why it was set aside. Operators list, release or discard them; the inbox keeps the event as DEAD_LETTERED.',
  tags: [ref('#/components/tags/internal')],
  headers: {
    type: 'object',
    required: ['x-dead-letter-reason', 'x-original-topic', 'x-dead-lettered-at'],
    properties: {
      'x-dead-letter-reason': { type: 'string', maxLength: 2000 },
      'x-dead-letter-consumer': { type: 'string', description: 'The consumer group that could not apply it.' },
      'x-dead-letter-stage': { type: 'string', const: 'outbox-relay', description: 'Set aside by the outbox relay.' },
      'x-original-topic': { type: 'string' },
      'x-original-partition': { type: 'string', pattern: '^\\d+$' },
      'x-original-offset': { type: 'string', pattern: '^\\d+$' },
      'x-outbox-seq': { type: 'string', pattern: '^\\d+$' },
      'x-dead-lettered-at': { type: 'string', format: 'date-time' },
    },
  },
  payload: { description: 'The original value as it was (the JSON data of a CloudEvent in binary mode).' },
};

function messageOf(type: string, contract: ContractSpec): Record<string, unknown> {
  const payload = payloadSchema(contract.schema);
  const partner = contract.partner ? contract.partnerData : undefined;
  if (contract.partner && !partner) throw new Error(`${type}: a partner type must state its partnerData`);
  const fields = Object.keys((payload.properties as Record<string, unknown> | undefined) ?? {});
  const description = partner
    ? [
        `${contract.description}`,
        `**Partner.** Acts on: ${partner.actsOn}`,
        `Carries: ${fields.map((f) => `\`${f}\``).join(', ')}.`,
        `Leaves out:\n${partner.omits.map((o) => `- ${o}`).join('\n')}`,
      ].join('\n\n')
    : `${contract.description}\n\n**Internal**: for the platform's services only; never on a partner topic.`;
  return {
    name: type,
    title: type,
    summary: contract.description,
    description,
    contentType: 'application/json',
    tags: [ref(`#/components/tags/${contract.partner ? 'partner' : 'internal'}`)],
    traits: [ref('#/components/messageTraits/cloudEvent')],
    payload,
    ...(partner ? { 'x-partner-data': { actsOn: partner.actsOn, carries: fields, omits: [...partner.omits] } } : {}),
    'x-producer': contract.producer,
  };
}

/** The AsyncAPI 3.0.0 document of `contracts` (by default the shared ones) on the catalogue's topics. */
export function buildAsyncApi(contracts: Record<string, ContractSpec> = sharedContracts): Record<string, unknown> {
  const types = Object.keys(contracts).sort();
  const topicKeys = [...SERVICE_NAMES, ...(Object.keys(SHARED_TOPICS) as SharedTopicKey[])];
  const addressOf = (key: ServiceName | SharedTopicKey) =>
    key in SHARED_TOPICS ? SHARED_TOPICS[key as SharedTopicKey] : SERVICES[key as ServiceName].topic;
  const partitions = new Map(allTopics().map((t) => [t.name, t.partitions]));
  const topicOf = (c: ContractSpec) => (c.topic && c.topic !== 'own' ? SHARED_TOPICS[c.topic] : undefined);
  const carried = (key: ServiceName | SharedTopicKey) =>
    types.filter(
      (t) => (topicOf(contracts[t]!) ?? SERVICES[contracts[t]!.producer as ServiceName]?.topic) === addressOf(key),
    );
  const everyService = [...SERVICE_NAMES].sort();

  const channels: [string, unknown][] = [];
  const operations: [string, unknown][] = [];
  for (const key of topicKeys) {
    const address = addressOf(key);
    const isDeadLetter = key === 'deadLetter';
    const messageIds = isDeadLetter ? ['dead-letter'] : carried(key);
    const messages = messageIds.map((id) => ref(`#/channels/${escape(address)}/messages/${escape(id)}`));
    const producers = isDeadLetter ? everyService : [...new Set(messageIds.map((t) => contracts[t]!.producer))].sort();
    channels.push([
      address,
      {
        address,
        title: address,
        description: isDeadLetter
          ? 'Events a consumer could not apply and outbox rows the relay could not publish, with why (every service).'
          : key in SHARED_TOPICS
            ? 'Partner topic: copies without ID numbers, student numbers or other sensitive fields.'
            : `${key}’s own events (its transactional outbox). Internal: partners read the partner topics.`,
        messages: byName(messageIds.map((id) => [id, ref(`#/components/messages/${escape(id)}`)] as [string, unknown])),
        bindings: { kafka: { topic: address, partitions: partitions.get(address), bindingVersion: BINDING_VERSION } },
      },
    ]);
    if (messages.length === 0) continue;
    for (const producer of producers) {
      operations.push([
        `${producer}.send.${address}`,
        {
          action: 'send',
          channel: ref(`#/channels/${escape(address)}`),
          summary: isDeadLetter
            ? `${producer} sets aside what it cannot apply or publish.`
            : `${producer} publishes through its outbox (in the transaction of the change).`,
          messages: isDeadLetter
            ? messages
            : messages.filter((_, i) => contracts[messageIds[i]!]!.producer === producer),
          bindings: {
            kafka: { clientId: { type: 'string', const: `xueji-${producer}` }, bindingVersion: BINDING_VERSION },
          },
        },
      ]);
    }
    for (const reader of READERS[key]) {
      const service = (SERVICE_NAMES as readonly string[]).includes(reader);
      operations.push([
        `${reader}.receive.${address}`,
        {
          action: 'receive',
          channel: ref(`#/channels/${escape(address)}`),
          summary: service
            ? `${reader} applies them once each (inbox), in its consumer group (KAFKA_TOPIC_PREFIX + its name).`
            : reader === 'operators'
              ? 'Operators inspect, release or discard them (docs/operations.md).'
              : 'A partner with Kafka access reads them in a consumer group of its own.',
          messages,
          ...(service
            ? {
                bindings: {
                  kafka: {
                    groupId: { type: 'string', const: reader },
                    clientId: { type: 'string', const: `xueji-${reader}` },
                    bindingVersion: BINDING_VERSION,
                  },
                },
              }
            : {}),
        },
      ]);
    }
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Xueji events',
      version: '1.0.0',
      description:
        'Every topic and event type of the student-status platform, generated by `pnpm asyncapi` from ' +
        '`packages/events/src/contracts.ts` and `packages/config/src/catalogue.ts`; do not edit by hand. ' +
        'Events are CloudEvents 1.0 in the Kafka binary content mode; types are versioned (`.v1`) and a breaking ' +
        'change is a new type, so a consumer must accept fields it does not know (new optional fields are added ' +
        'to old types). Partner messages (tag `partner`) carry no ID numbers, student numbers or other sensitive ' +
        'fields; each states what a partner acts on and what it leaves out (`x-partner-data`). Topic names get ' +
        'the deployment’s `KAFKA_TOPIC_PREFIX`. See docs/events.md.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        host: 'kafka:9092',
        protocol: 'kafka',
        description: 'The deployment’s brokers (`KAFKA_BROKERS`; 127.0.0.1:59092 in development).',
      },
    },
    channels: byName(channels),
    operations: byName(operations),
    components: {
      messages: byName([
        ...types.map((t) => [t, messageOf(t, contracts[t]!)] as [string, unknown]),
        ['dead-letter', DEAD_LETTER_MESSAGE],
      ]),
      messageTraits: { cloudEvent: CLOUD_EVENT_TRAIT },
      tags: {
        internal: { name: 'internal', description: 'For the platform’s own services only.' },
        partner: {
          name: 'partner',
          description: 'May be given to integration partners: no ID numbers, student numbers or reasons.',
        },
      },
    },
  };
}

/**
 * The document as committed: YAML as the project's prettier configuration formats it (single quotes, long
 * lines kept), so `prettier --check` passes without running prettier here (its API cannot load under jest).
 */
export function renderAsyncApi(contracts?: Record<string, ContractSpec>): string {
  return (
    '# Generated by `pnpm asyncapi` from packages/events and packages/config: do not edit.\n' +
    stringify(buildAsyncApi(contracts), { lineWidth: 0, aliasDuplicateObjects: false, singleQuote: true })
  );
}

function main(): void {
  const content = renderAsyncApi();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(ASYNCAPI_PATH, 'utf8');
    } catch {
      // missing: stale
    }
    if (current !== content) {
      console.error('stale: docs/asyncapi.yaml (run pnpm asyncapi)');
      process.exit(1);
    }
    return;
  }
  writeFileSync(ASYNCAPI_PATH, content);
  console.log('wrote docs/asyncapi.yaml');
}

if (require.main === module) {
  main();
}

/**
 * Issue 14: docs/asyncapi.yaml is what `pnpm asyncapi` makes of the shared contracts today, so a
 * contract changed without regenerating fails here; every type is a message, and a partner message
 * carries nothing named like an ID or student number (ADM-5). The parser's validation is in
 * asyncapi.int.test.ts (it takes seconds).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { allTopics } from '@xueji/config';
import { contracts, EVENT_TYPES, topicOfType } from '@xueji/events';
import { ASYNCAPI_PATH, buildAsyncApi, renderAsyncApi, type ContractSpec } from '../scripts/asyncapi';

/** A field name that may carry an ID-card number or a student number derived from it (ENR-6, ENR-11). */
const IDENTITY_NAMED = /idNumber|Number$|identity|idCard/i;

interface Doc {
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
  operations: Record<string, { action: string; channel: { $ref: string }; messages: { $ref: string }[] }>;
  components: {
    messages: Record<
      string,
      {
        name: string;
        tags: { $ref: string }[];
        payload: JsonSchema;
        'x-partner-data'?: { actsOn: string; carries: string[]; omits: string[] };
      }
    >;
  };
}
interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

const committed = readFileSync(ASYNCAPI_PATH, 'utf8');
const doc = parse(committed) as Doc;

/** Every property name of a payload, nested objects and array items included. */
function fieldNames(schema: JsonSchema): string[] {
  return [
    ...Object.entries(schema.properties ?? {}).flatMap(([name, s]) => [name, ...fieldNames(s)]),
    ...(schema.items ? fieldNames(schema.items) : []),
  ];
}

describe('docs/asyncapi.yaml', () => {
  it('is what the generator makes of the contracts now (else run pnpm asyncapi)', () => {
    expect(committed).toBe(renderAsyncApi());
  });

  it('changes when a contract’s schema changes, so a contract edited without it fails the test above', () => {
    const type = 'xueji.status-change.partner.status-changed.v1';
    const changed: Record<string, ContractSpec> = {
      ...contracts,
      [type]: { ...contracts[type], schema: contracts[type].schema.extend({ classCode: z.string() }) },
    };
    const output = renderAsyncApi(changed);
    expect(output).not.toBe(committed);
    const message = (parse(output) as Doc).components.messages[type]!;
    expect(message.payload.properties).toHaveProperty('classCode');
    expect(message['x-partner-data']!.carries).toContain('classCode');
  });

  it('has a channel per topic of the catalogue, and each type on the topic it is published to', () => {
    expect(Object.values(doc.channels).map((c) => c.address)).toEqual(
      allTopics()
        .map((t) => t.name)
        .sort(),
    );
    const built = buildAsyncApi() as unknown as Doc;
    for (const type of EVENT_TYPES) {
      const key = topicOfType(type);
      const producerTopic = allTopics().find((t) => t.name.startsWith(`xueji.${contracts[type].producer}.`))!.name;
      const address =
        key === 'partnerStatus'
          ? 'xueji.partner.status'
          : key === 'partnerEligibility'
            ? 'xueji.partner.eligibility'
            : producerTopic;
      expect(Object.keys(built.channels[address]!.messages)).toContain(type);
      const sends = Object.values(built.operations).filter(
        (o) => o.action === 'send' && o.messages.some((m) => m.$ref.endsWith(`/messages/${type}`)),
      );
      expect(sends.map((o) => o.channel.$ref)).toEqual([`#/channels/${address}`]);
    }
  });

  it('has every contract type as a message, tagged partner or internal', () => {
    const messages = doc.components.messages;
    for (const type of EVENT_TYPES) {
      expect(messages[type]?.name).toBe(type);
      expect(messages[type]!.tags).toEqual([
        { $ref: `#/components/tags/${contracts[type].partner ? 'partner' : 'internal'}` },
      ]);
    }
  });

  // ADM-5: partner messages carry no ID number or ID-derived student number, and say what they leave out.
  it.each(EVENT_TYPES.filter((type) => contracts[type].partner))(
    '%s has no field named like an ID or student number, and states its partner data',
    (type) => {
      const message = doc.components.messages[type]!;
      expect(fieldNames(message.payload).filter((name) => IDENTITY_NAMED.test(name))).toEqual([]);
      const partnerData = message['x-partner-data']!;
      expect(partnerData.carries).toEqual(Object.keys(message.payload.properties!));
      expect(partnerData.actsOn).not.toBe('');
      expect(partnerData.omits.length).toBeGreaterThan(0);
    },
  );

  it('the partner copies carry the county partners scope on (issue 14)', () => {
    const messages = doc.components.messages;
    expect(messages['xueji.status-change.partner.status-changed.v1']!.payload.properties).toHaveProperty('regionCode');
    expect(messages['xueji.status-change.partner.status-changed.v1']!.payload.properties).toHaveProperty(
      'toRegionCode',
    );
    expect(messages['xueji.subsidy.partner.eligibility-changed.v1']!.payload.properties).toHaveProperty('regionCode');
  });
});

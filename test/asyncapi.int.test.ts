/**
 * Issue 14: the committed AsyncAPI document is valid for `@asyncapi/parser` (no diagnostic of severity
 * error), and its one declared map, who reads each topic, matches what the services consume. An
 * integration test only because parsing (and loading every service) takes seconds.
 */
import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { SERVICE_NAMES, SERVICES, SHARED_TOPICS, topicNames } from '@xueji/config';
import { SERVICE_DEFINITIONS } from '../scripts/lib/service-definitions';
import { ASYNCAPI_PATH, READERS } from '../scripts/asyncapi';

it('docs/asyncapi.yaml parses with no errors', async () => {
  const { document, diagnostics } = await new Parser().parse(readFileSync(ASYNCAPI_PATH, 'utf8'));
  // Severity 0 is an error (Spectral's DiagnosticSeverity); warnings and hints may stay.
  expect(diagnostics.filter((d) => Number(d.severity) === 0)).toEqual([]);
  expect(document).toBeDefined();
  const partner = document!.messages().filterBy((m) => m.tags().has('partner'));
  expect(partner.map((m) => m.name()).sort()).toEqual([
    'xueji.enrolment.school.registered.v1',
    'xueji.status-change.partner.status-changed.v1',
    'xueji.subsidy.partner.eligibility-changed.v1',
  ]);
  // The CloudEvents trait is applied: every contract message has the ce_* headers and the key binding.
  for (const message of document!.messages().filterBy((m) => m.name() !== 'dead-letter')) {
    const headers = message.headers()?.json() as { required?: string[] } | undefined;
    expect(headers?.required).toEqual(expect.arrayContaining(['ce_id', 'ce_type', 'ce_subject']));
    expect(message.bindings().has('kafka')).toBe(true);
  }
});

it.each(SERVICE_NAMES.filter((name) => SERVICE_DEFINITIONS[name]))(
  'who reads which topic in the document matches what %s consumes',
  (service) => {
    const consumed = SERVICE_DEFINITIONS[service]!.consumes?.topics(topicNames(service)) ?? [];
    const address = (key: keyof typeof READERS) =>
      key in SHARED_TOPICS ? SHARED_TOPICS[key as keyof typeof SHARED_TOPICS] : SERVICES[key as typeof service].topic;
    const declared = (Object.keys(READERS) as (keyof typeof READERS)[])
      .filter((key) => READERS[key].includes(service))
      .map(address);
    expect([...consumed].sort()).toEqual(declared.sort());
  },
);

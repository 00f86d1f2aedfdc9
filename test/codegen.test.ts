/** The committed resolver types are what GraphQL Code Generator makes of each schema today. */
import { readFileSync } from 'node:fs';
import { generatedResolverTypes, servicesWithSchemas } from '../scripts/codegen';

describe.each(servicesWithSchemas())('the %s resolver types', (service) => {
  it('are up to date with src/schema.graphql (else run pnpm codegen)', async () => {
    const { path, content } = await generatedResolverTypes(service);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });
});

it('a schema change makes them stale', async () => {
  const schema = readFileSync(`${__dirname}/../services/assessment/src/schema.graphql`, 'utf8');
  const changed = schema.replace('resultsRecorded: Int!', 'resultsRecorded: Int!\n  "New."\n  creditsEarned: Float!');
  const { path, content } = await generatedResolverTypes('assessment', changed);
  expect(content).toContain('creditsEarned');
  expect(content).not.toBe(readFileSync(path, 'utf8'));
});

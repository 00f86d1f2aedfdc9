import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { GraphQLResponse } from './fixtures';

/**
 * The audit tests' shared parts: every Mutation field of a service's schema (the table of cases must
 * cover them all), and the two shapes an answer is checked against.
 */
export function mutationNamesOf(schemaPath: string): string[] {
  const schema = buildSubgraphSchema({ typeDefs: parse(readFileSync(schemaPath, 'utf8')) });
  return Object.keys(schema.getMutationType()?.getFields() ?? {}).sort();
}

/** The data of an answer that must have succeeded. */
export function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data!;
}

/** An answer refused with this code (and rule). */
export function refusedWith(response: GraphQLResponse, code: string, rule?: string): void {
  expect(response.errors?.[0]?.extensions).toMatchObject({ code, ...(rule ? { rule } : {}) });
}

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  parse,
  type GraphQLInputType,
  type GraphQLScalarType,
} from 'graphql';
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

/**
 * Issue 10: a command called with a token of the same `sub` but another school or region is refused
 * as an unknown record would be (FORBIDDEN, or NOT_FOUND where existence must not leak).
 */
export function refusedOutOfScope(response: GraphQLResponse): void {
  expect(['FORBIDDEN', 'NOT_FOUND']).toContain(response.errors?.[0]?.extensions?.code);
}

/**
 * A call of mutation `field` of a service's schema with every required argument given the
 * simplest value of its type (a fresh UUID for an ID, `'1'` for text, the first enum value, one
 * list item, required input fields only): for checks that come before any input is read, such as
 * which roles may call it at all.
 */
export function minimalMutation(
  schemaPath: string,
  field: string,
): { query: string; variables: Record<string, unknown> } {
  const schema = buildSubgraphSchema({ typeDefs: parse(readFileSync(schemaPath, 'utf8')) });
  const mutation = schema.getMutationType()!.getFields()[field]!;
  const value = (type: GraphQLInputType): unknown => {
    if (isNonNullType(type)) return value(type.ofType);
    if (isListType(type)) return [value(type.ofType)];
    if (isEnumType(type)) return type.getValues()[0]!.value;
    if (isInputObjectType(type))
      return Object.fromEntries(
        Object.values(type.getFields())
          .filter((f) => isNonNullType(f.type) && f.defaultValue === undefined)
          .map((f) => [f.name, value(f.type)]),
      );
    const scalar = type as GraphQLScalarType;
    switch (scalar.name) {
      case 'ID':
        return randomUUID();
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return true;
      case 'Date':
        return '2026-09-01';
      case 'DateTime':
        return '2026-09-01T00:00:00.000Z';
      default:
        return '1';
    }
  };
  const args = mutation.args.filter((a) => isNonNullType(a.type));
  const variables = Object.fromEntries(args.map((a) => [a.name, value(a.type)]));
  const declared = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const result = getNamedType(mutation.type);
  const selection = isObjectType(result) || isInterfaceType(result) || isUnionType(result) ? ' { __typename }' : '';
  return {
    query: `mutation${declared ? ` (${declared})` : ''} { ${field}${passed ? `(${passed})` : ''}${selection} }`,
    variables,
  };
}

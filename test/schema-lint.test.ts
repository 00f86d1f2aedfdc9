/**
 * The schema lint, for the portal's developers: every public type, field, argument, input field and
 * enum value of every subgraph has a description, and connections follow the Relay cursor spec.
 * Federation's own types (`_Service`, `_Entity`, `_Any`, `link__*`, …) are Apollo's, not ours.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  parse,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

const servicesDir = join(__dirname, '..', 'services');
const services = readdirSync(servicesDir).filter((name) => {
  try {
    readFileSync(join(servicesDir, name, 'src/schema.graphql'));
    return true;
  } catch {
    return false;
  }
});

const FEDERATION_FIELDS = new Set(['_entities', '_service']);
const isFederationType = (name: string) => name.startsWith('_') || name.includes('__');

function ownTypes(schema: GraphQLSchema): GraphQLNamedType[] {
  return Object.values(schema.getTypeMap()).filter(
    (t) => !isIntrospectionType(t) && !isSpecifiedScalarType(t) && !isFederationType(t.name),
  );
}

/** Every element of a schema that lacks a description, by its coordinate (`Type.field(arg:)`). */
export function undescribed(schema: GraphQLSchema, ownsStudent = true): string[] {
  const missing: string[] = [];
  const has = (description: string | null | undefined) => Boolean(description?.trim());
  for (const type of ownTypes(schema)) {
    const isRoot = ['Query', 'Mutation'].includes(type.name);
    // `Student` and its key are enrolment's, described there; the others only add fields to it.
    const othersStudent = type.name === 'Student' && !ownsStudent;
    if (!isRoot && !othersStudent && !has(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (FEDERATION_FIELDS.has(field.name)) continue;
        if (othersStudent && field.name === 'id') continue;
        if (!has(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) {
          if (!has(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name}:)`);
        }
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!has(field.description)) missing.push(`${type.name}.${field.name}`);
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (!has(value.description)) missing.push(`${type.name}.${value.name}`);
      }
    }
  }
  return missing;
}

/** Relay's cursor connections: `XConnection { edges: [XEdge!]!, pageInfo: PageInfo! }` and a full PageInfo. */
export function relayProblems(schema: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const type of ownTypes(schema)) {
    if (!isObjectType(type) || !type.name.endsWith('Connection')) continue;
    const fields = type.getFields();
    if (!fields.edges) problems.push(`${type.name} has no edges`);
    if (String(fields.pageInfo?.type) !== 'PageInfo!') problems.push(`${type.name}.pageInfo is not PageInfo!`);
    const edge = schema.getType(type.name.replace(/Connection$/, 'Edge'));
    if (!edge || !isObjectType(edge) || String(edge.getFields().cursor?.type) !== 'String!' || !edge.getFields().node) {
      problems.push(`${type.name}'s edge needs node and cursor: String!`);
    }
  }
  const pageInfo = schema.getType('PageInfo');
  if (pageInfo && isObjectType(pageInfo)) {
    const fields = pageInfo.getFields();
    for (const [name, type] of [
      ['hasNextPage', 'Boolean!'],
      ['hasPreviousPage', 'Boolean!'],
      ['startCursor', 'String'],
      ['endCursor', 'String'],
    ]) {
      if (String(fields[name]?.type) !== type) problems.push(`PageInfo.${name} must be ${type}`);
    }
  }
  return problems;
}

describe.each(services)('the %s schema', (service) => {
  const schema = buildSubgraphSchema({
    typeDefs: parse(readFileSync(join(servicesDir, service, 'src/schema.graphql'), 'utf8')),
  });

  it('describes every type, field, argument, input field and enum value', () => {
    expect(undescribed(schema, service === 'enrolment')).toEqual([]);
  });

  it('follows the Relay cursor spec in its connections', () => {
    expect(relayProblems(schema)).toEqual([]);
  });
});

describe('the lint itself', () => {
  it('finds what lacks a description, and a PageInfo without hasPreviousPage', () => {
    const schema = buildSubgraphSchema({
      typeDefs: parse(`
        "Described." type Thing { "Described." a: Int  b(x: Int): Int }
        "Described." enum Colour { "Described." RED BLUE }
        type PageInfo { hasNextPage: Boolean! startCursor: String endCursor: String }
        "Described." type Query { "Described." thing: Thing }
      `),
    });
    expect(undescribed(schema)).toEqual(
      expect.arrayContaining(['Thing.b', 'Thing.b(x:)', 'Colour.BLUE', 'PageInfo', 'PageInfo.hasNextPage']),
    );
    expect(relayProblems(schema)).toEqual(['PageInfo.hasPreviousPage must be Boolean!']);
  });
});

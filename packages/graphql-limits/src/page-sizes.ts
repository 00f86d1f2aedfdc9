import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
  type ValueNode,
} from 'graphql';

const PAGE_ARGUMENTS = new Set(['first', 'last']);

/**
 * The document as the cost rule must see it: every page size (`first`/`last`) the caller gives
 * through a variable, or leaves to the schema's default, written into the operation as the number
 * it is. GraphQL Armor's cost rule multiplies only by a page size written as a literal, so
 * `students(first: $n)` would otherwise count as one student however large `$n`.
 */
export function withPageSizesWritten(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
): DocumentNode {
  const declared = new Map<string, ValueNode | undefined>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const v of definition.variableDefinitions ?? []) declared.set(v.variable.name.value, v.defaultValue);
  }
  const literal = (value: unknown): ValueNode | null =>
    Number.isInteger(value) ? { kind: Kind.INT, value: String(value as number) } : null;
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const field = typeInfo.getFieldDef();
        if (!field) return undefined;
        const given = new Set((node.arguments ?? []).map((a) => a.name.value));
        const defaults: ArgumentNode[] = [];
        for (const arg of field.args) {
          const value = PAGE_ARGUMENTS.has(arg.name) && !given.has(arg.name) ? literal(arg.defaultValue) : null;
          if (value) defaults.push({ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: arg.name }, value });
        }
        return defaults.length > 0 ? { ...node, arguments: [...(node.arguments ?? []), ...defaults] } : undefined;
      },
      Argument(node) {
        if (!PAGE_ARGUMENTS.has(node.name.value) || node.value.kind !== Kind.VARIABLE) return undefined;
        const name = node.value.name.value;
        const value =
          literal(variables?.[name]) ?? (declared.get(name)?.kind === Kind.INT ? declared.get(name)! : null);
        return value ? { ...node, value } : undefined;
      },
    }),
  );
}

/**
 * Whether any field of the document takes a page size (given or by default), remembered per
 * document: Apollo keeps one parsed document per query text, and most operations (every entity
 * fetch of a student read) have none, so they skip the rewrite and the second validation (issue 13).
 */
const pageAsking = new WeakMap<DocumentNode, boolean>();

function asksForPages(schema: GraphQLSchema, document: DocumentNode): boolean {
  let asks = pageAsking.get(document);
  if (asks !== undefined) return asks;
  asks = false;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        if (typeInfo.getFieldDef()?.args.some((arg) => PAGE_ARGUMENTS.has(arg.name))) asks = true;
      },
    }),
  );
  pageAsking.set(document, asks);
  return asks;
}

/**
 * The cost rule again once the variables are known (Apollo's `didResolveOperation`), on the
 * document with its page sizes written in: refused like any validation error, with HTTP 400.
 */
export function pageSizeCostPlugin(costRule: ValidationRule): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, schema }) {
          if (!asksForPages(schema, document)) return;
          const written = withPageSizesWritten(schema, document, request.variables);
          if (written === document) return;
          const [error] = validate(schema, written, [costRule]);
          if (error) {
            throw new GraphQLError(error.message, {
              extensions: { ...error.extensions, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

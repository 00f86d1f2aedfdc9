import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, valueFromASTUntyped, type DocumentNode } from 'graphql';
import { badUserInput } from '@xueji/errors';

/** The entity types of a subgraph schema: those with `@key` (all keyed by `id` here). */
export function entityTypesOf(typeDefs: DocumentNode): ReadonlySet<string> {
  return new Set(
    typeDefs.definitions.flatMap((d) =>
      (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      d.directives?.some((directive) => directive.name.value === 'key')
        ? [d.name.value]
        : [],
    ),
  );
}

const isRepresentation = (value: unknown, entityTypes: ReadonlySet<string>): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  const { __typename, id } = value as { __typename?: unknown; id?: unknown };
  return typeof __typename === 'string' && entityTypes.has(__typename) && typeof id === 'string';
};

/**
 * `_entities` representations are checked before they are resolved: the gateway only sends an
 * entity type of this subgraph with its key, so anything else (an unknown `__typename`, a missing
 * `id`) is the caller's mistake, `BAD_USER_INPUT` with HTTP 400, not the uncoded error
 * `@apollo/subgraph` would throw.
 */
export function representationsGuard(entityTypes: ReadonlySet<string>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, operation }) {
          for (const selection of operation?.selectionSet.selections ?? []) {
            if (selection.kind !== Kind.FIELD || selection.name.value !== '_entities') continue;
            const argument = selection.arguments?.find((a) => a.name.value === 'representations');
            if (!argument) continue;
            const representations: unknown = valueFromASTUntyped(argument.value, request.variables);
            const list: unknown[] = Array.isArray(representations) ? representations : [representations];
            const bad = list.findIndex((r) => !isRepresentation(r, entityTypes));
            if (bad < 0) continue;
            const refusal = badUserInput(
              {
                zh: `representations[${bad}] 不是本服务的实体引用（须有 __typename 与 id）`,
                en: `representations[${bad}] is not an entity reference of this service (__typename and id needed)`,
              },
              { field: `representations[${bad}]`, entityTypes: [...entityTypes] },
            );
            throw new GraphQLError(refusal.message, {
              extensions: { ...refusal.extensions, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

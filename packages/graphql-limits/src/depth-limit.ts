import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/**
 * Refuse operations nested deeper than `maxDepth` fields: one deep query would otherwise fan out
 * across every subgraph. Fragments count at the depth where they are spread.
 */
export function depthLimit(maxDepth: number): (context: ValidationContext) => ASTVisitor {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const sel of set.selections) {
        let d = 0;
        if (sel.kind === Kind.FIELD) {
          d = sel.name.value.startsWith('__') ? 0 : 1 + depthOf(sel.selectionSet, seen);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          d = depthOf(sel.selectionSet, seen);
        } else {
          const name = sel.name.value;
          const fragment = fragments.get(name);
          if (fragment && !seen.has(name)) d = depthOf(fragment.selectionSet, new Set([...seen, name]));
        }
        deepest = Math.max(deepest, d);
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(
              `查询嵌套层级 ${depth} 超过上限 ${maxDepth} / Query depth ${depth} exceeds the limit of ${maxDepth}`,
              { nodes: [node], extensions: { code: 'BAD_USER_INPUT', maxDepth, depth } },
            ),
          );
        }
      },
    };
  };
}

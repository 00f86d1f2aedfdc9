import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import { bilingual, type BilingualMessage } from '@xueji/errors';
import type { ApolloServerPlugin } from '@apollo/server';
import { depthLimit } from './depth-limit';
import { pageSizeCostPlugin } from './page-sizes';

export { depthLimit } from './depth-limit';
export { withPageSizesWritten } from './page-sizes';

/**
 * What one GraphQL operation may ask for, at the gateway and at every subgraph (README,
 * "Configuration", gives the numbers and why). Each is checked before anything executes: tokens
 * while parsing, the rest while validating.
 */
export interface QueryLimits {
  /** Nested fields (fragments counted where they are spread). */
  maxDepth: number;
  /** Aliased fields in the operation: 1,000 aliases of one field would run it 1,000 times. */
  maxAliases: number;
  /** GraphQL Armor's cost: 1 a scalar, 2 an object, each level ×1.5, `first`/`last` multiply. */
  maxCost: number;
  /** Lexical tokens in the document; parsing stops at the first one over (graphql-js `maxTokens`). */
  maxTokens: number;
}

/**
 * At the gateway, where clients' operations arrive. Enrolment's test of every Student field four
 * levels down is 127 tokens, 5 levels deep and costs 206: ordinary operations stay far inside. The
 * cost allows the largest page the schema offers (`students(first: 500)`) with every Student field
 * two levels down (about 125,000), and refuses such a page with deeper or wider selections.
 */
export const GATEWAY_QUERY_LIMITS: QueryLimits = {
  maxDepth: 10,
  maxAliases: 30,
  maxCost: 150_000,
  maxTokens: 5_000,
};

/**
 * At a subgraph, where the gateway's query plans arrive: a plan's fetch wraps the client's fields in
 * `_entities { … on Student { … } }` (one level more) and may alias fields the client did not, so
 * each limit is the gateway's with headroom; a client's own operation never needs more.
 */
export const SUBGRAPH_QUERY_LIMITS: QueryLimits = {
  maxDepth: GATEWAY_QUERY_LIMITS.maxDepth + 2,
  maxAliases: GATEWAY_QUERY_LIMITS.maxAliases * 2,
  maxCost: GATEWAY_QUERY_LIMITS.maxCost * 2,
  maxTokens: GATEWAY_QUERY_LIMITS.maxTokens * 2,
};

/**
 * Largest request body the gateway reads (bytes). The portal's biggest is a roster file in Base64:
 * a full roster (MAX_ROSTER_ROWS, 20,000 rows in the layout schools use) is about 2.1 MB of Base64,
 * and the file field's own limit (`fileBase64` of @xueji/rules, 2.9 million characters) must be
 * reachable below this one, so that a too-large file is refused naming the field, not as a 413.
 */
export const GATEWAY_BODY_LIMIT_BYTES = 3 * 1024 * 1024;

/**
 * Largest request body a subgraph reads (bytes). The biggest is enrolment's `importRoster` with its
 * Base64 file, which reaches a subgraph only through the gateway: so the gateway's limit, re-sent
 * as the query plan's fetch (the variables re-serialised, never longer; the operation text a little
 * longer), with 64 KiB of headroom. 10,000 rows of the import benchmark are a 1.06 MB Base64 .xlsx,
 * 20,000 rows (MAX_ROSTER_ROWS) 2.11 MB: both fit (services/enrolment/test/roster-size.test.ts).
 */
export const SUBGRAPH_BODY_LIMIT_BYTES = GATEWAY_BODY_LIMIT_BYTES + 64 * 1024;

function refusal(context: ValidationContext | null, message: BilingualMessage, limits: Record<string, number>): void {
  context?.reportError(
    new GraphQLError(bilingual(message), {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', messageZh: message.zh, messageEn: message.en, ...limits },
    }),
  );
}

/**
 * Apollo Server's `validationRules`, `parseOptions` and `plugins` for these limits. The plugin
 * counts the cost again once the variables are known (`first: $n` as the number it is).
 */
export function queryLimits(limits: QueryLimits): {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  plugins: ApolloServerPlugin[];
} {
  const cost = costRule(limits);
  return {
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [pageSizeCostPlugin(cost)],
    validationRules: [
      depthLimit(limits.maxDepth),
      (context) =>
        maxAliasesRule({
          n: limits.maxAliases,
          propagateOnRejection: false,
          onReject: [
            () =>
              refusal(
                context,
                {
                  zh: `查询中的别名超过上限 ${limits.maxAliases}`,
                  en: `The query has more than ${limits.maxAliases} aliases`,
                },
                { maxAliases: limits.maxAliases },
              ),
          ],
        })(context) as unknown as ReturnType<ValidationRule>,
      cost,
    ],
  };
}

/** GraphQL Armor's cost rule at `limits.maxCost`, refusing with the project's coded, bilingual error. */
function costRule(limits: QueryLimits): ValidationRule {
  return (context) =>
    costLimitRule({
      maxCost: limits.maxCost,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [
        () =>
          refusal(
            context,
            {
              zh: `查询的复杂度超过上限 ${limits.maxCost}`,
              en: `The query's cost exceeds the limit of ${limits.maxCost}`,
            },
            { maxCost: limits.maxCost },
          ),
      ],
    })(context) as unknown as ReturnType<ValidationRule>;
}

/**
 * Issue 10, generated fuzz test: for every Query and Mutation field of the composed supergraph
 * (through the gateway) and of each subgraph's own schema (straight at the subgraph, with the
 * gateway secret), operations with variables built from the schema's own input types (valid and
 * junk scalars, enums, dates, input objects, lists, nulls) under tokens of several roles. Property:
 * never HTTP 5xx, the body is JSON, every error carries a code from the documented list
 * (CLIENT_ERROR_CODES) and none is INTERNAL_SERVER_ERROR; afterwards every service is healthy.
 *
 * Repeatable: a fixed seed (override with XUEJI_FUZZ_SEED); fast-check prints the seed and the
 * counterexample on failure.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  buildASTSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { SERVICE_NAMES } from '@xueji/config';
import { CLIENT_ERROR_CODES } from '@xueji/errors';
import { gatewaySecretHeaders, tokenFor } from '@xueji/testkit';
import { school, seedSchools, TEST_TODAY } from '../support/enrolment';
import { startStack, type Stack } from '../support/stack';

const SEED = Number(process.env.XUEJI_FUZZ_SEED ?? 20261002);
/** Per target (the gateway and each of the five subgraphs); the whole file stays within ~90 s. */
const NUM_RUNS = Number(process.env.XUEJI_FUZZ_RUNS ?? 300);
const ROOT = join(__dirname, '..', '..');

/** Ids that exist (filled in once the stack is seeded) and ids that do not, or are no UUID. */
const knownIds: string[] = [];
const UNKNOWN_UUID = '4b1e0c1e-2f0a-4c7e-9a55-0d3c2f1b9e11';

const junkString = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202E张三',
  '\uD800',
  '\u0007\u001B[31m',
  "1' OR '1'='1",
  '../../etc/passwd',
  '%s%n',
  '张'.repeat(10_000),
  'x'.repeat(70_000),
  '🀄️👨‍👩‍👧',
);

const stringArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('710201', '730301', '220102', '220000', '2026-09', '2026级计算机1班', '张三', 'AUTUMN'),
  junkString,
);

const idArb: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.constant(UNKNOWN_UUID),
  fc.integer({ min: 0, max: 9 }).map((i) => knownIds[i % Math.max(knownIds.length, 1)] ?? UNKNOWN_UUID),
  fc.constantFrom('not-a-uuid', '', '00000000-0000-0000-0000-00000000000Z', "1' OR '1'='1"),
  junkString,
);

const intArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -5, max: 120 }),
  fc.constantFrom(0, -1, 1, 2 ** 31 - 1, -(2 ** 31)),
  // Not an Int: coercion refuses them (BAD_USER_INPUT, HTTP 400).
  fc.constantFrom(2 ** 31, 2 ** 53, 1.5, '1', true),
);

const floatArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e308, -1e-308, 0.1, '1.5'),
);

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const validDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const dateArb: fc.Arbitrary<unknown> = fc.oneof(
  validDate,
  fc.constantFrom(TEST_TODAY, '2026-09-01', '2026-02-29', '2024-02-29'),
  fc
    .tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
  fc.constantFrom(
    '2025-02-30',
    '0000-01-01',
    '+12026-01-01',
    '9999-12-31',
    '2026-9-1',
    '2026-09-01T00:00:00Z',
    20260901,
  ),
  stringArb,
);
const dateTimeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom('2026-09-15T08:00:00+08:00', '2026-09-15', '2026-02-30T00:00:00Z', '+012026-01-01T00:00:00.000Z', 0),
  stringArb,
);

function scalarArb(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case 'ID':
      return idArb;
    case 'String':
      return stringArb;
    case 'Int':
      return intArb;
    case 'Float':
      return floatArb;
    case 'Boolean':
      return fc.oneof(fc.boolean(), fc.constantFrom('true', 0));
    case 'Date':
      return dateArb;
    case 'DateTime':
      return dateTimeArb;
    default:
      return fc.oneof(stringArb, fc.integer());
  }
}

/** A value for a GraphQL input type: mostly well-typed, sometimes junk, null where nullable. */
function inputArb(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
  if (!isNonNullType(type)) {
    return fc.oneof({ arbitrary: valueArb(type, depth), weight: 6 }, { arbitrary: fc.constant(null), weight: 1 });
  }
  return valueArb(getNullableType(type), depth);
}

/** A value of a (non-null) input type. */
function valueArb(inner: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
  if (isListType(inner)) {
    const item = inputArb(inner.ofType, depth + 1);
    return fc.oneof(
      { arbitrary: fc.array(item, { maxLength: depth > 2 ? 1 : 4 }), weight: 6 },
      // A single value where a list is expected (GraphQL coerces it to a list of one).
      { arbitrary: item, weight: 1 },
    );
  }
  if (isEnumType(inner)) {
    return fc.oneof(
      { arbitrary: fc.constantFrom(...inner.getValues().map((v) => v.name)), weight: 8 },
      { arbitrary: fc.constantFrom('NOT_A_VALUE', '', 'autumn', 1), weight: 1 },
    );
  }
  if (isScalarType(inner)) return scalarArb(inner.name);
  if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields());
    if (depth > 3) return fc.constant({});
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) model[f.name] = inputArb(f.type, depth + 1);
    const requiredKeys = fields.filter((f) => isNonNullType(f.type)).map((f) => f.name);
    return fc.oneof(
      { arbitrary: fc.record(model, { requiredKeys }), weight: 8 },
      // A required field left out, or an unknown one added: refused by coercion.
      { arbitrary: fc.record(model, { requiredKeys: [] }), weight: 1 },
      { arbitrary: fc.record(model, { requiredKeys }).map((v) => ({ ...v, notAField: 1 })), weight: 1 },
    );
  }
  return fc.constant(null);
}

/** A small selection of a result type: scalar fields without required arguments, depth ≤ 2. */
function selection(type: GraphQLObjectType, depth: number): string {
  const noRequiredArgs = (f: GraphQLField<unknown, unknown>) =>
    f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined);
  const fields = Object.values(type.getFields()).filter(noRequiredArgs);
  const leaves = fields.filter((f) => isLeafType(getNamedType(f.type))).slice(0, 6);
  const parts = ['__typename', ...leaves.map((f) => f.name)];
  if (depth < 2) {
    const objects = fields.filter((f) => isObjectType(getNamedType(f.type))).slice(0, 2);
    for (const f of objects)
      parts.push(`${f.name} { ${selection(getNamedType(f.type) as GraphQLObjectType, depth + 1)} }`);
  }
  return parts.join(' ');
}

interface Operation {
  field: string;
  query: string;
  variables: fc.Arbitrary<Record<string, unknown>>;
}

function operations(schema: GraphQLSchema, skip: ReadonlySet<string>): Operation[] {
  const ops: Operation[] = [];
  for (const [kind, root] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      if (field.name.startsWith('_') || skip.has(field.name)) continue;
      const args: readonly GraphQLArgument[] = field.args;
      const declared = args.map((a, i) => `$a${i}: ${String(a.type)}`).join(', ');
      const passed = args.map((a, i) => `${a.name}: $a${i}`).join(', ');
      const result = getNamedType(field.type);
      const body = isObjectType(result) ? ` { ${selection(result, 1)} }` : isLeafType(result) ? '' : ' { __typename }';
      const query = `${kind} Fuzz${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${body} }`;
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      args.forEach((a, i) => {
        model[`a${i}`] = inputArb(a.type, 0);
      });
      ops.push({ field: `${root.name}.${field.name}`, query, variables: fc.record(model, { requiredKeys: [] }) });
    }
  }
  // A subgraph's entity types, reached as the gateway reaches them: `_entities` with
  // representations of their key (an id that is a UUID, a known one, or junk; a wrong typename).
  const entity = schema.getType('_Entity');
  if (entity && 'getTypes' in entity) {
    for (const type of (entity as { getTypes(): readonly GraphQLObjectType[] }).getTypes()) {
      const representation = MALFORMED_REPRESENTATIONS
        ? fc.oneof(
            { arbitrary: fc.record({ __typename: fc.constant(type.name), id: idArb }), weight: 8 },
            { arbitrary: fc.record({ __typename: fc.constantFrom('Nope', ''), id: idArb }), weight: 1 },
            { arbitrary: fc.record({ __typename: fc.constant(type.name) }), weight: 1 },
          )
        : fc.record({ __typename: fc.constant(type.name), id: idArb });
      ops.push({
        field: `_entities(${type.name})`,
        query: `query Fuzz($r: [_Any!]!) { _entities(representations: $r) { __typename ... on ${type.name} { ${selection(type, 1)} } } }`,
        variables: fc.record({ r: fc.array(representation, { maxLength: 4 }) }),
      });
    }
  }
  return ops;
}

/**
 * Representations the gateway never sends (a `__typename` that is no entity of the subgraph, or one
 * without its key `id`), sent straight at a subgraph: the kit's representations guard answers them
 * BAD_USER_INPUT before @apollo/subgraph would throw an uncoded error.
 */
const MALFORMED_REPRESENTATIONS = true;

/**
 * Fields left out of generation, each with the failure it still shows (to be fixed, then removed
 * from here). Empty: every field is fuzzed.
 */
const SKIP_FIELDS: ReadonlySet<string> = new Set<string>([]);

/** Outcomes per field, status and first code (printed with XUEJI_FUZZ_STATS=1, to see what is reached). */
const stats = new Map<string, number>();

const ALLOWED_CODES = new Set(Object.keys(CLIENT_ERROR_CODES).filter((c) => c !== 'INTERNAL_SERVER_ERROR'));

interface Outcome {
  status: number;
  body: unknown;
}

async function post(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<Outcome> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...gatewaySecretHeaders(),
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status}: body is not JSON: ${text.slice(0, 300)}`);
  }
  return { status: response.status, body };
}

function check(outcome: Outcome): void {
  if (outcome.status >= 500) throw new Error(`HTTP ${outcome.status}: ${JSON.stringify(outcome.body).slice(0, 500)}`);
  const errors = (outcome.body as { errors?: { message?: string; extensions?: { code?: unknown } }[] }).errors ?? [];
  for (const error of errors) {
    const code = error.extensions?.code;
    if (typeof code !== 'string' || !ALLOWED_CODES.has(code)) {
      throw new Error(`error coded ${String(code)} (HTTP ${outcome.status}): ${JSON.stringify(error).slice(0, 500)}`);
    }
  }
}

describe('generated fuzz test (real PostgreSQL, Kafka, every subgraph, gateway)', () => {
  let stack: Stack;
  let tokens: fc.Arbitrary<string | undefined>;

  beforeAll(async () => {
    stack = await startStack({ today: TEST_TODAY });
    const [A] = (await seedSchools(stack.services.enrolment, [school('FUZ-A01', '220102')])) as [string];
    knownIds.push(A);
    const valid = [
      tokenFor({ subject: 'registrar', role: 'SCHOOL_REGISTRAR', schoolId: A }),
      tokenFor({ subject: 'reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '220000' }),
      tokenFor({ subject: 'county-reviewer', role: 'AUTHORITY_REVIEWER', regionCode: '220102' }),
      tokenFor({ subject: 'officer', role: 'SUBSIDY_OFFICER', regionCode: '220100' }),
      // partners: an administrator manages them; a partner reads its changes (unregistered here).
      tokenFor({ subject: 'administrator', role: 'ADMINISTRATOR' }),
      tokenFor({ subject: randomUUID(), role: 'PARTNER' }),
    ];
    // None, garbage, and an unsigned (alg none) token: rarer, so most requests reach the resolvers.
    tokens = fc.oneof(
      { arbitrary: fc.constantFrom(...valid), weight: 6 },
      { arbitrary: fc.constantFrom(undefined, 'garbage', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'), weight: 1 },
    );
  }, 120_000);
  afterAll(() => stack?.stop());

  const targets: [string, () => { url: string; schema: GraphQLSchema }][] = [
    [
      'gateway (composed supergraph)',
      () => ({
        url: stack.gatewayUrl,
        schema: buildASTSchema(parse(readFileSync(join(ROOT, 'gateway', 'supergraph.graphql'), 'utf8'))),
      }),
    ],
    ...SERVICE_NAMES.map(
      (name) =>
        [
          `subgraph ${name} (direct, with the gateway secret)`,
          () => ({
            url: stack.services[name].url,
            schema: buildSubgraphSchema({
              typeDefs: parse(readFileSync(join(ROOT, 'services', name, 'src', 'schema.graphql'), 'utf8')),
            }),
          }),
        ] as [string, () => { url: string; schema: GraphQLSchema }],
    ),
  ];

  it.each(targets)(
    '%s: never 5xx, every error coded from the documented list',
    async (_label, target) => {
      const { url, schema } = target();
      const ops = operations(schema, SKIP_FIELDS);
      expect(ops.length).toBeGreaterThan(0);
      const request = fc.oneof(
        ...ops.map(({ field, query, variables }) =>
          fc.record({ op: fc.constant({ field, query }), variables, token: tokens }),
        ),
      );
      await fc.assert(
        fc.asyncProperty(request, async ({ op, variables, token }) => {
          const outcome = await post(url, op.query, variables, token);
          if (process.env.XUEJI_FUZZ_STATS) {
            const errors = (outcome.body as { errors?: { extensions?: { code?: string } }[] }).errors;
            const key = `${op.field} ${outcome.status} ${errors?.[0]?.extensions?.code ?? 'OK'}`;
            stats.set(key, (stats.get(key) ?? 0) + 1);
          }
          check(outcome);
        }),
        { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true },
      );
      if (process.env.XUEJI_FUZZ_STATS)
        console.log(
          [...stats]
            .sort()
            .map(([k, n]) => `${n}\t${k}`)
            .join('\n'),
        );
    },
    120_000,
  );

  it('every service and the gateway answer /health and /ready with 200 afterwards', async () => {
    for (const name of SERVICE_NAMES) {
      const base = stack.services[name].url.replace(/\/graphql$/, '');
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/ready`)).status).toBe(200);
    }
    expect((await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/health'))).status).toBe(200);
  });
});

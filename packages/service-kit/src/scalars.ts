import { GraphQLScalarType, Kind, type DocumentNode, type ValueNode } from 'graphql';
import { badUserInput } from '@xueji/errors';

// RFC 3339 with a zone: what `toISOString()` writes and what clients send.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// Year 0000 is a valid ISO year for JavaScript but not for PostgreSQL, which counts 1 BC … AD 1.
function validDay(value: string): boolean {
  if (!DATE.test(value) || value.startsWith('0000')) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * A refusal of a `Date`/`DateTime` value, answered with HTTP 200 like every other BAD_USER_INPUT
 * rather than Apollo's 400 for a variable it cannot coerce (the gateway forwards custom scalars
 * unchecked; it passes a subgraph's coded errors on either way).
 */
function refusal(message: { zh: string; en: string }) {
  const error = badUserInput(message);
  (error.extensions as Record<string, unknown>).http = { status: 200 };
  return error;
}

function parseDateTime(value: unknown): Date {
  // `new Date` rolls 2025-02-30 over to March 2: the day itself must exist.
  const date =
    typeof value === 'string' && DATE_TIME.test(value) && validDay(value.slice(0, 10)) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw refusal({
      zh: `时间格式无效：${String(value)}（应为 ISO 8601，如 2026-09-01T08:00:00Z）`,
      en: `Not a valid time: ${String(value)} (ISO 8601 expected, e.g. 2026-09-01T08:00:00Z)`,
    });
  }
  return date;
}

function parseDay(value: unknown): string {
  if (typeof value !== 'string' || !validDay(value)) {
    throw refusal({
      zh: `日期格式无效：${String(value)}（应为 YYYY-MM-DD）`,
      en: `Not a valid date: ${String(value)} (YYYY-MM-DD expected)`,
    });
  }
  return value;
}

const literal = (ast: ValueNode): unknown => (ast.kind === Kind.STRING ? ast.value : undefined);

/** `DateTime`: resolvers return `Date` objects; the wire carries ISO 8601 with a zone. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO 8601 / RFC 3339 timestamp with a zone, e.g. 2026-09-01T08:00:00.000Z.',
  serialize(value) {
    const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new TypeError(`DateTime cannot represent ${String(value)}`);
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(literal(ast)),
});

/** `Date`: a calendar day where the schools are, YYYY-MM-DD, kept as that string. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize(value) {
    const day = value instanceof Date ? value.toISOString().slice(0, 10) : value;
    if (typeof day !== 'string' || !validDay(day)) throw new TypeError(`Date cannot represent ${String(value)}`);
    return day;
  },
  parseValue: parseDay,
  parseLiteral: (ast) => parseDay(literal(ast)),
});

const SCALARS = [DateTimeScalar, DateScalar];

/** The kit's scalars a schema declares (`scalar DateTime`, `scalar Date`), as resolvers. */
export function scalarResolversFor(typeDefs: DocumentNode): Record<string, GraphQLScalarType> {
  const declared = new Set(
    typeDefs.definitions.flatMap((d) => (d.kind === Kind.SCALAR_TYPE_DEFINITION ? [d.name.value] : [])),
  );
  return Object.fromEntries(SCALARS.filter((s) => declared.has(s.name)).map((s) => [s.name, s]));
}

import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';

/**
 * PostgreSQL's text cannot hold U+0000: a NUL byte in any string a client sends (a literal in the
 * query or a variable, a filter, a cursor, a name) would be a database error. Refused up front,
 * for every operation of every subgraph, as BAD_USER_INPUT naming where it was (the variable's path,
 * `input.name`, or `query` for a literal).
 */
export function nulByteRefusal(document: DocumentNode | undefined, variables: unknown): GraphQLError | null {
  const where = nulIn(variables, '$') ?? (document && literalWithNul(document) ? 'query' : null);
  if (!where) return null;
  const field = where === '$' ? 'variables' : where.replace(/^\$\./, '');
  const message = { zh: `${field} 含有空字符（U+0000）`, en: `${field} contains a NUL character (U+0000)` };
  return new GraphQLError(`${message.zh} / ${message.en}`, {
    extensions: {
      code: 'BAD_USER_INPUT',
      messageZh: message.zh,
      messageEn: message.en,
      details: { field },
      // 200 like any refusal of the input, so that the gateway passes a subgraph's answer on as it is.
      http: { status: 200 },
    },
  });
}

function nulIn(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulIn(item, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulIn(key, `${path}.${key}`) ?? nulIn(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Whether a parsed document holds a NUL in a literal, remembered per document: Apollo keeps one
 * parsed document per query text, so a document is walked once, not on every request (issue 13).
 */
const literalsWithNul = new WeakMap<DocumentNode, boolean>();

function literalWithNul(document: DocumentNode): boolean {
  let found = literalsWithNul.get(document);
  if (found === undefined) literalsWithNul.set(document, (found = walkLiterals(document)));
  return found;
}

function walkLiterals(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found;
}

import { gatewaySecretHeaders } from './fixtures';

/**
 * Requests a careless or hostile client sends to a GraphQL endpoint, with the answer each must get:
 * a JSON GraphQL error with a code from the documented list and a 4xx status, never a 5xx, an HTML
 * page or a stack trace. The same list is sent to a subgraph and to the gateway.
 */
export interface MalformedRequest {
  name: string;
  init: RequestInit;
  /** Appended to the endpoint URL (a GET's query string). */
  search?: string;
  status: number;
  code: string;
}

const json = { 'content-type': 'application/json' };
const query = '{ __typename }';

export function malformedRequests(bodyLimitBytes: number): MalformedRequest[] {
  return [
    {
      name: 'no content-type',
      init: { method: 'POST', body: JSON.stringify({ query }) },
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a text/plain body (CSRF-blocked)',
      init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query }) },
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a GET without a preflight header (CSRF-blocked)',
      init: { method: 'GET' },
      search: `?query=${encodeURIComponent(query)}`,
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a batched array',
      init: { method: 'POST', headers: json, body: JSON.stringify([{ query }, { query }]) },
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a non-string query',
      init: { method: 'POST', headers: json, body: JSON.stringify({ query: 1 }) },
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'string variables',
      init: { method: 'POST', headers: json, body: JSON.stringify({ query, variables: '{}' }) },
      status: 400,
      code: 'BAD_REQUEST',
    },
    { name: 'an empty body', init: { method: 'POST', headers: json, body: '' }, status: 400, code: 'BAD_REQUEST' },
    {
      name: 'several operations without operationName',
      init: {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ query: 'query A { __typename } query B { __typename }' }),
      },
      status: 400,
      code: 'OPERATION_RESOLUTION_FAILURE',
    },
    {
      name: 'an unknown operationName',
      init: {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ query: 'query A { __typename }', operationName: 'Z' }),
      },
      status: 400,
      code: 'OPERATION_RESOLUTION_FAILURE',
    },
    {
      name: 'a subscription',
      init: { method: 'POST', headers: json, body: JSON.stringify({ query: 'subscription S { __typename }' }) },
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'malformed JSON',
      init: { method: 'POST', headers: json, body: '{"query": "{ __typename }"' },
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      name: 'a body over the limit',
      init: { method: 'POST', headers: json, body: JSON.stringify({ query, padding: 'x'.repeat(bodyLimitBytes + 1) }) },
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      name: 'an unsupported charset',
      init: { method: 'POST', headers: { 'content-type': 'application/json; charset=latin1' }, body: '{}' },
      status: 415,
      code: 'BAD_REQUEST',
    },
    {
      name: 'an unsupported content encoding',
      init: { method: 'POST', headers: { ...json, 'content-encoding': 'x-unknown' }, body: '{}' },
      status: 415,
      code: 'BAD_REQUEST',
    },
  ];
}

export interface RawAnswer {
  status: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  contentType: string;
  text: string;
  body: { errors?: { message: string; extensions?: Record<string, unknown> }[] } | null;
}

/**
 * Send one request as it is (no client library in between) and read the answer, JSON or not. It
 * carries the test gateway secret (a subgraph refuses requests without it) unless `headers` says
 * otherwise (`{}` sends none).
 */
export async function sendRaw(
  url: string,
  request: Pick<MalformedRequest, 'init' | 'search'>,
  headers: Record<string, string> = gatewaySecretHeaders(),
): Promise<RawAnswer> {
  const init = { ...request.init, headers: { ...headers, ...(request.init.headers as Record<string, string>) } };
  const response = await fetch(url + (request.search ?? ''), init);
  const text = await response.text();
  let body: RawAnswer['body'] = null;
  try {
    body = JSON.parse(text) as RawAnswer['body'];
  } catch {
    body = null;
  }
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    contentType: response.headers.get('content-type') ?? '',
    text,
    body,
  };
}

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import {
  httpErrorHandler,
  requestIdOf,
  requestIdScope,
  requestScope,
  requireSharedSecret,
  sharedSecretMatches,
  type HttpErrorLogger,
} from '@xueji/errors';

/**
 * A GraphQL POST answered straight from node:http, without Express: its router, body parser and
 * `res.send` were about a tenth of every subgraph's and the gateway's CPU on the federated student
 * read (issue 13). Only the plain case takes this path — `POST /graphql`, a JSON body in UTF-8 of a
 * stated length within the limit, and whatever `admits` asks (a subgraph: the gateway's secret) —
 * and it answers exactly as the Express route would: the same request id and scope, the same
 * refusal of a body that is not JSON (`httpErrorHandler`'s `BAD_REQUEST`), the same Apollo Server
 * request. Anything else (another path or method, a body over the limit or of unstated length,
 * another charset or an encoding, a missing secret) goes to `fallback`, the Express app, which
 * serves or refuses it as before.
 */
export interface GraphqlPostOptions<Context extends BaseContext> {
  server: ApolloServer<Context>;
  context: (req: IncomingMessage) => Promise<Context>;
  bodyLimitBytes: number;
  logger: HttpErrorLogger;
  debug?: boolean;
  admits?: (req: IncomingMessage) => boolean;
  fallback: (req: IncomingMessage, res: ServerResponse) => void;
}

/** A JSON content type body-parser would read as UTF-8 JSON (no charset, or utf-8). */
const PLAIN_JSON = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

function isPlain(req: IncomingMessage, limit: number): boolean {
  if (req.method !== 'POST' || req.url !== '/graphql') return false;
  const type = req.headers['content-type'];
  if (typeof type !== 'string' || !PLAIN_JSON.test(type)) return false;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  if (req.headers['transfer-encoding'] !== undefined) return false;
  const length = Number(req.headers['content-length']);
  return Number.isInteger(length) && length > 0 && length <= limit;
}

/** Who may ask: the requests that carry `secret` in `header` (a subgraph's gateway secret). */
export interface SharedSecret {
  secret: string;
  header: string;
}

export type GraphqlEndpointOptions<Context extends BaseContext> = Omit<
  GraphqlPostOptions<Context>,
  'admits' | 'fallback'
> & { sharedSecret?: SharedSecret };

/**
 * `POST /graphql` served both ways from one set of options, so the two cannot drift apart: the
 * Express route on `app` (secret, body parser, request id, Apollo), mounted where this is called
 * (before the app's catch-all refusal and error handler), and `graphqlPostListener` on `httpServer`
 * in front of `app` for the plain case. `httpServer` is created without a listener of its own.
 */
export function serveGraphql<Context extends BaseContext>(
  app: express.Express,
  httpServer: Server,
  options: GraphqlEndpointOptions<Context>,
): void {
  const { sharedSecret } = options;
  app.use(
    '/graphql',
    // A subgraph answers only the gateway: checked before the body is read.
    ...(sharedSecret ? [requireSharedSecret(sharedSecret.secret, sharedSecret.header)] : []),
    express.json({ limit: options.bodyLimitBytes }),
    requestIdScope,
    expressMiddleware(options.server, { context: async ({ req }) => options.context(req) }),
  );
  httpServer.on(
    'request',
    graphqlPostListener({
      ...options,
      admits: sharedSecret ? sharedSecretMatches(sharedSecret.secret, sharedSecret.header) : undefined,
      fallback: app,
    }),
  );
}

/** The request listener: the plain GraphQL POST here, the rest to `fallback`. */
export function graphqlPostListener<Context extends BaseContext>(
  options: GraphqlPostOptions<Context>,
): (req: IncomingMessage, res: ServerResponse) => void {
  const refuse = httpErrorHandler({ logger: options.logger, debug: options.debug });
  return (req, res) => {
    if (!isPlain(req, options.bodyLimitBytes) || (options.admits && !options.admits(req))) {
      options.fallback(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        // body-parser's strict mode: an object or an array, nothing else.
        if (!/^[\s]*[{[]/.test(text)) throw new SyntaxError('not an object or array');
        body = JSON.parse(text);
      } catch {
        refuse(
          Object.assign(new SyntaxError('invalid JSON'), { status: 400, type: 'entity.parse.failed' }),
          req,
          res,
          () => {},
        );
        return;
      }
      const requestId = requestIdOf(req);
      res.setHeader('x-request-id', requestId);
      requestScope.run({ requestId }, () => {
        answer(options, req, res, body).catch((error: unknown) => refuse(error, req, res, () => res.destroy()));
      });
    });
  };
}

async function answer<Context extends BaseContext>(
  options: GraphqlPostOptions<Context>,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await options.server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search: '', body },
    context: () => options.context(req),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

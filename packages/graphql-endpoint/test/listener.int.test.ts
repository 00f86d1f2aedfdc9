/**
 * Issue 13: the lean listener answers every request exactly as the Express route it stands in front
 * of. One app with `serveGraphql`'s route behind two HTTP servers — one with the lean listener in
 * front (Express its fallback), one with the app alone — is sent the same requests: queries that succeed and fail, the
 * malformed requests of issue 10, a missing secret, a request id. Status, content type, request id
 * and body must be the same, and the lean path must have answered the plain POSTs itself.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import express from 'express';
import { GraphQLError } from 'graphql';
import { httpErrorHandler, unknownPathRefusal } from '@xueji/errors';
import { malformedRequests, sendRaw, type MalformedRequest } from '@xueji/testkit';
import { serveGraphql } from '../src';

const LIMIT = 4096;
const SECRET_HEADER = 'x-test-secret';
const secret = { [SECRET_HEADER]: 's3cret' };
const silent = { debug: () => {}, error: () => {} };

interface Context {
  caller: string;
}

const server = new ApolloServer<Context>({
  typeDefs: `type Query { hello(name: String!): String, refused: String, caller: String }`,
  resolvers: {
    Query: {
      hello: (_: unknown, { name }: { name: string }) => `你好 ${name}`,
      refused: () => {
        throw new GraphQLError('refused', { extensions: { code: 'FORBIDDEN' } });
      },
      caller: (_: unknown, __: unknown, ctx: Context) => ctx.caller,
    },
  },
});
let leanServer: http.Server;
let expressServer: http.Server;
let lean: string;
let plain: string;
/** Requests the lean path answered itself (not handed to Express). */
let answeredLean = 0;

const context = async (req: http.IncomingMessage): Promise<Context> => {
  if (req.headers.authorization === 'Bearer bad') {
    throw new GraphQLError('bad token', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
  return { caller: req.headers.authorization ?? 'anonymous' };
};

const listen = async (target: http.Server) => {
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(target.address() as AddressInfo).port}/graphql`;
};

beforeAll(async () => {
  await server.start();
  const app = express();
  app.set('etag', false);
  leanServer = http.createServer();
  leanServer.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.on('finish', () => {
      if (!res.hasHeader('x-powered-by')) answeredLean++;
    });
  });
  serveGraphql(app, leanServer, {
    server,
    context,
    bodyLimitBytes: LIMIT,
    logger: silent,
    sharedSecret: { secret: 's3cret', header: SECRET_HEADER },
  });
  app.use(unknownPathRefusal);
  app.use(httpErrorHandler({ logger: silent }));
  // The same app without the lean listener in front: its Express route alone.
  expressServer = http.createServer(app);
  lean = await listen(leanServer);
  plain = await listen(expressServer);
});

afterAll(async () => {
  await new Promise((resolve) => leanServer.close(resolve));
  await new Promise((resolve) => expressServer.close(resolve));
  await server.stop();
});

const post = (body: unknown, headers: Record<string, string> = {}): Pick<MalformedRequest, 'init'> => ({
  init: {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  },
});

const requests: [string, Pick<MalformedRequest, 'init' | 'search'>, Record<string, string>?][] = [
  ['a query that succeeds', post({ query: '{ hello(name: "学籍") }' })],
  ['a query with variables', post({ query: 'query ($n: String!) { hello(name: $n) }', variables: { n: '张三' } })],
  ['a refused field', post({ query: '{ refused }' })],
  ['the caller from the context', post({ query: '{ caller }' }, { authorization: 'Bearer good' })],
  ['a context that refuses', post({ query: '{ caller }' }, { authorization: 'Bearer bad' })],
  ['a validation error', post({ query: '{ nope }' })],
  ['a JSON string, not an object', post('"{ hello }"')],
  ['JSON with a UTF-8 charset', post({ query: '{ caller }' }, { 'content-type': 'application/json; charset=utf-8' })],
  ['the caller’s request id', post({ query: '{ caller }' }, { 'x-request-id': 'req-42' })],
  ['no secret', post({ query: '{ caller }' }), {}],
  [
    'a path it does not serve',
    { init: { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }, search: '/x' },
  ],
  ...malformedRequests(LIMIT).map((r): [string, MalformedRequest] => [r.name, r]),
];

// Every row has its headers: a row shorter than the test's parameters would make jest pass `done`.
const rows = requests.map(([name, request, headers]) => [name, request, headers ?? secret] as const);

it.each(rows)('%s: the same answer with and without the lean path', async (_name, request, headers) => {
  const send = (url: string) => sendRaw(url, request, headers);
  const [a, b] = [await send(lean), await send(plain)];
  expect(a.status).toBe(b.status);
  expect(a.contentType).toBe(b.contentType);
  expect(a.body ?? a.text).toEqual(b.body ?? b.text);
  expect(Boolean(a.headers['x-request-id'])).toBe(Boolean(b.headers['x-request-id']));
  if (request.init.headers && 'x-request-id' in request.init.headers) {
    expect(a.headers['x-request-id']).toBe('req-42');
    expect(b.headers['x-request-id']).toBe('req-42');
  }
  expect(a.status).toBeLessThan(500);
});

it('answers the plain POSTs itself, and hands the rest to Express', async () => {
  const before = answeredLean;
  await sendRaw(lean, post({ query: '{ hello(name: "a") }' }), secret);
  await sendRaw(lean, post('{"query": '), secret);
  expect(answeredLean - before).toBe(2);
  await sendRaw(lean, post({ query: '{ caller }' }), {}); // no secret: Express refuses it
  await sendRaw(lean, post({ query: '{ caller }' }, { 'content-type': 'application/json; charset=latin1' }), secret);
  expect(answeredLean - before).toBe(2);
});

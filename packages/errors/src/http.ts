import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, type DocumentNode } from 'graphql';
import { bilingual, INTERNAL_ERROR_MESSAGE, type BilingualMessage, type ErrorCode } from './index';
import { nulByteRefusal } from './nul-bytes';
import { requestScope } from './request-scope';

/**
 * The HTTP layer of a GraphQL endpoint (every subgraph and the gateway): a request id for every
 * request, and the refusals of Express and Apollo Server as coded JSON GraphQL errors rather than
 * an HTML page or an uncoded 500.
 */

const requestIds = new WeakMap<IncomingMessage, string>();
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's `x-request-id` (the gateway passes its own to the subgraphs), else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  let id = requestIds.get(req);
  if (!id) {
    const header = req.headers['x-request-id'];
    id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    requestIds.set(req, id);
  }
  return id;
}

/**
 * Express middleware: answer with the request id (`x-request-id`) and run the rest of the request
 * in its scope, so an `INTERNAL_SERVER_ERROR` carries the id its log line has. Mount it after the
 * body parser (a parser's stream callbacks would leave the scope).
 */
export function requestIdScope(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const requestId = requestIdOf(req);
  res.setHeader('x-request-id', requestId);
  requestScope.run({ requestId }, next);
}

export interface HttpErrorLogger {
  debug(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/** body-parser's error types, as the caller is told them. */
const BODY_REFUSALS: Record<string, (error: { limit?: unknown; charset?: unknown }) => BilingualMessage> = {
  'entity.parse.failed': () => ({ zh: '请求体不是有效的 JSON', en: 'The request body is not valid JSON' }),
  'entity.too.large': (e) => ({
    zh: `请求体超过上限（${String(e.limit)} 字节）`,
    en: `The request body exceeds the limit of ${String(e.limit)} bytes`,
  }),
  'charset.unsupported': (e) => ({
    zh: `不支持的字符集 ${String(e.charset)}，请使用 UTF-8`,
    en: `Unsupported charset ${String(e.charset)}; use UTF-8`,
  }),
  'encoding.unsupported': () => ({ zh: '不支持的内容编码', en: 'Unsupported content encoding' }),
  'request.aborted': () => ({ zh: '请求在接收完之前被中止', en: 'The request was aborted before it was received' }),
};

/** A refusal with its own code and message, answered by `httpErrorHandler` as it is. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly refusal: BilingualMessage,
  ) {
    super(refusal.en);
  }
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Express middleware for a subgraph (mount before the body parser): a request without `header`
 * holding `secret` — only the gateway has it — is refused with `GATEWAY_REQUIRED` (HTTP 403) before
 * its body is read. The comparison takes the same time whatever the header holds (both sides are
 * hashed to a fixed length, then compared with `timingSafeEqual`).
 */
export function requireSharedSecret(secret: string, header: string) {
  const matches = sharedSecretMatches(secret, header);
  return (req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void => {
    if (matches(req)) {
      next();
      return;
    }
    next(
      new HttpRefusal(403, 'GATEWAY_REQUIRED', {
        zh: '此服务只接受经由网关的请求',
        en: 'This service answers only requests that come through the gateway',
      }),
    );
  };
}

/** Whether a request's `header` holds `secret`, compared in the same time whatever it holds. */
export function sharedSecretMatches(secret: string, header: string): (req: IncomingMessage) => boolean {
  const expected = digest(secret);
  const name = header.toLowerCase();
  return (req) => {
    const given = req.headers[name];
    return typeof given === 'string' && timingSafeEqual(digest(given), expected);
  };
}

function clientStatusOf(error: unknown): number | null {
  const e = error as { status?: unknown; statusCode?: unknown } | null;
  const status = e?.status ?? e?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/**
 * Express error handler (mount last): a request Express refuses before Apollo sees it — malformed
 * JSON, a body over the limit (413), an unsupported charset or encoding (415) — is answered as a
 * JSON GraphQL error coded `BAD_REQUEST` (`PAYLOAD_TOO_LARGE` for 413) with its HTTP status; any
 * other failure is an `INTERNAL_SERVER_ERROR` with the request id, logged. No stack trace unless
 * `debug` (XUEJI_DEBUG_ERRORS).
 */
export function httpErrorHandler(options: { logger: HttpErrorLogger; debug?: boolean }) {
  return (error: unknown, req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const requestId = requestIdOf(req);
    const clientStatus = clientStatusOf(error);
    let status: number;
    let code: ErrorCode;
    let message: BilingualMessage;
    if (error instanceof HttpRefusal) {
      status = error.status;
      code = error.code;
      message = error.refusal;
      options.logger.debug({ requestId, status, code }, 'request refused');
    } else if (clientStatus !== null) {
      status = clientStatus;
      code = status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
      const type = (error as { type?: unknown }).type;
      const refusal = typeof type === 'string' ? BODY_REFUSALS[type] : undefined;
      message = refusal?.(error as { limit?: unknown; charset?: unknown }) ?? { zh: '请求无效', en: 'Bad request' };
      options.logger.debug({ requestId, status, type }, 'request refused');
    } else {
      status = 500;
      code = 'INTERNAL_SERVER_ERROR';
      message = INTERNAL_ERROR_MESSAGE;
      const e = error instanceof Error ? error : new Error(String(error));
      options.logger.error({ requestId, err: { type: e.name, message: e.message, stack: e.stack } }, 'internal error');
    }
    const stack = options.debug && error instanceof Error ? error.stack?.split('\n') : undefined;
    const body = {
      errors: [
        {
          message: bilingual(message),
          extensions: {
            code,
            messageZh: message.zh,
            messageEn: message.en,
            ...(code === 'INTERNAL_SERVER_ERROR' ? { requestId } : {}),
            ...(stack ? { stacktrace: stack } : {}),
          },
        },
      ],
    };
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('x-request-id', requestId);
    res.end(JSON.stringify(body));
  };
}

interface ResolvingOperation {
  operation?: { operation: string } | null;
  request: { operationName?: string | null; variables?: Record<string, unknown> | null };
  document?: DocumentNode;
}

/**
 * Apollo Server plugin: a request with no single operation to run (several without
 * `operationName`, or an unknown `operationName`) is `OPERATION_RESOLUTION_FAILURE`, and a
 * subscription (neither the gateway nor the subgraphs serve them) `BAD_REQUEST`, both HTTP 400,
 * before anything executes. A NUL byte in any string sent is `BAD_USER_INPUT` (`nulByteRefusal`).
 */
export const operationResolutionPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request, document }: ResolvingOperation): Promise<void> {
        if (!operation) {
          const en = request.operationName
            ? `Unknown operation named "${request.operationName}"`
            : 'Must provide operationName when the document holds several operations (or none)';
          const zh = request.operationName
            ? `未知的操作名 "${request.operationName}"`
            : '文档含多个操作时必须提供 operationName';
          throw new GraphQLError(bilingual({ zh, en }), {
            extensions: { code: 'OPERATION_RESOLUTION_FAILURE', messageZh: zh, messageEn: en, http: { status: 400 } },
          });
        }
        // A NUL byte anywhere in the strings sent (issue 10): BAD_USER_INPUT, not a database error.
        const nul = nulByteRefusal(document, request.variables);
        if (nul) throw nul;
        if (operation.operation === 'subscription') {
          const message = { zh: '不支持订阅（subscription）操作', en: 'Subscriptions are not supported' };
          throw new GraphQLError(bilingual(message), {
            extensions: {
              code: 'BAD_REQUEST',
              messageZh: message.zh,
              messageEn: message.en,
              http: { status: 400 },
            },
          });
        }
      },
    };
  },
};

/**
 * Express middleware (mount after every route, before `httpErrorHandler`): a path the endpoint does
 * not serve (anything but `/graphql`, `/health`, `/ready`) is `NOT_FOUND`, HTTP 404, as a coded JSON
 * GraphQL error rather than Express's plain-text page.
 */
export function unknownPathRefusal(_req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void {
  next(
    new HttpRefusal(404, 'NOT_FOUND', {
      zh: '此路径不存在，GraphQL 接口在 /graphql',
      en: 'No such path; the GraphQL endpoint is /graphql',
    }),
  );
}

/** Seconds a client is told to wait (`Retry-After`) before retrying a `SERVICE_UNAVAILABLE` answer. */
const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

interface SendingResponse {
  response: {
    http: { status?: number; headers: Map<string, string> };
    body:
      | {
          kind: 'single';
          singleResult: {
            data?: Record<string, unknown> | null;
            errors?: readonly { extensions?: Record<string, unknown> }[];
          };
        }
      | { kind: 'incremental' };
  };
}

/**
 * Apollo Server plugin (every subgraph and the gateway): an answer whose every error is
 * `SERVICE_UNAVAILABLE` and which carries no data (none, or only nulls at the top) is HTTP 503 with
 * `Retry-After`, not 200 — a client, proxy or load balancer sees an outage it may retry.
 */
export const serviceUnavailablePlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }: SendingResponse): Promise<void> {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        if (!errors || errors.length === 0) return;
        if (!errors.every((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE')) return;
        if (data && Object.values(data).some((value) => value !== null && value !== undefined)) return;
        response.http.status = 503;
        response.http.headers.set('retry-after', String(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS));
      },
    };
  },
};

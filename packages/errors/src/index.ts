import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { RuleId } from './rule-ids';
import { currentRequestId } from './request-scope';

export * from './rule-ids';
export * from './request-scope';
export * from './http';

/**
 * Coded, bilingual errors. Every refusal a user can cause carries a code a client can branch on
 * and a message a registrar can read in Chinese and English; policy refusals also name the rule.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'POLICY_VIOLATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  /** The HTTP request itself is malformed (body, content type, method, batching, …). */
  | 'BAD_REQUEST'
  /** The request body is over the endpoint's size limit (HTTP 413). */
  | 'PAYLOAD_TOO_LARGE'
  /** A subgraph was called other than through the gateway: no or a wrong gateway secret (HTTP 403). */
  | 'GATEWAY_REQUIRED'
  /** A dependency (the service's database) is unreachable for now: retry later (HTTP 503). */
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export interface BilingualMessage {
  zh: string;
  en: string;
}

export interface CodedErrorExtensions {
  code: ErrorCode;
  /** Rule id such as `SC-13`; present on POLICY_VIOLATION. */
  rule?: RuleId;
  messageZh: string;
  messageEn: string;
  /** Field-level details for BAD_USER_INPUT, facts for POLICY_VIOLATION. */
  details?: Record<string, unknown>;
}

export function bilingual(message: BilingualMessage): string {
  return `${message.zh} / ${message.en}`;
}

export class CodedError extends GraphQLError {
  readonly code: ErrorCode;
  readonly rule?: RuleId;

  constructor(
    code: ErrorCode,
    message: BilingualMessage,
    extra: { rule?: RuleId; details?: Record<string, unknown> } = {},
  ) {
    const extensions: CodedErrorExtensions = {
      code,
      messageZh: message.zh,
      messageEn: message.en,
      ...(extra.rule ? { rule: extra.rule } : {}),
      ...(extra.details ? { details: extra.details } : {}),
    };
    super(bilingual(message), { extensions: extensions as unknown as Record<string, unknown> });
    this.code = code;
    this.rule = extra.rule;
  }
}

export const badUserInput = (message: BilingualMessage, details?: Record<string, unknown>): CodedError =>
  new CodedError('BAD_USER_INPUT', message, { details });

export const unauthenticated = (
  message: BilingualMessage = {
    zh: '需要登录：缺少或无效的身份令牌',
    en: 'Authentication required: missing or invalid token',
  },
): CodedError => new CodedError('UNAUTHENTICATED', message);

export const forbidden = (
  message: BilingualMessage = { zh: '无权执行此操作', en: 'You are not allowed to do this' },
): CodedError => new CodedError('FORBIDDEN', message);

export const notFound = (message: BilingualMessage): CodedError => new CodedError('NOT_FOUND', message);

export const conflict = (message: BilingualMessage, details?: Record<string, unknown>): CodedError =>
  new CodedError('CONFLICT', message, { details });

/** A refusal by a numbered rule of POLICY.md, e.g. `policyViolation('SC-13', …)`. */
export const policyViolation = (rule: RuleId, message: BilingualMessage, facts?: Record<string, unknown>): CodedError =>
  new CodedError('POLICY_VIOLATION', message, { rule, details: facts });

/**
 * Every code a client can get, with its HTTP status and meaning (README, "Error codes", lists the
 * same). Apollo Server assigns the `GRAPHQL_*`, `PERSISTED_QUERY_*` and `OPERATION_RESOLUTION_FAILURE`
 * codes itself, and `BAD_REQUEST` for a malformed HTTP request: user input, not faults.
 */
export const CLIENT_ERROR_CODES = {
  BAD_REQUEST: { status: 400, meaning: 'malformed HTTP request (body, content type, method, batching, CSRF)' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'request body over the size limit' },
  GATEWAY_REQUIRED: {
    status: 403,
    meaning: 'a subgraph called directly, not through the gateway (missing or wrong gateway secret)',
  },
  GRAPHQL_PARSE_FAILED: { status: 400, meaning: 'the query is not valid GraphQL syntax' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, meaning: 'the query does not fit the schema (or introspection is off)' },
  OPERATION_RESOLUTION_FAILURE: {
    status: 400,
    meaning: 'no single operation to run: several without operationName, or an unknown operationName',
  },
  PERSISTED_QUERY_NOT_FOUND: { status: 200, meaning: 'automatic persisted query not known yet: send the query' },
  PERSISTED_QUERY_NOT_SUPPORTED: { status: 200, meaning: 'persisted queries are not supported' },
  BAD_USER_INPUT: {
    status: 200,
    meaning: 'an argument is invalid (details name the field); HTTP 400 for a variable of the wrong type',
  },
  UNAUTHENTICATED: { status: 401, meaning: 'missing, invalid or expired token' },
  FORBIDDEN: { status: 200, meaning: 'the caller’s role or scope does not allow this' },
  POLICY_VIOLATION: { status: 200, meaning: 'refused by a rule of the policy profile (extensions.rule)' },
  NOT_FOUND: { status: 200, meaning: 'no such record (within the caller’s scope)' },
  CONFLICT: { status: 200, meaning: 'the record is not in a state that allows this' },
  RATE_LIMITED: {
    status: 429,
    meaning: 'too many operations without an account from one client (the public lookup); retry after Retry-After',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    meaning:
      'a service’s database is unreachable, or its file work is at its bound, for now; nothing was done: retry later (extensions.retryable)',
  },
  INTERNAL_SERVER_ERROR: { status: 500, meaning: 'a fault on our side; extensions.requestId names the log line' },
} as const;

const KNOWN_CODES = new Set<string>(Object.keys(CLIENT_ERROR_CODES).filter((code) => code !== 'INTERNAL_SERVER_ERROR'));

/** Chinese for the codes Apollo Server assigns with an English message of its own. */
const APOLLO_CODES_ZH: Record<string, string> = {
  BAD_REQUEST: '请求格式无效',
  GRAPHQL_PARSE_FAILED: '查询语法错误',
  GRAPHQL_VALIDATION_FAILED: '查询不符合接口定义',
  OPERATION_RESOLUTION_FAILURE: '无法确定要执行的操作',
  PERSISTED_QUERY_NOT_FOUND: '未找到持久化查询',
  PERSISTED_QUERY_NOT_SUPPORTED: '不支持持久化查询',
  BAD_USER_INPUT: '输入无效',
  UNAUTHENTICATED: '需要登录',
};

const UNAVAILABLE: BilingualMessage = {
  zh: '服务暂时不可用（数据库无法连接），本次操作未执行，请稍后重试',
  en: 'Service temporarily unavailable (database unreachable); nothing was done, please retry later',
};

/** SQLSTATEs and socket codes that say the database cannot be reached now, not that the request is wrong. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  '57P01', // admin_shutdown: the backend was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
]);

/** Driver messages without a code for the same: a pool that cannot connect, a connection cut. */
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /is not currently accepting connections/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
];

/**
 * Does this error (or one it wraps: `originalError`, `cause`, `driverError`) say that the database
 * is unreachable — refused, cut off, shutting down, not accepting connections (codes such as
 * ECONNREFUSED, 57P01, 08xxx)? Then the work was not done and can be retried: the inbox redelivers
 * the event, and a client is answered `SERVICE_UNAVAILABLE`.
 */
export function isUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, message, originalError, cause, driverError } = e as {
      code?: unknown;
      message?: unknown;
      originalError?: unknown;
      cause?: unknown;
      driverError?: unknown;
    };
    const text = typeof code === 'string' || typeof code === 'number' ? String(code) : '';
    if (UNAVAILABLE_CODES.has(text) || /^08[0-9A-Z]{3}$/.test(text)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    queue.push(originalError, cause, driverError);
  }
  return false;
}

/** The message of every INTERNAL_SERVER_ERROR (Apollo's `formatError` and the HTTP error handler). */
export const INTERNAL_ERROR_MESSAGE: BilingualMessage = {
  zh: '服务器内部错误，请稍后重试',
  en: 'Internal server error, please retry later',
};

export interface ErrorFormatOptions {
  /** Keep `extensions.stacktrace` (the development setting XUEJI_DEBUG_ERRORS); by default none. */
  debug?: boolean;
  /** The request answered; by default the one in `requestScope`. */
  requestId?: string;
  /** Log an internal fault, with the request id the caller is shown. */
  onInternal?: (error: unknown, requestId: string | undefined) => void;
}

/** A message of Apollo's (English, or already "中文 / English") as a bilingual one. */
function bilingualFromApollo(code: string, message: string): BilingualMessage {
  const split = /[\u4e00-\u9fff]/.test(message) ? message.indexOf(' / ') : -1;
  if (split > 0) return { zh: message.slice(0, split), en: message.slice(split + 3) };
  return { zh: APOLLO_CODES_ZH[code] ?? '请求无效', en: message };
}

/**
 * Apollo `formatError`: coded errors pass through (Apollo's own codes made bilingual); anything else
 * is an internal fault, reported to the caller without internals but with the request id, and
 * handed to `onInternal` for logging. Stack traces only when `debug` asks for them.
 */
export function formatCodedError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: ErrorFormatOptions = {},
): GraphQLFormattedError {
  const { stacktrace, ...extensions } = formatted.extensions ?? {};
  const trace = options.debug && stacktrace !== undefined ? { stacktrace } : {};
  const code = extensions.code;
  if (typeof code === 'string' && KNOWN_CODES.has(code)) {
    if (typeof extensions.messageZh === 'string' && typeof extensions.messageEn === 'string') {
      return { ...formatted, extensions: { ...extensions, ...trace } };
    }
    const message = bilingualFromApollo(code, formatted.message);
    return {
      ...formatted,
      message: bilingual(message),
      extensions: { ...extensions, messageZh: message.zh, messageEn: message.en, ...trace },
    };
  }
  const requestId = options.requestId ?? currentRequestId();
  options.onInternal?.(error, requestId);
  if (isUnavailable(error)) {
    // The database unreachable: nothing was done, and the same request can be retried.
    return {
      message: bilingual(UNAVAILABLE),
      locations: formatted.locations,
      path: formatted.path,
      extensions: {
        code: 'SERVICE_UNAVAILABLE',
        messageZh: UNAVAILABLE.zh,
        messageEn: UNAVAILABLE.en,
        retryable: true,
        ...(requestId ? { requestId } : {}),
        ...trace,
      },
    };
  }
  return {
    message: bilingual(INTERNAL_ERROR_MESSAGE),
    locations: formatted.locations,
    path: formatted.path,
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      messageZh: INTERNAL_ERROR_MESSAGE.zh,
      messageEn: INTERNAL_ERROR_MESSAGE.en,
      ...(requestId ? { requestId } : {}),
      ...trace,
    },
  };
}

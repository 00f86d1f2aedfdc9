import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { RuleId } from './rule-ids';

export * from './rule-ids';

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

const KNOWN_CODES = new Set<string>([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'POLICY_VIOLATION',
  'NOT_FOUND',
  'CONFLICT',
  // Codes Apollo Server itself assigns to malformed operations: user input, not faults.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const INTERNAL: BilingualMessage = {
  zh: '服务器内部错误，请稍后重试',
  en: 'Internal server error, please retry later',
};

/**
 * Apollo `formatError`: coded errors pass through unchanged; anything else is an internal fault,
 * reported to the caller without internals and handed to `onInternal` for logging.
 */
export function formatCodedError(
  formatted: GraphQLFormattedError,
  error: unknown,
  onInternal: (error: unknown) => void = () => undefined,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && KNOWN_CODES.has(code)) return formatted;
  onInternal(error);
  return {
    message: bilingual(INTERNAL),
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', messageZh: INTERNAL.zh, messageEn: INTERNAL.en },
  };
}

import { z } from 'zod';
import { chinaDay } from '@xueji/rules';
import { SERVICES, SHARED_TOPICS, type ServiceName } from './catalogue';

/**
 * The broker's default limit (`message.max.bytes`, 1 MiB) less 64 KiB of headroom for the record
 * batch's framing: an event larger than this is refused when it is written, not when it is published.
 */
export const DEFAULT_OUTBOX_MAX_EVENT_BYTES = 1024 * 1024 - 64 * 1024;

/** Development-only signing secret; refused when NODE_ENV=production. */
export const DEV_JWT_SECRET = 'xueji-development-secret-do-not-use-in-production';

/** Development-only secret the gateway shows the subgraphs; refused when NODE_ENV=production. */
export const DEV_GATEWAY_SECRET = 'xueji-development-gateway-secret-do-not-use-in-production';

/** The header carrying XUEJI_GATEWAY_SECRET on every request the gateway sends a subgraph. */
export const GATEWAY_SECRET_HEADER = 'x-xueji-gateway-secret';

const EnvSchema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  XUEJI_PG_URL: z.string().url().default('postgres://xueji:xueji@127.0.0.1:55432/postgres'),
  KAFKA_BROKERS: z.string().default('127.0.0.1:59092'),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  XUEJI_JWT_SECRET: z.string().min(16).optional(),
  /** Shared by the gateway and the subgraphs: a subgraph answers only requests that carry it. */
  XUEJI_GATEWAY_SECRET: z.string().min(16).optional(),
  XUEJI_POLICY_PROFILE: z.string().default('national'),
  OUTBOX_RELAY_ENABLED: z.enum(['true', 'false']).default('true'),
  /** Largest event (key, value and headers, in bytes) a command may write to the outbox. */
  OUTBOX_MAX_EVENT_BYTES: z.coerce.number().int().positive().default(DEFAULT_OUTBOX_MAX_EVENT_BYTES),
  /** Failed publishes of one event, with the broker reachable, before the relay parks it. */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  /** false: this process serves GraphQL only, and another instance applies the events. */
  INBOX_CONSUMER_ENABLED: z.enum(['true', 'false']).default('true'),
  /** Fixes "today" (YYYY-MM-DD) for tests and demos; refused in production. */
  XUEJI_CLOCK_DATE: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Development only: errors carry `extensions.stacktrace` (server paths). Off unless `true`. */
  XUEJI_DEBUG_ERRORS: z.enum(['true', 'false']).default('false'),
  /** GraphQL introspection (`__schema`, `__type`); by default on except when NODE_ENV=production. */
  XUEJI_INTROSPECTION: z.enum(['true', 'false']).optional(),
  /**
   * Gateway: the proxies in front of it, whose X-Forwarded-For it believes for the client's address
   * (the public lookup's rate limit, GR-10). Unset: none; the address is the connection's.
   */
  XUEJI_TRUST_PROXY: z.string().optional(),
});

/** Environment variables a service reads (docker-compose and the start script set only these). */
export const SERVICE_ENV_KEYS = Object.keys(EnvSchema.shape) as (keyof typeof EnvSchema.shape)[];

export interface TopicNames {
  /** The topic this service's outbox publishes to. */
  own: string;
  /** Any service's topic, by service name. */
  of(service: ServiceName): string;
  partnerStatus: string;
  partnerEligibility: string;
  deadLetter: string;
}

export interface ServiceConfig {
  service: ServiceName;
  host: string;
  port: number;
  databaseUrl: string;
  kafkaBrokers: string[];
  topics: TopicNames;
  /** Kafka consumer group: one per service and deployment (the topic prefix keeps test stacks apart). */
  consumerGroup: string;
  jwtSecret: string;
  /** XUEJI_GATEWAY_SECRET: a request without it in `x-xueji-gateway-secret` is refused. */
  gatewaySecret: string;
  policyProfile: string;
  outboxRelayEnabled: boolean;
  /** Largest event the outbox accepts (OUTBOX_MAX_EVENT_BYTES): a command causing a larger one is refused. */
  outboxMaxEventBytes: number;
  /** Failed publishes before the relay parks an event (OUTBOX_MAX_ATTEMPTS). */
  outboxMaxPublishAttempts: number;
  inboxConsumerEnabled: boolean;
  logLevel: string;
  production: boolean;
  /** Errors carry stack traces (XUEJI_DEBUG_ERRORS=true; development only). */
  debugErrors: boolean;
  /** GraphQL introspection answered (XUEJI_INTROSPECTION; off by default in production). */
  introspection: boolean;
  /** Today's date where the schools are (China Standard Time), or the fixed test date. */
  today(): string;
  /**
   * The current instant: the real one, or under XUEJI_CLOCK_DATE that date at the current time of
   * day in China, so that everything the domain writes (event times, registration and decision
   * timestamps) agrees with `today()` and still orders within a run.
   */
  now(): Date;
}

const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** The date in China (UTC+8), which is what deadlines such as ENR-4's are counted in (`chinaDay` of @xueji/rules). */
export function chinaDate(at: Date = new Date()): string {
  return chinaDay(at);
}

/** Replace the database name in a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function topicNames(service: ServiceName, prefix = ''): TopicNames {
  return {
    own: prefix + SERVICES[service].topic,
    of: (other) => prefix + SERVICES[other].topic,
    partnerStatus: prefix + SHARED_TOPICS.partnerStatus,
    partnerEligibility: prefix + SHARED_TOPICS.partnerEligibility,
    deadLetter: prefix + SHARED_TOPICS.deadLetter,
  };
}

export function resolveJwtSecret(env: NodeJS.ProcessEnv = process.env): string {
  const parsed = EnvSchema.parse(env);
  if (parsed.XUEJI_JWT_SECRET) return parsed.XUEJI_JWT_SECRET;
  if (parsed.NODE_ENV === 'production') {
    throw new Error('XUEJI_JWT_SECRET must be set when NODE_ENV=production');
  }
  return DEV_JWT_SECRET;
}

/** The secret the gateway sends and the subgraphs require (XUEJI_GATEWAY_SECRET; required in production). */
export function resolveGatewaySecret(env: NodeJS.ProcessEnv = process.env): string {
  const parsed = EnvSchema.parse(env);
  if (parsed.XUEJI_GATEWAY_SECRET) return parsed.XUEJI_GATEWAY_SECRET;
  if (parsed.NODE_ENV === 'production') {
    throw new Error('XUEJI_GATEWAY_SECRET must be set when NODE_ENV=production');
  }
  return DEV_GATEWAY_SECRET;
}

/** How a GraphQL endpoint (a subgraph or the gateway) answers: introspection, stack traces in errors. */
export interface GraphqlEndpointSettings {
  introspection: boolean;
  debugErrors: boolean;
}

export function loadGraphqlEndpointSettings(env: NodeJS.ProcessEnv = process.env): GraphqlEndpointSettings {
  const parsed = EnvSchema.parse(env);
  if (parsed.XUEJI_DEBUG_ERRORS === 'true' && parsed.NODE_ENV === 'production') {
    throw new Error('XUEJI_DEBUG_ERRORS may not be set when NODE_ENV=production');
  }
  return {
    introspection: parsed.XUEJI_INTROSPECTION
      ? parsed.XUEJI_INTROSPECTION === 'true'
      : parsed.NODE_ENV !== 'production',
    debugErrors: parsed.XUEJI_DEBUG_ERRORS === 'true',
  };
}

/**
 * Express's `trust proxy`: `false` (trust no proxy; the default), a number of proxy hops, or the
 * proxies' addresses and subnets (`loopback`, `10.0.0.0/8`, `172.18.0.5`). `true` (every hop) is
 * refused: any client could then name its own address in X-Forwarded-For and escape the rate limit.
 */
export type TrustProxy = false | number | string[];

/** XUEJI_TRUST_PROXY: unset or `false` → false; `2` → two hops; `loopback, 10.0.0.0/8` → those proxies. */
export function loadTrustProxy(env: NodeJS.ProcessEnv = process.env): TrustProxy {
  const value = EnvSchema.parse(env).XUEJI_TRUST_PROXY?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true')
    throw new Error(
      'XUEJI_TRUST_PROXY=true would trust every hop; name the proxies (addresses, subnets) or their count',
    );
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > 10) throw new Error('XUEJI_TRUST_PROXY: a number of proxy hops is 1–10');
    return hops;
  }
  const proxies = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of proxies)
    if (!/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(p))
      throw new Error(`XUEJI_TRUST_PROXY: ${p} is not an address, a subnet, loopback, linklocal or uniquelocal`);
  return proxies;
}

/**
 * A service's configuration from the environment. `DATABASE_URL` wins; otherwise the service's
 * own database on the server named by `XUEJI_PG_URL` (what infra/up.sh writes).
 */
export function loadServiceConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = EnvSchema.parse(env);
  const entry = SERVICES[service];
  return {
    service,
    host: parsed.HOST,
    port: parsed.PORT ?? entry.port,
    databaseUrl: parsed.DATABASE_URL ?? withDatabase(parsed.XUEJI_PG_URL, entry.database),
    kafkaBrokers: parsed.KAFKA_BROKERS.split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    topics: topicNames(service, parsed.KAFKA_TOPIC_PREFIX),
    consumerGroup: `${parsed.KAFKA_TOPIC_PREFIX}${service}`,
    jwtSecret: resolveJwtSecret(env),
    gatewaySecret: resolveGatewaySecret(env),
    policyProfile: parsed.XUEJI_POLICY_PROFILE,
    outboxRelayEnabled: parsed.OUTBOX_RELAY_ENABLED === 'true',
    outboxMaxEventBytes: parsed.OUTBOX_MAX_EVENT_BYTES,
    outboxMaxPublishAttempts: parsed.OUTBOX_MAX_ATTEMPTS,
    inboxConsumerEnabled: parsed.INBOX_CONSUMER_ENABLED === 'true',
    logLevel: parsed.LOG_LEVEL,
    production: parsed.NODE_ENV === 'production',
    ...loadGraphqlEndpointSettings(env),
    ...fixedOrRealClock(parsed.XUEJI_CLOCK_DATE, parsed.NODE_ENV === 'production'),
  };
}

/** One clock: `today()` is always the China date of `now()`. */
export function fixedOrRealClock(fixed: string | undefined, production: boolean): { now(): Date; today(): string } {
  if (fixed && production) throw new Error('XUEJI_CLOCK_DATE may not be set when NODE_ENV=production');
  const now = fixed ? () => onFixedDate(fixed, new Date()) : () => new Date();
  return { now, today: () => chinaDate(now()) };
}

/** `date` (YYYY-MM-DD, in China) at the time of day `at` has in China. */
export function onFixedDate(date: string, at: Date): Date {
  const timeOfDayInChina = (at.getTime() + CHINA_OFFSET_MS) % DAY_MS;
  return new Date(Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS + timeOfDayInChina);
}

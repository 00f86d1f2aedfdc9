import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { issueToken, type Principal } from '@xueji/auth';
import {
  DEV_GATEWAY_SECRET,
  DEV_JWT_SECRET,
  GATEWAY_SECRET_HEADER,
  loadServiceConfig,
  withDatabase,
  type ServiceConfig,
  type ServiceName,
} from '@xueji/config';

export const TEST_JWT_SECRET = DEV_JWT_SECRET;

/** The gateway secret of the services a test starts (`testServiceConfig`). */
export const TEST_GATEWAY_SECRET = DEV_GATEWAY_SECRET;

/**
 * The header a subgraph requires, as the gateway sends it: a test calling a subgraph directly
 * stands in for the gateway. (The gateway ignores it.)
 */
export function gatewaySecretHeaders(secret: string = TEST_GATEWAY_SECRET): Record<string, string> {
  return { [GATEWAY_SECRET_HEADER]: secret };
}

export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** Set once per jest run by globalSetup; every topic and consumer group of the run starts with it. */
export const TEST_RUN_ENV = 'XUEJI_TEST_RUN';

/** `t<run>-`: what this run's Kafka topics and groups start with, so globalTeardown can delete them. */
export function testRunPrefix(): string {
  return `t${process.env[TEST_RUN_ENV] ?? 'local'}-`;
}

/** Topics of one test file (`t<run>-<suffix>.`): tests never see each other's events. */
export function testTopicPrefix(): string {
  return `${testRunPrefix()}${uniqueSuffix()}.`;
}

export function pgAdminUrl(): string {
  const url = process.env.XUEJI_PG_URL;
  if (!url) throw new Error('XUEJI_PG_URL is not set: run integration tests through jest (globalSetup)');
  return url;
}

export function kafkaBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run integration tests through jest (globalSetup)');
  return brokers.split(',');
}

/** A fresh, empty database for one test file. */
export async function createTestDatabase(label: string): Promise<string> {
  const name = `test_${label.replace(/[^a-z0-9]/g, '_')}_${uniqueSuffix()}`;
  const client = new Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return withDatabase(pgAdminUrl(), name);
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * A service's configuration for a test: its own database, topics under a prefix shared by the
 * services of one test (so tests never see each other's events), port 0.
 */
export function testServiceConfig(
  service: ServiceName,
  options: {
    databaseUrl: string;
    topicPrefix: string;
    profile?: string;
    relay?: boolean;
    port?: number;
    today?: string;
  },
): ServiceConfig {
  return loadServiceConfig(service, {
    NODE_ENV: 'test',
    PORT: String(options.port ?? 0),
    DATABASE_URL: options.databaseUrl,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_TOPIC_PREFIX: options.topicPrefix,
    XUEJI_JWT_SECRET: TEST_JWT_SECRET,
    XUEJI_GATEWAY_SECRET: TEST_GATEWAY_SECRET,
    XUEJI_POLICY_PROFILE: options.profile ?? 'national',
    OUTBOX_RELAY_ENABLED: options.relay === false ? 'false' : 'true',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...(options.today ? { XUEJI_CLOCK_DATE: options.today } : {}),
  });
}

export function tokenFor(principal: Principal): string {
  return issueToken(principal, TEST_JWT_SECRET, 3600);
}

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Send one operation over HTTP as the portal would (to a subgraph, as the gateway would). */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...gatewaySecretHeaders(),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/**
 * Wait until a started service answers `/ready` with 200: its database and Kafka answer and its
 * inbox consumer has joined its group (`startService` resolves before that).
 */
export async function waitUntilReady(service: { url: string }, timeoutMs = 40_000): Promise<void> {
  await waitFor(async () => (await fetch(service.url.replace(/\/graphql$/, '/ready'))).status === 200, {
    timeoutMs,
    intervalMs: 100,
    what: `${service.url} to be ready`,
  });
}

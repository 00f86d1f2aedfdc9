import { uniqueSuffix, TEST_RUN_ENV } from './fixtures';
import { provideInfrastructure, type TestInfrastructure } from './infrastructure';

declare global {
  var __XUEJI_INFRA__: TestInfrastructure | undefined;
}

/** Jest globalSetup of the integration project: the workers read the infrastructure from the environment. */
export default async function globalSetup(): Promise<void> {
  const infra = await provideInfrastructure();
  process.env.XUEJI_PG_URL = infra.pgUrl;
  process.env.KAFKA_BROKERS = infra.kafkaBrokers.join(',');
  process.env[TEST_RUN_ENV] = uniqueSuffix();
  globalThis.__XUEJI_INFRA__ = infra;
  process.stderr.write(`\n[testkit] PostgreSQL and Kafka from ${infra.provider}: ${infra.kafkaBrokers.join(',')}\n`);
}

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Where the tests find PostgreSQL and Kafka. */
export interface TestInfrastructure {
  /** Admin URL of a PostgreSQL server (database `postgres`). */
  pgUrl: string;
  kafkaBrokers: string[];
  provider: 'environment' | 'testcontainers' | 'infra-scripts';
  stop?: () => Promise<void>;
}

export const REPO_ROOT = path.resolve(__dirname, '../../..');

function containerRuntimeAvailable(): boolean {
  if (process.env.XUEJI_NO_TESTCONTAINERS === 'true') return false;
  const result = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 && result.stdout.trim().length > 0;
}

/** Where `infra/up.sh` writes the addresses of what it started (`$XUEJI_STATE_DIR/infra.env`). */
export function infraEnvFile(): string {
  return path.join(process.env.XUEJI_STATE_DIR ?? '/var/tmp/xueji', 'infra.env');
}

export function parseEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!;
  }
  return values;
}

async function fromTestcontainers(): Promise<TestInfrastructure> {
  // Loaded only where a container runtime exists; these packages are not needed otherwise.
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const pg = await new PostgreSqlContainer('postgres:15').withUsername('xueji').withPassword('xueji').start();
  const kafka = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
  return {
    pgUrl: `postgres://xueji:xueji@${pg.getHost()}:${pg.getPort()}/postgres`,
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    provider: 'testcontainers',
    stop: async () => {
      await kafka.stop();
      await pg.stop();
    },
  };
}

/**
 * Real PostgreSQL and Kafka for the tests, in this order of preference: services named in the
 * environment (`XUEJI_PG_URL` and `KAFKA_BROKERS`); Testcontainers when a container runtime
 * answers; otherwise the `infra/` scripts, which start both on this machine.
 */
export async function provideInfrastructure(): Promise<TestInfrastructure> {
  if (process.env.XUEJI_PG_URL && process.env.KAFKA_BROKERS) {
    return {
      pgUrl: process.env.XUEJI_PG_URL,
      kafkaBrokers: process.env.KAFKA_BROKERS.split(','),
      provider: 'environment',
    };
  }
  if (containerRuntimeAvailable()) return fromTestcontainers();
  execFileSync('bash', [path.join(REPO_ROOT, 'infra/up.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const envFile = infraEnvFile();
  if (!existsSync(envFile)) throw new Error(`infra/up.sh did not write ${envFile}`);
  const values = parseEnvFile(envFile);
  return { pgUrl: values.XUEJI_PG_URL!, kafkaBrokers: values.KAFKA_BROKERS!.split(','), provider: 'infra-scripts' };
}

import { existsSync } from 'node:fs';
import { infraEnvFile, parseEnvFile } from '@xueji/testkit';

/** XUEJI_PG_URL and KAFKA_BROKERS from the environment, else from the running infrastructure's file. */
export function loadInfraEnv(): void {
  const file = infraEnvFile();
  const values = existsSync(file) ? parseEnvFile(file) : {};
  for (const [key, value] of Object.entries(values)) process.env[key] ??= value;
  if (!process.env.XUEJI_PG_URL || !process.env.KAFKA_BROKERS) {
    throw new Error(`set XUEJI_PG_URL and KAFKA_BROKERS, or provide ${file} (bash infra/up.sh)`);
  }
}

/** Run a benchmark's main: exit 0 when it is done (open handles or not), 1 with the error printed. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

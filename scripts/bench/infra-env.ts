import { readFileSync } from 'node:fs';

/** Where `infra/up.sh` writes the running infrastructure's addresses. */
export const INFRA_ENV = '/var/tmp/xueji/infra.env';

/** XUEJI_PG_URL and KAFKA_BROKERS from the environment, else from the running infrastructure's file. */
export function loadInfraEnv(): void {
  let text = '';
  try {
    text = readFileSync(INFRA_ENV, 'utf8');
  } catch {
    // fall back to the environment alone
  }
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m && process.env[m[1]!] === undefined) process.env[m[1]!] = m[2]!.trim().replace(/^["']|["']$/g, '');
  }
  if (!process.env.XUEJI_PG_URL || !process.env.KAFKA_BROKERS) {
    throw new Error(`set XUEJI_PG_URL and KAFKA_BROKERS, or provide ${INFRA_ENV}`);
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

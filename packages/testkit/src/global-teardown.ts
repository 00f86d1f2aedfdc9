/** Stops containers started for the run; infra-script services stay up for the next run. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__XUEJI_INFRA__?.stop?.();
}

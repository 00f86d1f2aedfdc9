/**
 * One subgraph in a process of its own, for request-memory.ts, province-scale.ts and webhook-fanout.ts:
 * its RSS and CPU time are then the service's alone.
 * `node --expose-gc --import tsx scripts/bench/serve-one.ts <service> '<options as JSON>'`, spawned
 * with an IPC channel. Starts the service with `testServiceConfig` (the database, topic prefix,
 * clock and relay given in the options), sends `{ url, pid }` when it listens; answers `gc` (a full
 * collection, then `{ gc: true }`) and stops on `stop`, on SIGTERM or when the parent goes away.
 */
import { SERVICE_NAMES, type ServiceName } from '@xueji/config';
import { startService, type RunningService } from '@xueji/service-kit';
import { testServiceConfig } from '@xueji/testkit';
import { loadServiceDefinition } from '../lib/service-definition';

/** Only the one service's code is loaded, so the baseline is that service's. */

export interface ServeOneOptions {
  databaseUrl: string;
  topicPrefix: string;
  today: string;
  relay: boolean;
}

async function main(): Promise<void> {
  const name = process.argv[2] as ServiceName;
  const options = JSON.parse(process.argv[3] ?? '{}') as ServeOneOptions;
  if (!SERVICE_NAMES.includes(name) || !process.send)
    throw new Error(`usage: serve-one.ts <${SERVICE_NAMES.join('|')}> <json>`);
  const service: RunningService = await startService(
    await loadServiceDefinition(name),
    testServiceConfig(name, options),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    service.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (message) => {
    if (message === 'gc') {
      global.gc?.();
      process.send!({ gc: true });
    } else if (message === 'stop') stop();
  });
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  process.send({ url: service.url, pid: process.pid });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

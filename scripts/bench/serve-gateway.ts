/**
 * The gateway in a process of its own, for province-scale.ts: its CPU time is then the gateway's
 * alone. `node --import tsx scripts/bench/serve-gateway.ts '<options as JSON>'`, spawned with an
 * IPC channel. Starts `startGateway` with the committed supergraph, the test secrets and the
 * subgraph URLs given; sends `{ url, pid }` when it listens; stops on `stop`, on SIGTERM or when
 * the parent goes away.
 */
import { TEST_GATEWAY_SECRET, TEST_JWT_SECRET } from '@xueji/testkit';
import { startGateway } from '../../gateway/src/gateway';
import { readCommittedSupergraph } from '../../gateway/src/supergraph';

export interface ServeGatewayOptions {
  subgraphUrls: Record<string, string>;
  logLevel?: string;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ServeGatewayOptions;
  if (!process.send) throw new Error('usage: serve-gateway.ts <json>, spawned with an IPC channel');
  const gateway = await startGateway({
    supergraphSdl: readCommittedSupergraph(),
    subgraphUrls: options.subgraphUrls,
    jwtSecret: TEST_JWT_SECRET,
    gatewaySecret: TEST_GATEWAY_SECRET,
    port: 0,
    logLevel: options.logLevel,
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (message) => {
    if (message === 'stop') stop();
  });
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  process.send({ url: gateway.url, pid: process.pid });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * Hive Router (the Guild's federation router in Rust, MIT, `cargo install hive-router`) in front of
 * the same supergraph and subgraphs as the Apollo gateway, for issue 13's side-by-side: a config
 * written to a temporary directory (the committed supergraph, the subgraphs' URLs, the gateway
 * secret inserted and the caller's token and request id passed on, as `gateway/src/gateway.ts`
 * does), the binary started with it, resolved once `/health` answers. Used by province-scale.ts
 * with `--hive-router <binary>`; docs/decisions.md ("Hive Router") has the figures and the decision.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GATEWAY_SECRET_HEADER } from '@xueji/config';
import { REPO_ROOT } from '@xueji/testkit';
import { killedOnExit, stopped, type Child } from './children';

export interface HiveRouterOptions {
  binary: string;
  subgraphUrls: Record<string, string>;
  gatewaySecret: string;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The router's configuration (YAML is a superset of JSON, so it is written as JSON). */
export function hiveRouterConfig(options: Omit<HiveRouterOptions, 'binary'>, port: number): object {
  return {
    supergraph: { source: 'file', path: path.join(REPO_ROOT, 'gateway', 'supergraph.graphql') },
    http: { host: '127.0.0.1', port },
    log: { level: 'warn' },
    override_subgraph_urls: {
      subgraphs: Object.fromEntries(Object.entries(options.subgraphUrls).map(([name, url]) => [name, { url }])),
    },
    // Off: the router would otherwise answer identical subgraph requests in flight at once (same
    // token, same query) with one response, and the benchmark's clients all read one student; the
    // comparison is of what one read costs, as the Apollo gateway (which has no such sharing) pays it.
    traffic_shaping: { all: { dedupe_enabled: false } },
    headers: {
      all: {
        request: [
          { propagate: { named: ['authorization', 'x-request-id'] } },
          { insert: { name: GATEWAY_SECRET_HEADER, value: options.gatewaySecret } },
        ],
      },
    },
  };
}

export async function startHiveRouter(options: HiveRouterOptions): Promise<Child> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'hive-router-'));
  const configPath = path.join(dir, 'router.config.yaml');
  writeFileSync(configPath, JSON.stringify(hiveRouterConfig(options, port), null, 2));
  const proc = spawn(options.binary, [], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ROUTER_CONFIG_FILE_PATH: configPath },
  });
  killedOnExit(proc);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  for (let waited = 0; ; waited += 100) {
    if (proc.exitCode !== null) throw new Error(`hive-router exited (${proc.exitCode}) before it listened`);
    const healthy = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (waited > 30_000) throw new Error('hive-router did not answer /health within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name: 'hive-router',
    pid: proc.pid!,
    url: `${base}/graphql`,
    process: proc,
    async stop() {
      await stopped(proc, exited, () => proc.kill('SIGTERM'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

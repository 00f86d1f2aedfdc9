/**
 * The benchmarks' child processes: a script (`serve-one.ts`, `serve-gateway.ts`) run by Node with
 * tsx, which reports `{ url, pid }` over IPC once it listens and stops on the message `stop`; and
 * the CPU time a process has used, from /proc. Every child still running when the benchmark exits
 * is killed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@xueji/testkit';

export interface Child {
  name: string;
  pid: number;
  url: string;
  /** The process itself, for messages of a script's own (e.g. serve-one's `gc`). */
  process: ChildProcess;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.exitCode === null && c.pid && process.kill(c.pid, 'SIGKILL')));

/** Kill `proc` if it is still running when the benchmark exits. */
export function killedOnExit(proc: ChildProcess): ChildProcess {
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  return proc;
}

/** Start `script` (a file of scripts/bench) with `args`; resolves once it listens. */
export async function spawnChild(
  name: string,
  script: string,
  args: string[],
  options: { nodeArgs?: string[]; stdout?: 'ignore' | 'inherit'; logLevel?: string } = {},
): Promise<Child> {
  const proc = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', path.join(__dirname, script), ...args],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', options.stdout ?? 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? options.logLevel ?? 'info' },
    },
  );
  killedOnExit(proc);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const started = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    proc.once('message', (m) => resolve(m as { url: string; pid: number }));
    void exited.then(() => reject(new Error(`${name} exited (${proc.exitCode}) before it listened`)));
  });
  return {
    name,
    ...started,
    process: proc,
    stop: () => stopped(proc, exited, () => proc.send('stop')),
  };
}

/** Ask a child to stop (`ask`), kill it if it has not exited 15 s later; resolves once it has. */
export async function stopped(proc: ChildProcess, exited: Promise<void>, ask: () => void): Promise<void> {
  if (proc.exitCode === null) ask();
  const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killer);
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time (user + system) of a process so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is the state (field 3)
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/**
 * CPU time (user + system) of every PostgreSQL process on the machine so far, in ms: the server's
 * share of a workload (its backends come and go, so a run's figure is the difference of the sum).
 */
export function postgresCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      total += cpuMs(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

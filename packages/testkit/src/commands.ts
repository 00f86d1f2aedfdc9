import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './infrastructure';

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A repository script (`packages/outbox/src/cli.ts`, `scripts/inbox.ts`, …) run as its `pnpm`
 * script runs it — Node with tsx's loader, from the repository root — in a child process with
 * `env` over this one's; resolves when it exits, with what it printed.
 */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CommandRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/**
 * A service's or the gateway's `main` (e.g. `services/enrolment/src/main.ts`) started as `pnpm
 * start` starts it: one process, Node with tsx's loader, so a signal reaches the service itself,
 * not a wrapper; PORT 0, `env` over this process's. Resolves with the URL it logs once it serves;
 * rejects with its output if it exits first or has not started within `timeoutMs`.
 */
export async function startProcess(
  name: string,
  main: string,
  env: Record<string, string>,
  timeoutMs: number,
  /** Told of the process at once (to stop it later even if it never comes up). */
  onSpawn: (child: ChildProcess, exited: Promise<number | null>) => void = () => undefined,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'info' },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  onSpawn(child, exited);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /"url":"(http:[^"]+)"/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
  return { child, url, exited };
}

import { spawn } from 'node:child_process';
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

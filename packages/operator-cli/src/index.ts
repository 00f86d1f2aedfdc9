/**
 * What the operator commands for held-back events (`pnpm outbox`, `pnpm inbox`) share: the
 * arguments (`--service`, a command with an event id, `--reason`, `--operator`, `--help`), the
 * refusal of bad ones (the message and the usage, exit 2), who acts for the audit trail, and the
 * plain-message failure (exit 1, no stack trace).
 */
import os from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SERVICE_NAMES, type ServiceName } from '@xueji/config';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface OperatorCli {
  /** The options given, by name (a command's own ones as declared in `operatorCli`). */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** The service named by `--service`, if any and if it is one. */
  service: ServiceName | undefined;
  /** Refuse the arguments: the message and the usage on stderr, exit 2. */
  fail(message: string): never;
  /** Who acts, for the audit trail: `--operator`, else the login name. */
  operator: { subject: string; role: 'OPERATOR' };
}

/** Parse the arguments (`--help` prints `usage` and exits 0); the common options are added to `options`. */
export function operatorCli(usage: string, options: Options = {}): OperatorCli {
  const fail = (message: string): never => {
    process.stderr.write(`${message}\n\n${usage}`);
    process.exit(2);
  };
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        service: { type: 'string' },
        reason: { type: 'string' },
        operator: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        ...options,
      },
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const values = parsed!.values as OperatorCli['values'];
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const service = values.service as ServiceName | undefined;
  const given = values.operator as string | undefined;
  return {
    values,
    positionals: parsed!.positionals,
    service: service !== undefined && SERVICE_NAMES.includes(service) ? service : undefined,
    fail,
    operator: { subject: given ?? process.env.USER ?? os.userInfo().username, role: 'OPERATOR' },
  };
}

/**
 * A command on held-back events of one service: `<list command>`, `release <event id>` or
 * `discard <event id> --reason …`. Refuses anything else through `cli.fail`.
 */
export function eventCommand<L extends string>(
  cli: OperatorCli,
  listCommand: L,
): { service: ServiceName; command: L | 'release' | 'discard'; eventId: string | undefined } {
  const [command, eventId, ...extra] = cli.positionals;
  if (!cli.service) cli.fail('--service must name a service');
  if (extra.length > 0) cli.fail(`unexpected arguments: ${extra.join(' ')}`);
  if (command !== listCommand && command !== 'release' && command !== 'discard') {
    cli.fail(command ? `unknown command "${command}"` : 'a command is required');
  }
  if (command !== listCommand && !eventId) cli.fail(`${command} needs an event id`);
  if (command === listCommand && eventId) cli.fail(`unexpected argument: ${eventId}`);
  if (command === 'discard' && !String(cli.values.reason ?? '').trim()) {
    cli.fail('discard needs --reason "…"');
  }
  return { service: cli.service!, command: command as L | 'release' | 'discard', eventId };
}

/** Run the command; a failure is one plain line (an operator's own error as it is) and exit 1. */
export function runOperatorCommand(
  work: () => Promise<void>,
  isOperatorError: (error: unknown) => boolean,
  what: string,
): void {
  work().catch((error: unknown) => {
    // A plain message, no stack trace: an unknown event, or a database that cannot be reached or is not migrated.
    const message = error instanceof Error ? error.message : String(error);
    console.error(isOperatorError(error) ? message : `${what}: ${message}`);
    process.exit(1);
  });
}

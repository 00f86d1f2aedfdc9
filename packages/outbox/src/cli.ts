/**
 * The operator's command for parked outbox events (events the relay set aside because the broker
 * refused them for good, or they kept failing while the broker answered):
 *
 *   pnpm outbox --service <name> list-parked
 *   pnpm outbox --service <name> release <event id>
 *   pnpm outbox --service <name> discard <event id> --reason "…"
 *
 * Connects to the service's database (DATABASE_URL, or its database on XUEJI_PG_URL). Release and
 * discard are recorded in the service's audit_entry with the operator's name.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadServiceConfig, SERVICE_NAMES, type ServiceName } from '@xueji/config';
import { createDataSource } from '@xueji/db';
import { discardParked, listParked, OperatorError, releaseParked } from './operator';

const USAGE = `Usage: pnpm outbox --service <name> <command>

Events a service's outbox relay parked: the broker refused them for good (e.g. too large), or they
kept failing while the broker answered. Each is in the dead-letter topic; the same student's later
events wait behind it.

Commands:
  list-parked                      the parked events, with their error and the events waiting behind them
  release <event id>               publish it again (after fixing the cause); parked again if it still fails
  discard <event id> --reason ...  resolve it without publishing; the waiting events go on

Options:
  --service <name>     ${SERVICE_NAMES.join(' | ')}
  --reason <text>      why it is discarded (required for discard; kept in audit_entry)
  --operator <name>    who acts, for the audit trail (default: $USER)
  -h, --help           print this help

The database is the service's DATABASE_URL, or its own database on XUEJI_PG_URL.
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      service: { type: 'string' },
      reason: { type: 'string' },
      operator: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const { values, positionals } = parsed;

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const service = values.service as ServiceName | undefined;
if (!service || !SERVICE_NAMES.includes(service)) fail('--service must name a service');
const [commandName, eventId, ...extra] = positionals;
if (extra.length > 0) fail(`unexpected arguments: ${extra.join(' ')}`);
if (commandName !== 'list-parked' && commandName !== 'release' && commandName !== 'discard') {
  fail(commandName ? `unknown command "${commandName}"` : 'a command is required');
}
if (commandName !== 'list-parked' && !eventId) fail(`${commandName} needs an event id`);
if (commandName === 'discard' && !values.reason?.trim()) fail('discard needs --reason "…"');

async function main(): Promise<void> {
  const config = loadServiceConfig(service!);
  const dataSource = createDataSource({
    url: config.databaseUrl,
    entities: [],
    migrations: [],
    poolSize: 1,
    applicationName: 'outbox-cli',
  });
  await dataSource.initialize();
  const operator = { subject: values.operator ?? process.env.USER ?? os.userInfo().username, role: 'OPERATOR' };
  try {
    if (commandName === 'list-parked') {
      const parked = await listParked(dataSource);
      if (parked.length === 0) console.log(`no parked events in ${service}`);
      for (const p of parked) {
        console.log(
          [
            p.eventId,
            p.type,
            `topic=${p.topic}`,
            `key=${p.key ?? '-'}`,
            `parked=${p.parkedAt.toISOString()}`,
            `attempts=${p.attempts}`,
            `waiting=${p.waiting}`,
            `error=${JSON.stringify(p.error)}`,
          ].join('  '),
        );
      }
    } else if (commandName === 'release') {
      await releaseParked(dataSource, eventId!, operator);
      console.log(`released ${eventId}: the relay publishes it now`);
    } else {
      await discardParked(dataSource, eventId!, values.reason!, operator);
      console.log(`discarded ${eventId}: it will not be published; the events behind it go on`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  // A plain message, no stack trace: an unknown event, or a database that cannot be reached or is not migrated.
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof OperatorError ? message : `outbox ${commandName} failed for ${service}: ${message}`);
  process.exit(1);
});

/**
 * The operator's command for parked outbox events (events the relay set aside because the broker
 * refused them for good, or they kept failing while the broker answered):
 *
 *   pnpm outbox --service <name> list-parked
 *   pnpm outbox --service <name> release <event id>
 *   pnpm outbox --service <name> discard <event id> --reason "…"
 *   pnpm outbox backlog [--service <name>] [--json]
 *
 * Connects to the service's database (DATABASE_URL, or its database on XUEJI_PG_URL). Release and
 * discard are recorded in the service's audit_entry with the operator's name.
 */
import { loadServiceConfig, SERVICE_NAMES, type ServiceName } from '@xueji/config';
import { createDataSource } from '@xueji/db';
import { eventCommand, operatorCli, runOperatorCommand } from '@xueji/operator-cli';
import {
  discardParked,
  formatAge,
  listParked,
  OperatorError,
  outboxBacklog,
  releaseParked,
  type OutboxBacklog,
} from './operator';

const USAGE = `Usage: pnpm outbox --service <name> <command>
       pnpm outbox backlog [--service <name>] [--json]

Events a service's outbox relay parked: the broker refused them for good (e.g. too large), or they
kept failing while the broker answered. Each is in the dead-letter topic; the same student's later
events wait behind it.

Commands:
  list-parked                      the parked events, with their error and the events waiting behind them
  release <event id>               publish it again (after fixing the cause); parked again if it still fails
  discard <event id> --reason ...  resolve it without publishing; the waiting events go on
  backlog                          each service's outbox (every service, or --service): events not yet
                                   published, age of the oldest, parked; and consumed events
                                   dead-lettered awaiting an operator (see pnpm inbox)

Options:
  --service <name>     ${SERVICE_NAMES.join(' | ')} (backlog: optional)
  --json               backlog: one JSON object per service, one line each
  --reason <text>      why it is discarded (required for discard; kept in audit_entry)
  --operator <name>    who acts, for the audit trail (default: $USER)
  -h, --help           print this help

The database is the service's DATABASE_URL, or its own database on XUEJI_PG_URL (backlog of
every service: their databases on XUEJI_PG_URL, so DATABASE_URL needs --service).
`;

const cli = operatorCli(USAGE, { json: { type: 'boolean', default: false } });
const values = cli.values;
if (cli.positionals[0] === 'backlog') {
  const [, ...extra] = cli.positionals;
  if (values.service !== undefined && !cli.service) cli.fail('--service must name a service');
  if (!cli.service && process.env.DATABASE_URL) cli.fail('DATABASE_URL names one database: backlog needs --service');
  if (extra.length > 0) cli.fail(`unexpected arguments: ${extra.join(' ')}`);
  backlog(cli.service ? [cli.service] : [...SERVICE_NAMES]).then(
    (readable) => process.exit(readable ? 0 : 1),
    (error: unknown) => {
      console.error(`outbox backlog failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
} else {
  const { service, command, eventId } = eventCommand(cli, 'list-parked');
  runOperatorCommand(
    () => main(service, command, eventId),
    (error) => error instanceof OperatorError,
    `outbox ${command} failed for ${service}`,
  );
}

/** Each service's backlog, read from its database; false when a database could not be read. */
async function backlog(services: ServiceName[]): Promise<boolean> {
  const results = await Promise.all(
    services.map(async (name): Promise<{ service: ServiceName } & (OutboxBacklog | { error: string })> => {
      const dataSource = createDataSource({
        url: loadServiceConfig(name).databaseUrl,
        entities: [],
        migrations: [],
        poolSize: 1,
        applicationName: 'outbox-cli',
      });
      try {
        await dataSource.initialize();
        return { service: name, ...(await outboxBacklog(dataSource)) };
      } catch (error) {
        return { service: name, error: error instanceof Error ? error.message : String(error) };
      } finally {
        if (dataSource.isInitialized) await dataSource.destroy();
      }
    }),
  );
  if (values.json) {
    for (const r of results) console.log(JSON.stringify(r));
  } else {
    const header = ['SERVICE', 'UNPUBLISHED', 'OLDEST', 'PARKED', 'DEAD-LETTERED'];
    const rows = results.map((r) =>
      'error' in r
        ? [r.service, `unreadable: ${r.error}`]
        : [
            r.service,
            String(r.unpublished),
            formatAge(r.oldestUnpublishedSeconds),
            String(r.parked),
            String(r.deadLettered),
          ],
    );
    const widths = header.map((h, i) =>
      Math.max(h.length, ...rows.filter((r) => r.length === header.length || i === 0).map((r) => r[i]!.length)),
    );
    for (const row of [header, ...rows])
      console.log(
        row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      );
  }
  return results.every((r) => !('error' in r));
}

async function main(
  service: ServiceName,
  commandName: 'list-parked' | 'release' | 'discard',
  eventId: string | undefined,
): Promise<void> {
  const config = loadServiceConfig(service);
  const dataSource = createDataSource({
    url: config.databaseUrl,
    entities: [],
    migrations: [],
    poolSize: 1,
    applicationName: 'outbox-cli',
  });
  await dataSource.initialize();
  const operator = cli.operator;
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
      await discardParked(dataSource, eventId!, String(values.reason), operator);
      console.log(`discarded ${eventId}: it will not be published; the events behind it go on`);
    }
  } finally {
    await dataSource.destroy();
  }
}

/**
 * The operator's command for dead-lettered consumed events (events a service could not apply:
 * malformed for its contract, or its handler kept failing):
 *
 *   pnpm inbox --service <name> list-dead-lettered [--after <event id>] [--limit <n>]
 *   pnpm inbox --service <name> release <event id>
 *   pnpm inbox --service <name> discard <event id> --reason "…"
 *
 * Connects to the service's database (DATABASE_URL, or its database on XUEJI_PG_URL). Release applies
 * the event with the service's own handlers; release and discard are recorded in the service's
 * audit_entry with the operator's name.
 */
import { loadServiceConfig, SERVICE_NAMES } from '@xueji/config';
import { createDataSource } from '@xueji/db';
import {
  DEAD_LETTERED_PAGE_MAX,
  discardDeadLettered,
  InboxOperatorError,
  listDeadLettered,
  releaseDeadLettered,
} from '@xueji/inbox';
import { eventCommand, operatorCli, runOperatorCommand } from '@xueji/operator-cli';
import { loadPolicyProfile } from '@xueji/policy';
import { createLogger, deploymentEnv, eventHandlersOf } from '@xueji/service-kit';
import { loadServiceDefinition } from './lib/service-definition';

const USAGE = `Usage: pnpm inbox --service <name> <command>

Events a service consumed but could not apply: malformed or breaking their contract, or their
handler kept failing. Each was copied to the dead-letter topic (xueji.dead-letter) and is kept in
the service's database, awaiting an operator (inbox_message.outcome = 'DEAD_LETTERED'); the service
went on with the events after it.

Commands:
  list-dead-lettered               the events awaiting an operator, oldest first: id, type, where it
                                   was read, the student (key), the error. Never the event's data.
  release <event id>               apply it again with the service's handlers, in one transaction
                                   (after fixing the cause); if it fails again it stays dead-lettered
                                   with the new error
  discard <event id> --reason ...  resolve it without applying it (outcome DISCARDED)

Options:
  --service <name>     ${SERVICE_NAMES.join(' | ')}
  --reason <text>      why it is discarded (required for discard; kept in audit_entry)
  --operator <name>    who acts, for the audit trail (default: $USER)
  --after <event id>   list-dead-lettered: the page after this event (the last one listed)
  --limit <n>          list-dead-lettered: events per page, 1-${DEAD_LETTERED_PAGE_MAX} (default 50)
  -h, --help           print this help

The database is the service's DATABASE_URL, or its own database on XUEJI_PG_URL. A released event
is applied after the student's later events that the service applied meanwhile.
`;

const cli = operatorCli(USAGE, { after: { type: 'string' }, limit: { type: 'string' } });
const { service, command: commandName, eventId } = eventCommand(cli, 'list-dead-lettered');
const limit = cli.values.limit === undefined ? 50 : Number(cli.values.limit);
if (!Number.isInteger(limit) || limit < 1 || limit > DEAD_LETTERED_PAGE_MAX) {
  cli.fail(`--limit must be 1 to ${DEAD_LETTERED_PAGE_MAX}`);
}

async function main(): Promise<void> {
  const definition = await loadServiceDefinition(service);
  const config = loadServiceConfig(service);
  const dataSource = createDataSource({
    url: config.databaseUrl,
    entities: definition.entities,
    migrations: [],
    poolSize: 1,
    applicationName: 'inbox-cli',
  });
  await dataSource.initialize();
  const operator = cli.operator;
  try {
    if (commandName === 'list-dead-lettered') {
      const page = await listDeadLettered(dataSource, {
        after: (cli.values.after as string | undefined) ?? null,
        limit,
      });
      if (page.events.length === 0) console.log(`no dead-lettered events in ${service}`);
      for (const e of page.events) {
        console.log(
          [
            e.eventId,
            e.type,
            e.topic === null ? 'message=not-kept' : `topic=${e.topic}/${e.partition}@${e.offset}`,
            `key=${e.key ?? '-'}`,
            `dead-lettered=${e.deadLetteredAt.toISOString()}`,
            `releases=${e.releases}`,
            `error=${JSON.stringify(e.error)}`,
          ].join('  '),
        );
      }
      if (page.hasMore) {
        console.log(`more: pnpm inbox --service ${service} list-dead-lettered --after ${page.events.at(-1)!.eventId}`);
      }
    } else if (commandName === 'release') {
      const logger = createLogger(`${service}-inbox-cli`, config.logLevel);
      const handlers = eventHandlersOf(
        definition,
        deploymentEnv(config, loadPolicyProfile(config.policyProfile), logger),
      );
      const result = await releaseDeadLettered(dataSource, eventId!, handlers, operator);
      if (!result.applied) {
        console.error(`release of ${eventId} failed again; it stays dead-lettered: ${result.error}`);
        process.exitCode = 1;
      } else {
        console.log(`released ${eventId}: applied`);
      }
    } else {
      await discardDeadLettered(dataSource, eventId!, String(cli.values.reason), operator);
      console.log(`discarded ${eventId}: resolved without applying it`);
    }
  } finally {
    await dataSource.destroy();
  }
}

runOperatorCommand(main, (error) => error instanceof InboxOperatorError, `inbox ${commandName} failed for ${service}`);

/**
 * The operator's replay of a service's read model from the topics it consumes:
 *
 *   pnpm replay --service <name> [--into <new database>]
 *
 * With the service stopped and DATABASE_URL (or its database on XUEJI_PG_URL) pointing at a new,
 * empty database: applies every event still on the topics in the order they happened, marks the
 * events it made as published (the live run published them already), and moves the service's
 * consumer group to where the replay ended. Then start the service on that database.
 *
 * `--into <name>` creates that database on the service's PostgreSQL server first (and drops it
 * again if the replay fails), and prints how to start the service on it. Either way the replay
 * refuses to start while the service's consumer group still has members.
 */
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { loadServiceConfig, SERVICE_NAMES, SERVICES, withDatabase, type ServiceName } from '@xueji/config';
import { createKafkaEventBus } from '@xueji/event-bus';
import { replayReadModel, ReplayRefused } from '@xueji/service-kit';
import { loadServiceDefinition } from './lib/service-definition';

const USAGE = `Usage: pnpm replay --service <name> [--into <new database>]

Rebuilds a service's read model from the topics it consumes, into a new, empty database: every
event still on the topics is applied again, in the order the events happened. Stop the service
first (its consumer group must have no member: the replay checks). Then start the service on the
new database: it goes on from where the replay ended.

Options:
  --service <name>   ${SERVICE_NAMES.join(' | ')}
  --into <database>  create this database (a new name: lower-case letters, digits, _) on the
                     service's PostgreSQL server and replay into it; dropped again if the replay
                     fails. Prints how to start the service on it. Without --into, DATABASE_URL
                     (or the service's database on XUEJI_PG_URL) must name a new, empty database.
  -h, --help         print this help
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let values: { service?: string; into?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      service: { type: 'string' },
      into: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const service = values.service as ServiceName | undefined;
if (!service || !SERVICE_NAMES.includes(service)) fail('--service must name a service');
const into = values.into;
if (into !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(into)) {
  fail('--into must be a database name: lower-case letters, digits and _, at most 63, not starting with a digit');
}

/** A URL as it may be printed: without its password. */
function printable(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Run `sql` on the server of `url`, connected to its maintenance database. */
async function onServer<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const config = loadServiceConfig(service!);
  const bus = createKafkaEventBus({ brokers: config.kafkaBrokers, clientId: `xueji-${service}-replay` });
  let created: string | null = null;
  try {
    const members = (await bus.groupMembers?.(config.consumerGroup)) ?? 0;
    if (members > 0) {
      throw new ReplayRefused(
        `${service}: its consumer group ${config.consumerGroup} has ${members} member(s): stop the service first`,
      );
    }
    let databaseUrl = config.databaseUrl;
    if (into !== undefined) {
      databaseUrl = withDatabase(config.databaseUrl, into);
      await onServer(config.databaseUrl, async (client) => {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [into]);
        if (rowCount) throw new ReplayRefused(`${service}: database ${into} exists; --into names a new database`);
        await client.query(`CREATE DATABASE "${into}"`);
      });
      created = into;
      console.log(`${service}: created database ${into}`);
    }

    const summary = await replayReadModel(await loadServiceDefinition(service!), { ...config, databaseUrl }, { bus });
    const { APPLIED, DUPLICATE, IGNORED, DEAD_LETTERED } = summary.outcomes;
    console.log(
      `${service}: ${APPLIED} events applied, ${IGNORED} not for this service, ${DUPLICATE} duplicates, ` +
        `${DEAD_LETTERED} dead-lettered; ${summary.outboxMarkedPublished} events it made marked published`,
    );
    if (DEAD_LETTERED > 0) console.log(`  see them: pnpm inbox --service ${service} list-dead-lettered`);
    created = null; // kept: the replay is done
    if (into !== undefined) {
      const current = new URL(config.databaseUrl).pathname.slice(1);
      console.log(
        [
          '',
          `Next: start ${service} on ${into} (it goes on from where the replay ended). Either`,
          `  DATABASE_URL=${printable(databaseUrl)} pnpm --filter @xueji/${service} start`,
          `or make it the service's database (${SERVICES[service!].database} by default), with ${service} still stopped:`,
          `  psql "${printable(withDatabase(config.databaseUrl, 'postgres'))}" \\`,
          `    -c 'ALTER DATABASE ${current} RENAME TO ${current}_before_replay' -c 'ALTER DATABASE ${into} RENAME TO ${current}'`,
          `and start it as usual; drop ${current}_before_replay once the new one is checked.`,
        ].join('\n'),
      );
    } else {
      console.log(`Next: start ${service} on this database; it goes on from where the replay ended.`);
    }
  } finally {
    if (created !== null) {
      const name = created;
      await onServer(config.databaseUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
        .then(() => console.error(`${service}: the replay failed; database ${name} dropped again`))
        .catch(() => console.error(`${service}: the replay failed; drop database ${name} before naming it again`));
    }
    await bus.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof ReplayRefused ? message : `replay failed for ${service}: ${message}`);
  process.exit(1);
});

/**
 * The operator's replay of a service's read model from the topics it consumes:
 *
 *   pnpm replay --service <name>
 *
 * With the service stopped and DATABASE_URL (or its database on XUEJI_PG_URL) pointing at a new,
 * empty database: applies every event still on the topics in the order they happened, marks the
 * events it made as published (the live run published them already), and moves the service's
 * consumer group to where the replay ended. Then start the service on that database.
 */
import { parseArgs } from 'node:util';
import { loadServiceConfig, SERVICE_NAMES, type ServiceName } from '@xueji/config';
import { replayReadModel, ReplayRefused, type ServiceDefinition } from '@xueji/service-kit';
import { assessment } from '../services/assessment/src/service';
import { enrolment } from '../services/enrolment/src/service';
import { graduation } from '../services/graduation/src/service';
import { statusChange } from '../services/status-change/src/service';
import { subsidy } from '../services/subsidy/src/service';

const DEFINITIONS: Record<ServiceName, ServiceDefinition> = {
  enrolment,
  'status-change': statusChange,
  assessment,
  graduation,
  subsidy,
};

const USAGE = `Usage: pnpm replay --service <name>

Rebuilds a service's read model from the topics it consumes, into a new, empty database: every
event still on the topics is applied again, in the order the events happened. Stop the service
first (its consumer group must have no member); point DATABASE_URL at the new database; start the
service on it afterwards: it goes on from where the replay ended.

Options:
  --service <name>   ${SERVICE_NAMES.join(' | ')}
  -h, --help         print this help
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let values: { service?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: { service: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
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

replayReadModel(DEFINITIONS[service], loadServiceConfig(service))
  .then((summary) => {
    const { APPLIED, DUPLICATE, IGNORED, DEAD_LETTERED } = summary.outcomes;
    console.log(
      `${service}: ${APPLIED} events applied, ${IGNORED} not for this service, ${DUPLICATE} duplicates, ` +
        `${DEAD_LETTERED} dead-lettered; ${summary.outboxMarkedPublished} events it made marked published`,
    );
  })
  .catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof ReplayRefused ? message : `replay failed for ${service}: ${message}`);
    process.exit(1);
  });

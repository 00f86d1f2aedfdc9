/**
 * Prints a development token: `pnpm token --role SCHOOL_REGISTRAR --school <id>`,
 * `pnpm token --role AUTHORITY_REVIEWER --region 220000`. Signed with XUEJI_JWT_SECRET, else the
 * secret `scripts/start.sh` generated for its state directory, else the development secret
 * (`localJwtSecret`). `--help` prints the usage; a bad option prints it to stderr and exits 2,
 * without a stack trace.
 */
import { parseArgs } from 'node:util';
import { localJwtSecret } from './local-secret';
import { isRegionCode, ROLES, type Role } from './principal';
import { issueToken } from './token';

const USAGE = `Usage: pnpm token [options]

Prints a signed development token (HS256) for the gateway and the subgraphs.
Signed with XUEJI_JWT_SECRET; when it is unset, with the secret scripts/start.sh
generated ($XUEJI_STATE_DIR/jwt-secret, by default /var/tmp/xueji/jwt-secret),
so the services it started accept the token; else with the development secret.

Options:
  --role <role>       ${ROLES.join(' | ')} (default AUTHORITY_REVIEWER)
  --school <id>       the school's id; required for SCHOOL_REGISTRAR
  --region <code>     6-digit region code, e.g. 220000; required for AUTHORITY_REVIEWER and SUBSIDY_OFFICER
  --events <types>    comma-separated event types (PARTNER)
  --subject <sub>     the token's subject (default dev-user)
  --name <name>       a display name
  --hours <hours>     lifetime in hours, more than 0 (default 8); every token expires
  -h, --help          print this help

Examples:
  pnpm token --role AUTHORITY_REVIEWER --region 220000
  pnpm token --role SCHOOL_REGISTRAR --school <school id>
  pnpm token --role SUBSIDY_OFFICER --region 220100
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      role: { type: 'string', default: 'AUTHORITY_REVIEWER' },
      school: { type: 'string' },
      region: { type: 'string' },
      events: { type: 'string' },
      subject: { type: 'string', default: 'dev-user' },
      name: { type: 'string' },
      hours: { type: 'string', default: '8' },
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

const role = values.role as Role;
if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
if (role === 'SCHOOL_REGISTRAR' && !values.school) fail('--school <school id> is required for SCHOOL_REGISTRAR');
if ((role === 'AUTHORITY_REVIEWER' || role === 'SUBSIDY_OFFICER') && !isRegionCode(values.region ?? '')) {
  fail('--region <6-digit region code, e.g. 220000> is required for this role');
}
const hours = Number(values.hours);
if (!Number.isFinite(hours) || hours <= 0) fail('--hours must be a number of hours greater than 0');

const token = issueToken(
  {
    subject: values.subject,
    role,
    schoolId: values.school,
    regionCode: values.region,
    eventTypes: values.events?.split(','),
    name: values.name,
  },
  localJwtSecret(),
  Math.round(hours * 3600),
);
process.stdout.write(`${token}\n`);

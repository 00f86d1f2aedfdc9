/**
 * Prints a development token: `pnpm token --role SCHOOL_REGISTRAR --school <id>`,
 * `pnpm token --role AUTHORITY_REVIEWER --region 220000`. Signed with XUEJI_JWT_SECRET or the
 * development secret the services use when it is unset.
 */
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET } from '@xueji/config';
import { ROLES, type Role } from './principal';
import { issueToken } from './token';

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'AUTHORITY_REVIEWER' },
    school: { type: 'string' },
    region: { type: 'string' },
    events: { type: 'string' },
    subject: { type: 'string', default: 'dev-user' },
    name: { type: 'string' },
    hours: { type: 'string', default: '8' },
  },
});

const role = values.role as Role;
if (!ROLES.includes(role)) {
  console.error(`--role must be one of ${ROLES.join(', ')}`);
  process.exit(2);
}
if (role === 'SCHOOL_REGISTRAR' && !values.school) {
  console.error('--school <school id> is required for SCHOOL_REGISTRAR');
  process.exit(2);
}
if ((role === 'AUTHORITY_REVIEWER' || role === 'SUBSIDY_OFFICER') && !/^\d{6}$/.test(values.region ?? '')) {
  console.error('--region <6-digit region code, e.g. 220000> is required for this role');
  process.exit(2);
}
const token = issueToken(
  {
    subject: values.subject!,
    role,
    schoolId: values.school,
    regionCode: values.region,
    eventTypes: values.events?.split(','),
    name: values.name,
  },
  process.env.XUEJI_JWT_SECRET ?? DEV_JWT_SECRET,
  Number(values.hours) * 3600,
);
process.stdout.write(`${token}\n`);

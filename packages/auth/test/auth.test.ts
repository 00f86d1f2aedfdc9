import { execFileSync } from 'node:child_process';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import {
  assertCanReadSchool,
  canReadSchool,
  issueToken,
  maskIdNumber,
  principalFromHeader,
  regionCovers,
  requireRole,
  verifyToken,
  type Principal,
} from '@xueji/auth';

const SECRET = 'a-test-secret-of-sufficient-length';
const registrar: Principal = { subject: 'u1', role: 'SCHOOL_REGISTRAR', schoolId: 'school-1', name: '王老师' };

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
  return 'no error';
};

describe('tokens', () => {
  it('round-trips a principal', () => {
    expect(verifyToken(issueToken(registrar, SECRET), SECRET)).toEqual({
      ...registrar,
      regionCode: undefined,
      eventTypes: undefined,
    });
  });

  it('refuses tokens signed with another secret, expired, or without a scope', () => {
    expect(code(() => verifyToken(issueToken(registrar, 'another-secret-entirely!'), SECRET))).toBe('UNAUTHENTICATED');
    expect(code(() => verifyToken(issueToken(registrar, SECRET, -10), SECRET))).toBe('UNAUTHENTICATED');
    const unscoped = jwt.sign({ role: 'SCHOOL_REGISTRAR' }, SECRET, {
      subject: 'x',
      issuer: 'xueji-identity',
      audience: 'xueji',
    });
    expect(code(() => verifyToken(unscoped, SECRET))).toBe('UNAUTHENTICATED');
    const noneAlg = jwt.sign({ role: 'PUBLIC' }, '', {
      algorithm: 'none',
      subject: 'x',
      issuer: 'xueji-identity',
      audience: 'xueji',
    });
    expect(code(() => verifyToken(noneAlg, SECRET))).toBe('UNAUTHENTICATED');
  });

  it('reads Bearer headers; no header means anonymous, a malformed one is refused', () => {
    expect(principalFromHeader(undefined, SECRET)).toBeNull();
    expect(principalFromHeader(`Bearer ${issueToken(registrar, SECRET)}`, SECRET)?.schoolId).toBe('school-1');
    expect(code(() => principalFromHeader('Basic abc', SECRET))).toBe('UNAUTHENTICATED');
  });
});

describe('scopes', () => {
  it('a province, city or county code covers the regions under it', () => {
    expect(regionCovers('220000', '220102')).toBe(true);
    expect(regionCovers('220100', '220102')).toBe(true);
    expect(regionCovers('220100', '220202')).toBe(false);
    expect(regionCovers('220102', '220102')).toBe(true);
    expect(regionCovers('220102', '220103')).toBe(false);
    expect(regionCovers('220000', '350102')).toBe(false);
  });

  it('a registrar reads only its own school; reviewers and officers their region; partners and the public nothing', () => {
    const scope = { schoolId: 'school-1', regionCode: '220102' };
    expect(canReadSchool(registrar, scope)).toBe(true);
    expect(canReadSchool({ ...registrar, schoolId: 'school-2' }, scope)).toBe(false);
    expect(canReadSchool({ subject: 'r', role: 'AUTHORITY_REVIEWER', regionCode: '220100' }, scope)).toBe(true);
    expect(canReadSchool({ subject: 'r', role: 'AUTHORITY_REVIEWER', regionCode: '350000' }, scope)).toBe(false);
    expect(canReadSchool({ subject: 'o', role: 'SUBSIDY_OFFICER', regionCode: '220000' }, scope)).toBe(true);
    expect(canReadSchool({ subject: 'p', role: 'PARTNER' }, scope)).toBe(false);
    expect(code(() => assertCanReadSchool(null, scope))).toBe('UNAUTHENTICATED');
    expect(code(() => assertCanReadSchool({ ...registrar, schoolId: 'school-2' }, scope))).toBe('FORBIDDEN');
  });

  it('role guards say FORBIDDEN for the wrong role and UNAUTHENTICATED for no one', () => {
    expect(
      code(() => requireRole({ subject: 'o', role: 'SUBSIDY_OFFICER', regionCode: '220000' }, 'SCHOOL_REGISTRAR')),
    ).toBe('FORBIDDEN');
    expect(code(() => requireRole(null, 'SCHOOL_REGISTRAR'))).toBe('UNAUTHENTICATED');
    expect(requireRole(registrar, 'SCHOOL_REGISTRAR')).toBe(registrar);
  });

  it('masks ID numbers to the region prefix and the last four characters', () => {
    expect(maskIdNumber('22010220100901123X')).toBe('2201**********123X');
  });
});

describe('pnpm token', () => {
  it('prints a development token that the services accept', () => {
    const root = path.resolve(__dirname, '../../..');
    const token = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'packages/auth/src/cli.ts', '--role', 'AUTHORITY_REVIEWER', '--region', '220100'],
      { cwd: root, env: { ...process.env, XUEJI_JWT_SECRET: SECRET }, encoding: 'utf8' },
    ).trim();
    expect(verifyToken(token, SECRET)).toMatchObject({ role: 'AUTHORITY_REVIEWER', regionCode: '220100' });
  });
});

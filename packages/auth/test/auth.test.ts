import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
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

  it('refuses a correctly signed token without exp: every token must expire', () => {
    const claims = { role: 'SCHOOL_REGISTRAR', school: 'school-1' };
    const options = { algorithm: 'HS256', subject: 'u1', issuer: 'xueji-identity', audience: 'xueji' } as const;
    expect(code(() => verifyToken(jwt.sign(claims, SECRET, options), SECRET))).toBe('UNAUTHENTICATED');
    // jsonwebtoken will not sign a non-numeric exp, so sign this one by hand.
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, sub: 'u1', iss: 'xueji-identity', aud: 'xueji', exp: 'never' })}`;
    const textExp = `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
    expect(code(() => verifyToken(textExp, SECRET))).toBe('UNAUTHENTICATED');
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, SECRET, options);
    expect(code(() => verifyToken(expired, SECRET))).toBe('UNAUTHENTICATED');
    const current = jwt.sign(claims, SECRET, { ...options, expiresIn: 60 });
    expect(verifyToken(current, SECRET).schoolId).toBe('school-1');
  });

  it('issueToken always sets exp, and refuses a lifetime that would leave it out', () => {
    const payload = jwt.decode(issueToken(registrar, SECRET)) as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(8 * 3600);
    const short = jwt.decode(issueToken(registrar, SECRET, 90.7)) as jwt.JwtPayload;
    expect(short.exp! - short.iat!).toBe(90);
    expect(() => issueToken(registrar, SECRET, Number.NaN)).toThrow(RangeError);
    expect(() => issueToken(registrar, SECRET, Number.POSITIVE_INFINITY)).toThrow(RangeError);
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
  const root = path.resolve(__dirname, '../../..');
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'packages/auth/src/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, XUEJI_JWT_SECRET: SECRET },
      encoding: 'utf8',
    });

  it('--help prints the usage and exits 0', () => {
    for (const flag of ['--help', '-h']) {
      const run = cli(flag);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('Usage: pnpm token');
      expect(run.stdout).toContain('--role');
      expect(run.stderr).toBe('');
    }
  });

  it('an unknown option or a bad value prints the usage and exits non-zero, without a stack trace', () => {
    for (const args of [['--bogus'], ['--role', 'NOBODY'], ['--region', '220000', '--hours', 'soon'], ['--region']]) {
      const run = cli(...args);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Usage: pnpm token');
      expect(run.stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
    }
  });

  it('prints a development token that the services accept', () => {
    const token = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'packages/auth/src/cli.ts', '--role', 'AUTHORITY_REVIEWER', '--region', '220100'],
      { cwd: root, env: { ...process.env, XUEJI_JWT_SECRET: SECRET }, encoding: 'utf8' },
    ).trim();
    expect(verifyToken(token, SECRET)).toMatchObject({ role: 'AUTHORITY_REVIEWER', regionCode: '220100' });
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import {
  assertCanReadSchool,
  canReadSchool,
  issueToken,
  maskIdentity,
  maskIdNumber,
  principalFromHeader,
  regionCovers,
  requireRole,
  verifyToken,
  type Principal,
} from '@xueji/auth';
import { DEV_JWT_SECRET } from '@xueji/config';

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

  it('an administrator’s token needs no school or region (AS-14 calendar)', () => {
    const admin = { subject: 'calendar-admin', role: 'ADMINISTRATOR' as const };
    expect(verifyToken(issueToken(admin, SECRET), SECRET)).toMatchObject(admin);
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

describe('the verified-token cache (issue 13)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers a token verified before from the cache, and still refuses it once it has expired', () => {
    const token = issueToken(registrar, SECRET, 60);
    const verify = jest.spyOn(jwt, 'verify');
    expect(verifyToken(token, SECRET).schoolId).toBe('school-1');
    expect(verifyToken(token, SECRET).schoolId).toBe('school-1');
    expect(verify).toHaveBeenCalledTimes(1); // the second came from the cache
    const issuedAt = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(issuedAt + 61_000);
    expect(code(() => verifyToken(token, SECRET))).toBe('UNAUTHENTICATED');
    expect(code(() => verifyToken(token, SECRET))).toBe('UNAUTHENTICATED');
  });

  it('keeps a token only for the secret that verified it, and never a refused one', () => {
    const token = issueToken(registrar, SECRET);
    expect(verifyToken(token, SECRET).subject).toBe('u1');
    expect(code(() => verifyToken(token, 'another-secret-entirely!'))).toBe('UNAUTHENTICATED');
    const forged = issueToken(registrar, 'another-secret-entirely!');
    expect(code(() => verifyToken(forged, SECRET))).toBe('UNAUTHENTICATED');
    expect(code(() => verifyToken(forged, SECRET))).toBe('UNAUTHENTICATED');
  });

  it('hands out a copy: a caller that changes its principal does not change the next one', () => {
    const partner: Principal = { subject: 'p1', role: 'PARTNER', eventTypes: ['StudentRegistered'] };
    const token = issueToken(partner, SECRET);
    const first = verifyToken(token, SECRET);
    first.role = 'ADMINISTRATOR';
    first.eventTypes!.push('StatusChanged');
    expect(verifyToken(token, SECRET)).toMatchObject({ role: 'PARTNER', eventTypes: ['StudentRegistered'] });
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
    // The administrator keeps reference data (the AS-14 working-day calendar) and reads no student.
    expect(canReadSchool({ subject: 'a', role: 'ADMINISTRATOR' }, scope)).toBe(false);
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

  describe('maskIdentity (ADM-5, ENR-6, ENR-11)', () => {
    const officer: Principal = { subject: 'o', role: 'SUBSIDY_OFFICER', regionCode: '220000' };
    const reviewer: Principal = { subject: 'r', role: 'AUTHORITY_REVIEWER', regionCode: '220000' };
    const others: (Principal | null)[] = [
      officer,
      { subject: 'p', role: 'PARTNER', eventTypes: [] },
      { subject: 'x', role: 'PUBLIC' },
      null,
    ];

    it('masks an ID number and an ID-derived student number for every role that may not read ID numbers', () => {
      for (const who of others) {
        expect(maskIdentity(who, '22010220100901123X')).toBe('2201**********123X');
        expect(maskIdentity(who, '22010220100901123x')).toBe('2201**********123x');
        expect(maskIdentity(who, 'G22010220100901123X')).toBe('G2201**********123X');
      }
    });

    it('masks every ID number inside a message or JSON text and leaves the rest', () => {
      expect(maskIdentity(officer, '另有在籍学籍（学籍号 G220102201009011234）')).toBe(
        '另有在籍学籍（学籍号 G2201**********1234）',
      );
      expect(maskIdentity(officer, '{"oldValue":"220102201009011234","newValue":"22010220100901123X"}')).toBe(
        '{"oldValue":"2201**********1234","newValue":"2201**********123X"}',
      );
    });

    it('leaves numbers that carry no ID number untouched (fujian 10-digit, longer or shorter digit runs)', () => {
      expect(maskIdentity(officer, '2601011234')).toBe('2601011234');
      expect(maskIdentity(officer, '1220102201009011234')).toBe('1220102201009011234');
      expect(maskIdentity(officer, '22010220100901123')).toBe('22010220100901123');
      expect(maskIdentity(officer, '2026-09-01T00:00:00.000Z')).toBe('2026-09-01T00:00:00.000Z');
      expect(maskIdentity(officer, null)).toBeNull();
      expect(maskIdentity(officer, undefined)).toBeUndefined();
    });

    it('masks an identity document (a passport) whole when asked', () => {
      expect(maskIdentity(officer, 'E12345678', { idDocument: true })).toBe('E123*5678');
      expect(maskIdentity(officer, 'E12345678')).toBe('E12345678');
    });

    it('shows every value whole to the school registrar and the authority reviewer', () => {
      for (const who of [registrar, reviewer]) {
        expect(maskIdentity(who, 'G22010220100901123X')).toBe('G22010220100901123X');
        expect(maskIdentity(who, 'E12345678', { idDocument: true })).toBe('E12345678');
      }
    });
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

  it('without XUEJI_JWT_SECRET, signs with the secret start.sh generated for its state directory', () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'xueji-state-'));
    try {
      const { XUEJI_JWT_SECRET: _unset, ...env } = process.env;
      const token = (extra: Record<string, string>) =>
        execFileSync(
          process.execPath,
          ['--import', 'tsx', 'packages/auth/src/cli.ts', '--role', 'AUTHORITY_REVIEWER', '--region', '220100'],
          { cwd: root, env: { ...env, XUEJI_STATE_DIR: stateDir, ...extra }, encoding: 'utf8' },
        ).trim();
      // No generated secret: the development one (the services' outside production).
      expect(verifyToken(token({}), DEV_JWT_SECRET)).toMatchObject({ role: 'AUTHORITY_REVIEWER' });
      const generated = 'g'.repeat(64);
      writeFileSync(path.join(stateDir, 'jwt-secret'), generated);
      const signed = token({});
      expect(verifyToken(signed, generated)).toMatchObject({ role: 'AUTHORITY_REVIEWER', regionCode: '220100' });
      expect(() => verifyToken(signed, DEV_JWT_SECRET)).toThrow();
      // XUEJI_JWT_SECRET, when set, still wins.
      expect(verifyToken(token({ XUEJI_JWT_SECRET: SECRET }), SECRET)).toMatchObject({ role: 'AUTHORITY_REVIEWER' });
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

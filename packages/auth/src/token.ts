import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { unauthenticated } from '@xueji/errors';
import { isRegionCode, ROLES, type Principal, type Role } from './principal';

const ISSUER = 'xueji-identity';
const AUDIENCE = 'xueji';

interface Claims {
  sub: string;
  role: Role;
  school?: string;
  region?: string;
  events?: string[];
  name?: string;
}

/** Sign a token for a principal (HS256). Used by the identity stub and the dev-token command. */
export function issueToken(principal: Principal, secret: string, expiresInSeconds = 8 * 3600): string {
  // Every token expires: a lifetime that is not a finite number of seconds would leave `exp` out.
  if (!Number.isFinite(expiresInSeconds)) {
    throw new RangeError(`A token's lifetime must be a finite number of seconds, not ${expiresInSeconds}`);
  }
  const claims: Omit<Claims, 'sub'> = {
    role: principal.role,
    ...(principal.schoolId ? { school: principal.schoolId } : {}),
    ...(principal.regionCode ? { region: principal.regionCode } : {}),
    ...(principal.eventTypes ? { events: principal.eventTypes } : {}),
    ...(principal.name ? { name: principal.name } : {}),
  };
  return jwt.sign(claims, secret, {
    algorithm: 'HS256',
    subject: principal.subject,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: Math.trunc(expiresInSeconds),
  });
}

const INVALID = { zh: '身份令牌无效或已过期', en: 'The token is invalid or has expired' };

/**
 * The secret as a key object, made once: given a string, jsonwebtoken first tries to read it as a
 * public key on every call, which costs about a quarter of a simple request.
 */
const secretKeys = new Map<string, KeyObject>();
function secretKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, key);
  }
  return key;
}

/** How many verified tokens each secret's cache keeps (the least recently used go first). */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

interface Verified {
  principal: Principal;
  /** The token's `exp`, in seconds since the epoch. */
  exp: number;
}

/**
 * Tokens already verified, by secret then by the token's text, each until its `exp`: every
 * request of a session carries the same token, to the gateway and then to each subgraph its plan
 * calls, and verifying the signature and claims again each time cost about a tenth of a subgraph's
 * CPU a read (issue 13). Only a token that passed every check is kept; one that has expired is
 * dropped and verified afresh, which refuses it. A Map keeps insertion order: a hit moves the
 * token to the end, and past VERIFIED_TOKEN_CACHE_SIZE the first (least recently used) goes.
 */
const verifiedTokens = new Map<string, Map<string, Verified>>();

const nowInSeconds = () => Math.floor(Date.now() / 1000);

function copyOf(principal: Principal): Principal {
  return principal.eventTypes ? { ...principal, eventTypes: [...principal.eventTypes] } : { ...principal };
}

/**
 * Verify a token and read its principal; any defect, a missing `exp` among them, is UNAUTHENTICATED.
 * A token verified before with the same secret and not yet expired is answered from the cache.
 */
export function verifyToken(token: string, secret: string): Principal {
  let cache = verifiedTokens.get(secret);
  if (!cache) verifiedTokens.set(secret, (cache = new Map<string, Verified>()));
  const hit = cache.get(token);
  if (hit) {
    cache.delete(token);
    // jsonwebtoken's own test: expired once the clock reaches `exp`.
    if (nowInSeconds() < hit.exp) {
      cache.set(token, hit);
      return copyOf(hit.principal);
    }
  }
  const verified = verifyTokenUncached(token, secret);
  cache.set(token, verified);
  if (cache.size > VERIFIED_TOKEN_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return copyOf(verified.principal);
}

function verifyTokenUncached(token: string, secret: string): Verified {
  let decoded: jwt.JwtPayload | string;
  try {
    decoded = jwt.verify(token, secretKey(secret), { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
  } catch {
    throw unauthenticated(INVALID);
  }
  if (typeof decoded === 'string') throw unauthenticated(INVALID);
  // jsonwebtoken checks `exp` only when present: a token without one would never expire.
  if (typeof decoded.exp !== 'number' || !Number.isFinite(decoded.exp)) throw unauthenticated(INVALID);
  const claims = decoded as Partial<Claims>;
  if (!claims.sub || !claims.role || !(ROLES as readonly string[]).includes(claims.role))
    throw unauthenticated(INVALID);
  if (claims.role === 'SCHOOL_REGISTRAR' && !claims.school) throw unauthenticated(INVALID);
  if (
    (claims.role === 'AUTHORITY_REVIEWER' || claims.role === 'SUBSIDY_OFFICER') &&
    !isRegionCode(claims.region ?? '')
  ) {
    throw unauthenticated(INVALID);
  }
  return {
    principal: {
      subject: claims.sub,
      role: claims.role,
      schoolId: claims.school,
      regionCode: claims.region,
      eventTypes: claims.events,
      name: claims.name,
    },
    exp: decoded.exp,
  };
}

/** The principal of an `Authorization: Bearer …` header, or null when there is none. */
export function principalFromHeader(header: string | undefined, secret: string): Principal | null {
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) throw unauthenticated(INVALID);
  return verifyToken(match[1]!, secret);
}

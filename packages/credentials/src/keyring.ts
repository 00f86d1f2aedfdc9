/**
 * The education authority's signing keys for digital certificates (Ed25519). One key signs new
 * credentials; earlier keys stay in the ring, public half only in use, so that what they signed
 * still verifies after a rotation. The public keys are published as a JWKS.
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export interface SigningKey {
  /** Key id, in each credential's header (`kid`) and in the JWKS. */
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  /** When it began signing (ISO date-time); the newest signs. */
  activeFrom: string;
}

export interface KeyRing {
  /** The key that signs new credentials. */
  active: SigningKey;
  keys: SigningKey[];
}

/** A new Ed25519 key, its id derived from the time it was made. */
export async function newSigningKey(activeFrom: Date): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  // The time it began, and a random part: two keys made in one second still differ.
  const stamp = activeFrom
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14);
  const kid = `xueji-${stamp}-${randomBytes(3).toString('hex')}`;
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA', use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' },
    activeFrom: activeFrom.toISOString(),
  };
}

/** The ring of these keys: the newest by `activeFrom` signs. */
export function keyRing(keys: SigningKey[]): KeyRing {
  if (keys.length === 0) throw new Error('a key ring needs at least one key');
  const sorted = [...keys].sort((a, b) => (a.activeFrom < b.activeFrom ? -1 : a.activeFrom > b.activeFrom ? 1 : 0));
  return { active: sorted[sorted.length - 1]!, keys: sorted };
}

/** Rotate: a new key signs from now on; the old ones stay to verify what they signed. */
export async function rotate(ring: KeyRing, at: Date): Promise<KeyRing> {
  return keyRing([...ring.keys, await newSigningKey(at)]);
}

/** The public keys, as served at the JWKS address: never a private part. */
export function jwks(ring: KeyRing): { keys: JWK[] } {
  return { keys: ring.keys.map((k) => ({ ...k.publicJwk })) };
}

export async function privateKeyOf(key: SigningKey): Promise<CryptoKey> {
  return (await importJWK(key.privateJwk, 'EdDSA')) as CryptoKey;
}

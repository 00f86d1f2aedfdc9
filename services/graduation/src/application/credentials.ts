/**
 * Signing certificates as digital credentials with the education authority's key ring, and
 * checking them. The keys live in a directory of their own (XUEJI_CREDENTIAL_KEYS_DIR; locally
 * the state directory's `credential-keys/`, made on first use); the deployment's public address
 * (XUEJI_PUBLIC_URL) names the issuers and the lookup a credential points to.
 */
import path from 'node:path';
import {
  jwks,
  loadKeyRing,
  signCredential,
  verifyCredential,
  type KeyRing,
  type Verification,
  type VerifiableCredential,
} from '@xueji/credentials';
import type { Queryable } from '@xueji/db';
import { certificateCredential, type CredentialFacts } from '../domain/credential';
import { certificateOfCredential, type CertificateCheckRow } from '../reads/lookup';

export const credentialSettings = () => ({
  keysDir:
    process.env.XUEJI_CREDENTIAL_KEYS_DIR ||
    path.join(process.env.XUEJI_STATE_DIR || '/var/tmp/xueji', 'credential-keys'),
  publicUrl: (process.env.XUEJI_PUBLIC_URL || 'http://127.0.0.1:4000').replace(/\/$/, ''),
});

const rings = new Map<string, Promise<KeyRing>>();

/** The key ring of the configured directory, loaded once per process (a first key made when there is none). */
export function signingKeys(now: Date): Promise<KeyRing> {
  const { keysDir } = credentialSettings();
  let ring = rings.get(keysDir);
  if (!ring) {
    ring = loadKeyRing(keysDir, now);
    rings.set(keysDir, ring);
    ring.catch(() => rings.delete(keysDir));
  }
  return ring;
}

/** The certificate as a signed credential (compact JWS, `typ: vc+jwt`). */
export async function signedCertificate(facts: CredentialFacts, now: Date): Promise<string> {
  const credential = certificateCredential(facts, credentialSettings()) as VerifiableCredential;
  return signCredential(credential, await signingKeys(now));
}

/** The authority's public keys as a JWKS, for verifying offline. */
export async function publishedKeys(now: Date): Promise<{ keys: object[] }> {
  return jwks(await signingKeys(now));
}

/**
 * Check a certificate's credential: the signature against the published keys, then the register —
 * a certificate recalled (GR-9), or one the register does not hold, is REVOKED. With the register's
 * record when the signature holds.
 */
export async function verifyCertificateCredential(
  db: Queryable,
  jws: string,
  now: Date,
): Promise<{ outcome: Verification['outcome']; certificate: CertificateCheckRow | null }> {
  const verified = await verifyCredential(jws, jwks(await signingKeys(now)), async (credential) => {
    const held = await certificateOfCredential(db, credential.id);
    return !held || held.state === 'RECALLED';
  });
  const certificate = verified.credential ? await certificateOfCredential(db, verified.credential.id) : null;
  return { outcome: verified.outcome, certificate };
}

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
import { selectOne, type Queryable } from '@xueji/db';
import type { CertificateKind } from '@xueji/vocabulary';
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
 * a certificate recalled (GR-9) or replaced by a credential certificate (GR-8), a credential the
 * register holds no more because a correction signed the certificate anew (GR-12), or one the register
 * does not hold, is REVOKED. With the register's record when the signature holds.
 */
export async function verifyCertificateCredential(
  db: Queryable,
  jws: string,
  now: Date,
): Promise<{ outcome: Verification['outcome']; certificate: CertificateCheckRow | null }> {
  const verified = await verifyCredential(jws, jwks(await signingKeys(now)), async (credential) => {
    const held = await certificateOfCredential(db, credential.id);
    return (
      !held ||
      held.state === 'RECALLED' ||
      held.state === 'REPLACED' ||
      (held.credential !== null && held.credential !== jws)
    );
  });
  const certificate = verified.credential ? await certificateOfCredential(db, verified.credential.id) : null;
  return { outcome: verified.outcome, certificate };
}

/**
 * Sign a certificate anew from the data it shows now (GR-12: after a correction; GR-8: a credential
 * certificate, with the lost certificate it stands for), inside the unit of work; the credential it held
 * before then verifies REVOKED.
 */
export async function resignCertificate(db: Queryable, certificateId: string, now: Date): Promise<string> {
  const facts = await selectOne<
    CredentialFacts & { standsForNumber: string | null; standsForKind: CertificateKind | null }
  >(
    db,
    `SELECT c.id AS "certificateId", c.kind, c.number, COALESCE(c.holder_name, s.name) AS "holderName",
            to_char(COALESCE(c.holder_birth_date, s.birth_date), 'YYYY-MM-DD') AS "birthDate",
            sc.name AS "schoolName", sc.authority_region_code AS "authorityRegionCode", c.programme,
            c.study_form AS "studyForm", c.major_code AS "majorCode", to_char(c.entry_date, 'YYYY-MM-DD') AS "entryDate",
            to_char(c.issued_on, 'YYYY-MM-DD') AS "issuedOn", c.stated_duration AS "statedDuration",
            l.number AS "standsForNumber", l.kind AS "standsForKind"
       FROM certificate c
       JOIN graduation_student s ON s.student_id = c.student_id
       JOIN graduation_school sc ON sc.school_id = c.school_id
       LEFT JOIN certificate l ON l.id = c.lost_id
      WHERE c.id = $1`,
    [certificateId],
  );
  if (!facts) throw new Error(`certificate ${certificateId} is missing`);
  const { standsForNumber, standsForKind, ...rest } = facts;
  const credential = await signedCertificate(
    { ...rest, standsFor: standsForNumber && standsForKind ? { number: standsForNumber, kind: standsForKind } : null },
    now,
  );
  await db.query(`UPDATE certificate SET credential = $2 WHERE id = $1`, [certificateId, credential]);
  return credential;
}

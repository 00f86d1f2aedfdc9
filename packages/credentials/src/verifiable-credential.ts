/**
 * W3C Verifiable Credentials 2.0 secured as a compact JWS (VC-JOSE-COSE: `typ: vc+jwt`, the
 * credential itself as the payload), signed with the authority's Ed25519 key. Verification needs
 * only the JWKS: it works offline; whether the credential was revoked comes from the register.
 */
import { compactVerify, createLocalJWKSet, CompactSign, errors, type JWK } from 'jose';
import { privateKeyOf, type KeyRing } from './keyring';

/** The VC 2.0 data model's fields this project uses; the rest of the credential is the issuer's. */
export interface VerifiableCredential {
  '@context': string[];
  id: string;
  type: string[];
  issuer: { id: string; name: string; type?: string[] };
  validFrom: string;
  credentialSubject: Record<string, unknown>;
  [other: string]: unknown;
}

/** Sign a credential with the ring's active key: header `{ alg: EdDSA, typ: vc+jwt, kid }`. */
export async function signCredential(credential: VerifiableCredential, ring: KeyRing): Promise<string> {
  const payload = new TextEncoder().encode(JSON.stringify(credential));
  return new CompactSign(payload)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: ring.active.kid })
    .sign(await privateKeyOf(ring.active));
}

/** What a verifier learns: a valid credential (and whether it was revoked), or why it is not one. */
export type Verification =
  | { outcome: 'VALID' | 'REVOKED'; credential: VerifiableCredential; kid: string }
  | { outcome: 'TAMPERED' | 'UNKNOWN_KEY' | 'MALFORMED'; credential: null; kid: string | null };

/**
 * Verify a compact JWS credential against the published keys. A signature that does not match
 * (a changed field) is TAMPERED; a key not in the JWKS is UNKNOWN_KEY. `revoked` asks the register
 * (the same status the public lookup shows) once the signature holds.
 */
export async function verifyCredential(
  jws: string,
  keys: { keys: JWK[] },
  revoked: (credential: VerifiableCredential) => Promise<boolean> | boolean = () => false,
): Promise<Verification> {
  const kid = headerKid(jws);
  // Every credential this project signs names its key.
  if (!kid) return { outcome: 'MALFORMED', credential: null, kid: null };
  try {
    const { payload, protectedHeader } = await compactVerify(jws.trim(), createLocalJWKSet(keys), {
      algorithms: ['EdDSA'],
    });
    if (protectedHeader.typ !== 'vc+jwt') return { outcome: 'MALFORMED', credential: null, kid };
    const credential = JSON.parse(new TextDecoder().decode(payload)) as VerifiableCredential;
    return { outcome: (await revoked(credential)) ? 'REVOKED' : 'VALID', credential, kid };
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) return { outcome: 'UNKNOWN_KEY', credential: null, kid };
    if (error instanceof errors.JWSSignatureVerificationFailed) return { outcome: 'TAMPERED', credential: null, kid };
    return { outcome: 'MALFORMED', credential: null, kid };
  }
}

/** The `kid` of a compact JWS's protected header; undefined when it is not one. */
function headerKid(jws: string): string | null | undefined {
  const [header, payload, signature, ...rest] = jws.trim().split('.');
  if (!header || payload === undefined || signature === undefined || rest.length > 0) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof parsed.kid === 'string' ? parsed.kid : null;
  } catch {
    return undefined;
  }
}

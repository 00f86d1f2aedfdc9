import {
  jwks,
  keyRing,
  newSigningKey,
  rotate,
  signCredential,
  verifyCredential,
  type VerifiableCredential,
} from '../src';

const credential = (name: string): VerifiableCredential => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id: 'urn:uuid:6f1b0c7e-2f4a-4a57-9a3e-1d0c1b2a3f4e',
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: 'https://xueji.example/issuers/350000', name: '福建省教育厅' },
  validFrom: '2027-07-01T00:00:00Z',
  credentialSubject: { type: ['AchievementSubject'], name, achievement: { name: '中等职业学校毕业证书' } },
});

/** A compact JWS with its payload replaced, the signature kept. */
function withPayload(jws: string, payload: unknown): string {
  const [header, , signature] = jws.split('.');
  return [header, Buffer.from(JSON.stringify(payload)).toString('base64url'), signature].join('.');
}

describe('signed digital certificates (VC 2.0 as compact JWS, Ed25519)', () => {
  it('signs with the active key as vc+jwt; the JWKS alone verifies it, offline', async () => {
    const ring = keyRing([await newSigningKey(new Date('2026-01-01T00:00:00Z'))]);
    const jws = await signCredential(credential('张三'), ring);
    const header = JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()) as Record<string, string>;
    expect(header).toEqual({ alg: 'EdDSA', typ: 'vc+jwt', kid: ring.active.kid });
    const verified = await verifyCredential(jws, jwks(ring));
    expect(verified).toMatchObject({ outcome: 'VALID', kid: ring.active.kid });
    expect(verified.credential?.credentialSubject.name).toBe('张三');
    // The JWKS carries public keys only.
    expect(JSON.stringify(jwks(ring))).not.toMatch(/"d":/);
  });

  it('a changed field is TAMPERED; a malformed one MALFORMED; a key not published UNKNOWN_KEY', async () => {
    const ring = keyRing([await newSigningKey(new Date('2026-01-01T00:00:00Z'))]);
    const jws = await signCredential(credential('张三'), ring);
    expect((await verifyCredential(withPayload(jws, credential('李四')), jwks(ring))).outcome).toBe('TAMPERED');
    expect((await verifyCredential('not a credential', jwks(ring))).outcome).toBe('MALFORMED');
    const other = keyRing([await newSigningKey(new Date('2026-02-01T00:00:00Z'))]);
    expect((await verifyCredential(jws, jwks(other))).outcome).toBe('UNKNOWN_KEY');
  });

  it('after a rotation the new key signs and what the old key signed still verifies', async () => {
    const first = keyRing([await newSigningKey(new Date('2026-01-01T00:00:00Z'))]);
    const old = await signCredential(credential('张三'), first);
    const rotated = await rotate(first, new Date('2027-01-01T00:00:00Z'));
    expect(rotated.active.kid).not.toBe(first.active.kid);
    const fresh = await signCredential(credential('李四'), rotated);
    expect(await verifyCredential(old, jwks(rotated))).toMatchObject({ outcome: 'VALID', kid: first.active.kid });
    expect(await verifyCredential(fresh, jwks(rotated))).toMatchObject({ outcome: 'VALID', kid: rotated.active.kid });
  });

  it('a valid signature on a credential the register revoked is REVOKED', async () => {
    const ring = keyRing([await newSigningKey(new Date('2026-01-01T00:00:00Z'))]);
    const jws = await signCredential(credential('张三'), ring);
    const verified = await verifyCredential(jws, jwks(ring), (c) => c.id === credential('').id);
    expect(verified.outcome).toBe('REVOKED');
  });
});

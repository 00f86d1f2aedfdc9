import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jwks, loadKeyRing, rotateKeyRing, signCredential, verifyCredential, type VerifiableCredential } from '../src';

const credential: VerifiableCredential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: 'urn:uuid:0b0e8f53-3d7c-4a36-9d8e-51f3c2a6a1b0',
  type: ['VerifiableCredential'],
  issuer: { id: 'https://xueji.example/issuers/220000', name: '吉林省教育厅' },
  validFrom: '2027-07-01T00:00:00Z',
  credentialSubject: { name: '王伟' },
};

describe('signing keys on disk', () => {
  it('makes a first key once, private to its owner, and loads the same ring again', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'keys-')), 'credential-keys');
    const ring = await loadKeyRing(dir, new Date('2026-12-01T00:00:00Z'));
    const again = await loadKeyRing(dir, new Date('2026-12-02T00:00:00Z'));
    expect(again.active.kid).toBe(ring.active.kid);
    const [file] = readdirSync(dir);
    expect(file).toBe(`${ring.active.kid}.json`);
    expect(statSync(path.join(dir, file!)).mode & 0o777).toBe(0o600);
  });

  it('a rotation adds a key that signs from then on; the old credentials still verify from the JWKS', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'keys-')), 'credential-keys');
    const first = await loadKeyRing(dir, new Date('2026-12-01T00:00:00Z'));
    const old = await signCredential(credential, first);
    const rotated = await rotateKeyRing(dir, new Date('2027-06-01T00:00:00Z'));
    expect(readdirSync(dir)).toHaveLength(2);
    const reloaded = await loadKeyRing(dir, new Date('2027-06-02T00:00:00Z'));
    expect(reloaded.active.kid).toBe(rotated.active.kid);
    expect((await verifyCredential(old, jwks(reloaded))).outcome).toBe('VALID');
    expect((await verifyCredential(await signCredential(credential, reloaded), jwks(reloaded))).kid).toBe(
      rotated.active.kid,
    );
  });
});

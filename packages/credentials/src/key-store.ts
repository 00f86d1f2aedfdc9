/**
 * The signing keys on disk: one JSON file per key (`<kid>.json`, mode 0600) in a directory that
 * holds nothing else — in production a mounted secret, locally the state directory's
 * `credential-keys/`. A ring with no key yet gets its first one; rotation adds a file.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { keyRing, newSigningKey, rotate, type KeyRing, type SigningKey } from './keyring';

function readKeys(dir: string): SigningKey[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return names.map((name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as SigningKey);
}

function writeKey(dir: string, key: SigningKey): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // `wx`: never overwrite a key that signed something.
  writeFileSync(path.join(dir, `${key.kid}.json`), JSON.stringify(key), { mode: 0o600, flag: 'wx' });
}

/** The ring in `dir`, with a first key made now when there is none. */
export async function loadKeyRing(dir: string, now: Date): Promise<KeyRing> {
  const keys = readKeys(dir);
  if (keys.length > 0) return keyRing(keys);
  const first = await newSigningKey(now);
  writeKey(dir, first);
  return keyRing([first]);
}

/** Add a new signing key to `dir`; the earlier ones keep verifying what they signed. */
export async function rotateKeyRing(dir: string, now: Date): Promise<KeyRing> {
  if (readKeys(dir).length === 0) return loadKeyRing(dir, now); // the first key is the rotation
  const ring = await rotate(keyRing(readKeys(dir)), now);
  writeKey(dir, ring.active);
  return ring;
}

/**
 * Verify a certificate's signed credential offline:
 *
 *   pnpm credential verify <credential file> --jwks <keys file>
 *   pnpm credential rotate --keys-dir <dir>
 *
 * The keys are the authority's published JWKS (the `credentialKeys` query answers it). Offline the
 * signature is checked; whether the register has since recalled the certificate is for the
 * `verifyCredential` query or the public lookup.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { rotateKeyRing } from './key-store';
import { verifyCredential } from './verifiable-credential';

const USAGE = `Usage: pnpm credential verify <credential file> --jwks <keys file>
       pnpm credential rotate --keys-dir <dir>

Checks a certificate's signed credential (a compact JWS) against the education authority's
published keys (a JWKS file, as the credentialKeys query answers it), offline. Prints VALID,
TAMPERED, UNKNOWN_KEY or MALFORMED, and for a valid one the certificate it states.
Exit code: 0 for VALID, 1 otherwise, 2 for a usage error.

rotate adds a new signing key to the key directory (XUEJI_CREDENTIAL_KEYS_DIR of graduation); it
signs from the next start of graduation on, and the earlier keys stay to verify what they signed.
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let parsed: { values: { jwks?: string; 'keys-dir'?: string; help?: boolean }; positionals: string[] };
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      jwks: { type: 'string' },
      'keys-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (parsed.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const [command, file, ...extra] = parsed.positionals;
if (command === 'rotate') {
  const dir = parsed.values['keys-dir'];
  if (!dir || file) fail('expected: rotate --keys-dir <dir>');
  rotateKeyRing(dir, new Date()).then(
    (ring) => {
      console.log(`new signing key ${ring.active.kid}; ${ring.keys.length} keys in ${dir}`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`rotation failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
} else {
  verify();
}

function verify(): void {
  if (command !== 'verify' || !file || extra.length > 0) fail('expected: verify <credential file>');
  if (!parsed.values.jwks) fail('--jwks <keys file> is required');

  function read(path: string): string {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      fail(`cannot read ${path}: ${(error as Error).message}`);
    }
  }

  let keys: { keys: object[] };
  try {
    keys = JSON.parse(read(parsed.values.jwks)) as { keys: object[] };
  } catch {
    fail(`${parsed.values.jwks} is not a JWKS (JSON with "keys")`);
  }

  verifyCredential(read(file), keys).then(
    (result) => {
      console.log(result.outcome);
      if (result.credential) console.log(JSON.stringify(result.credential, null, 2));
      process.exit(result.outcome === 'VALID' ? 0 : 1);
    },
    (error: unknown) => {
      console.error(`verification failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

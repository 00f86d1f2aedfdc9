import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_JWT_SECRET } from '@xueji/config';

/** The state directory of `scripts/start.sh`: XUEJI_STATE_DIR, else /var/tmp/xueji. */
function localStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.XUEJI_STATE_DIR || '/var/tmp/xueji';
}

/**
 * The secret `pnpm token` and the demo seed sign with, so their tokens are the ones the services
 * started on this machine accept: XUEJI_JWT_SECRET when set; else the secret `scripts/start.sh`
 * generated once for its state directory (`$XUEJI_STATE_DIR/jwt-secret`, by default
 * /var/tmp/xueji/jwt-secret), with which it runs the services in production mode; else the
 * development secret (tests, and services started without start.sh outside production).
 */
export function localJwtSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XUEJI_JWT_SECRET) return env.XUEJI_JWT_SECRET;
  let generated = '';
  try {
    generated = readFileSync(path.join(localStateDir(env), 'jwt-secret'), 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return generated || DEV_JWT_SECRET;
}

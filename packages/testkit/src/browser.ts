import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Debian's `chromium`, or XUEJI_CHROMIUM: browsers cannot be downloaded here, so none is. */
export function chromiumPath(): string {
  const path = process.env.XUEJI_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(`no Chromium at ${path}: install Debian's chromium (scripts/lib/setup.sh does)`);
  return path;
}

/** A real headless Chromium for page tests, driven by puppeteer-core. */
export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // No user namespaces in containers and CI: Chromium's sandbox cannot start there.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

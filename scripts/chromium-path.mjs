// Where the end-to-end tests and benchmarks find a Chromium: a configured path (CHROMIUM_PATH),
// Debian's /usr/bin/chromium, or Playwright's own download if one is installed.
import { existsSync } from 'node:fs';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** @returns {string | undefined} an executable path, or undefined to let Playwright use its own */
export function findChromium() {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return configured;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(candidate)) return candidate;
  return undefined;
}

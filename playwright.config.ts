import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, findChromium } from './scripts/chromium-path.mjs';

// End-to-end tests run the built browser-mode renderer (dist-web) in Chromium against the Node host
// that runs main's handlers and the embedded demo platform (architecture.md §5).
const port = Number(process.env['E2E_PORT'] ?? 4791);
const dataDir = mkdtempSync(join(tmpdir(), 'opsp-e2e-'));
process.env['E2E_DATA_DIR'] = dataDir;

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/artifacts',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_FLAGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx tsx scripts/web-host.ts --port ${port} --data ${dataDir} --fast-hash --test-hooks`,
    url: `http://127.0.0.1:${port}/web.html`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
});

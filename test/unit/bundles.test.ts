import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Builds the real Electron bundles (main, preload, renderer) and the browser-mode bundle, and
// checks what each may and may not contain (architecture.md §5).
const root = resolve(import.meta.dirname, '../..');
const MARKER = 'opsp-browser-mode-shim';
let electronOut: string;
let webOut: string;

const allText = (dir: string, ext: RegExp): string =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && ext.test(f.name))
    .map((f) => readFileSync(join(f.parentPath, f.name), 'utf8'))
    .join('\n');

beforeAll(() => {
  electronOut = mkdtempSync(join(tmpdir(), 'electron-out-'));
  webOut = mkdtempSync(join(tmpdir(), 'web-out-'));
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  execFileSync(npx, ['electron-vite', 'build', '--outDir', electronOut, '--logLevel', 'error'], { cwd: root, stdio: 'pipe' });
  execFileSync(npx, ['vite', 'build', '--config', 'vite.web.config.ts', '--outDir', webOut, '--logLevel', 'error'], { cwd: root, stdio: 'pipe' });
}, 240_000);

afterAll(() => {
  rmSync(electronOut, { recursive: true, force: true });
  rmSync(webOut, { recursive: true, force: true });
});

describe('bundles', () => {
  it('the browser-mode bundle contains the HTTP shim', () => {
    expect(allText(webOut, /\.js$/)).toContain(MARKER);
  });

  it('the Electron renderer bundle does not contain the browser shim', () => {
    const renderer = allText(join(electronOut, 'renderer'), /\.js$/);
    expect(renderer.length).toBeGreaterThan(100_000);
    expect(renderer).not.toContain(MARKER);
    expect(renderer).not.toContain('x-ipc-token');
  });

  it('the Electron page carries the strict CSP', () => {
    const html = readFileSync(join(electronOut, 'renderer', 'index.html'), 'utf8');
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).toContain("script-src 'self'");
  });

  it('the preload is one small CommonJS file with the channel list and no schema library', () => {
    const files = readdirSync(join(electronOut, 'preload'));
    expect(files).toEqual(['index.cjs']);
    const preload = readFileSync(join(electronOut, 'preload', 'index.cjs'), 'utf8');
    expect(preload).toContain('require("electron")');
    expect(preload).toContain('auth.hashPassword');
    expect(preload).not.toMatch(/ZodError|safeParse/);
    expect(preload.length).toBeLessThan(4_000);
  });

  it('the main bundle loads electron only as an external module', () => {
    const main = readFileSync(join(electronOut, 'main', 'index.js'), 'utf8');
    expect(main).toMatch(/from "electron"|require\("electron"\)/);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandlers } from './handlers';
import { createDispatch, type Handlers } from './ipc/dispatch';
import { startWebHost, TOKEN_HEADER, type WebHost } from './web-host';

let host: WebHost;
let dir: string;
const hashSpy = vi.fn();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'web-host-'));
  await writeFile(join(dir, 'web.html'), '<html><head><title>t</title></head><body></body></html>');
  await writeFile(join(dir, 'app.js'), 'console.log(1)');
  const handlers = {
    ...createHandlers({ version: '9.9.9', shell: 'browser', dataDir: dir, log: () => {}, scryptParams: { N: 1024, r: 8, p: 1 } }),
    'auth.hashPassword': async (req: { password: string }) => {
      hashSpy(req);
      return { hash: 'scrypt$1$1$1$AA==$AA==' };
    },
  } as Handlers;
  host = await startWebHost({ dispatch: createDispatch(handlers, { isTrustedSender: () => true }), staticDir: dir, indexFile: 'web.html' });
});
afterAll(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(new URL(path, host.url), { method: 'POST', body, headers: { 'content-type': 'application/json', [TOKEN_HEADER]: host.token, ...headers } });

describe('browser-mode host', () => {
  it('binds 127.0.0.1 and hands the page its per-run token', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const html = await (await fetch(new URL('/web.html', host.url))).text();
    expect(html).toContain(`<meta name="ipc-token" content="${host.token}" />`);
    expect(await (await fetch(new URL('/app.js', host.url))).text()).toBe('console.log(1)');
  });

  it('runs a main handler at POST /ipc/<channel>', async () => {
    const response = await post('/ipc/app.info', '{}');
    expect(await response.json()).toEqual({ ok: true, value: { version: '9.9.9', shell: 'browser', platform: process.platform } });
  });

  it('refuses calls without the token or with a wrong one', async () => {
    const missing = await fetch(new URL('/ipc/app.info', host.url), { method: 'POST', body: '{}' });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect((await post('/ipc/app.info', '{}', { [TOKEN_HEADER]: 'x'.repeat(host.token.length) })).status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = request(new URL('/ipc/app.info', host.url), { method: 'POST', headers: { host: 'evil.example:80', [TOKEN_HEADER]: host.token } }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('answers a malformed request with a clear error and never reaches the handler', async () => {
    const notJson = await post('/ipc/auth.hashPassword', '{password:');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('JSON') } });

    const wrongType = await (await post('/ipc/auth.hashPassword', JSON.stringify({ password: ['a'] }))).json();
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', issues: [expect.stringContaining('password')] } });
    expect(hashSpy).not.toHaveBeenCalled();

    expect(await (await post('/ipc/nope.never', '{}')).json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('does not serve files outside its folder', async () => {
    const response = await fetch(new URL('/..%2f..%2fetc%2fpasswd', host.url));
    expect(await response.text()).not.toContain('root:');
  });
});

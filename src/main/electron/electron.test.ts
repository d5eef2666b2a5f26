import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../shared/ipc/channels';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/csp';

// Electron cannot start here; its API is mocked and the glue is checked option by option.
const handle = vi.fn();
vi.mock('electron', () => ({ ipcMain: { handle } }));

const { bindIpc } = await import('./ipc');
const { guardNavigation, hardenSession, isAppUrl, secureWindowOptions } = await import('./security');

type Listener = (...args: unknown[]) => void;
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: (() => unknown) | undefined;
  return {
    on: (event: string, fn: Listener) => listeners.set(event, fn),
    setWindowOpenHandler: (fn: () => unknown) => (openHandler = fn),
    fire: (event: string, url: string) => {
      const e = { preventDefault: vi.fn() };
      listeners.get(event)!(e, url);
      return e.preventDefault.mock.calls.length > 0;
    },
    open: () => openHandler!(),
    listeners,
  };
}

describe('Electron window and session', () => {
  beforeEach(() => handle.mockReset());

  it('creates an isolated, sandboxed window without Node', () => {
    const options = secureWindowOptions('/app/preload/index.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(secureWindowOptions('/app/preload/index.cjs', false).webPreferences?.devTools).toBe(true); // electron-vite dev
  });

  it('blocks navigation away from the app and every window.open', () => {
    const contents = fakeContents();
    guardNavigation(contents as never, 'file:///opt/app/out/renderer/index.html');
    expect(contents.fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.fire('will-navigate', 'file:///opt/app/out/renderer/index.html#/settings')).toBe(false);
    expect(contents.fire('will-redirect', 'http://evil.example/')).toBe(true);
    expect(contents.open()).toEqual({ action: 'deny' });
    expect(contents.listeners.has('will-attach-webview')).toBe(true);
  });

  it('denies every permission and sets the strict CSP on responses', () => {
    let permission: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    let headers: ((d: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void) | undefined;
    const session = {
      setPermissionRequestHandler: (fn: typeof permission) => (permission = fn),
      setPermissionCheckHandler: (fn: typeof check) => (check = fn),
      webRequest: { onHeadersReceived: (fn: typeof headers) => (headers = fn) },
    };
    hardenSession(session as never, { devServer: false });
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const cb = vi.fn();
      permission!(null, p, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    expect(check!()).toBe(false);
    const cb = vi.fn();
    headers!({ responseHeaders: {} }, cb);
    expect(cb).toHaveBeenCalledWith({ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('recognises only the app origin as its own', () => {
    expect(isAppUrl('http://localhost:5173/#/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('not a url', 'http://localhost:5173/')).toBe(false);
  });
});

describe('IPC binding', () => {
  it('binds every contract channel through the dispatcher with the sender frame', async () => {
    handle.mockReset();
    const dispatch = vi.fn(async () => ({ ok: true as const, value: 'x' }));
    bindIpc({ handle } as never, dispatch);
    expect(handle.mock.calls.map((c) => c[0]).sort()).toEqual([...channelNames].sort());

    const mainFrame = { url: 'file:///app/index.html' };
    const listener = handle.mock.calls.find((c) => c[0] === 'app.info')![1] as (e: unknown, r: unknown) => Promise<unknown>;
    await listener({ senderFrame: mainFrame, sender: { mainFrame } }, { a: 1 });
    expect(dispatch).toHaveBeenCalledWith('app.info', { a: 1 }, { url: 'file:///app/index.html', mainFrame: true });

    const iframe = { url: 'file:///app/index.html' };
    await listener({ senderFrame: iframe, sender: { mainFrame } }, {});
    expect(dispatch).toHaveBeenLastCalledWith('app.info', {}, { url: 'file:///app/index.html', mainFrame: false });
  });
});

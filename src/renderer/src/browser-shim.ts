import { createApi } from '../../shared/ipc/api';
import type { IpcResult } from '../../shared/ipc/result';

/**
 * Browser mode only (web.html): window.api over HTTP to the Node host that runs main's handlers.
 * The Electron build never includes this file; a test checks its bundle for BROWSER_SHIM_MARKER.
 */
export const BROWSER_SHIM_MARKER = 'opsp-browser-mode-shim';

const token = document.querySelector<HTMLMetaElement>('meta[name="ipc-token"]')?.content ?? '';

window.api = createApi(async (channel, request) => {
  try {
    const response = await fetch(`/ipc/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ipc-token': token, 'x-shim': BROWSER_SHIM_MARKER },
      body: JSON.stringify(request),
    });
    return (await response.json()) as IpcResult<unknown>;
  } catch (error) {
    return { ok: false, error: { code: 'TRANSPORT_FAILED', message: `无法连接本机服务：${(error as Error).message}` } };
  }
});

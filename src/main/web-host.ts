import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Dispatch } from './ipc/dispatch';

/**
 * Browser mode (architecture.md §5): the renderer runs in an ordinary browser and reaches the same
 * main-process handlers at `POST /ipc/<channel>` on 127.0.0.1. A per-run token, handed to the page
 * inside its HTML, must accompany every call; a custom header forces a CORS preflight that this
 * host never grants, so other origins cannot call it, and the Host check defeats DNS rebinding.
 */
export interface WebHostOptions {
  dispatch: Dispatch;
  /** Built renderer (dist-web). Omit when a dev server serves the page (see `middleware`). */
  staticDir?: string;
  /** Entry HTML file inside staticDir. */
  indexFile?: string;
  /** Handles everything that is not /ipc (e.g. Vite's dev middleware). */
  middleware?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  port?: number;
  host?: string;
  token?: string;
  log?: (line: string) => void;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-ipc-token';
const MAX_BODY = 32 * 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.wasm': 'application/wasm', '.pdf': 'application/pdf',
  '.map': 'application/json',
};

/** Puts the token into the page so the browser-mode shim can read it. */
export const injectToken = (html: string, token: string): string =>
  html.replace('</head>', `<meta name="ipc-token" content="${token}" /></head>`);

const sameToken = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('请求体过大'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const host = options.host ?? '127.0.0.1';
  const staticDir = options.staticDir ? resolve(options.staticDir) : undefined;
  const indexFile = options.indexFile ?? 'index.html';
  let allowedHosts: string[] = [];

  async function handleIpc(req: IncomingMessage, res: ServerResponse, channel: string) {
    if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'BAD_REQUEST', message: '只接受 POST' } });
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      return sendJson(res, 403, { ok: false, error: { code: 'FORBIDDEN_SENDER', message: '主机名不受信任' } });
    }
    const presented = req.headers[TOKEN_HEADER];
    if (typeof presented !== 'string' || !sameToken(presented, token)) {
      return sendJson(res, 403, { ok: false, error: { code: 'FORBIDDEN_SENDER', message: '缺少或错误的调用令牌' } });
    }
    let body: unknown;
    try {
      const text = await readBody(req);
      body = text.length ? JSON.parse(text) : {};
    } catch (error) {
      return sendJson(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: `请求不是有效的 JSON：${(error as Error).message}` } });
    }
    // The token already proved the caller is our page; the dispatcher's sender check sees that.
    const result = await options.dispatch(channel, body, { url: `http://${req.headers.host}/`, mainFrame: true });
    sendJson(res, 200, result);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse) {
    if (!staticDir) return sendJson(res, 404, { error: 'not found' });
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    let file = normalize(join(staticDir, path));
    if (!file.startsWith(staticDir + sep) && file !== staticDir) return sendJson(res, 403, { error: 'forbidden' });
    const info = await stat(file).catch(() => undefined);
    if (!info || info.isDirectory() || path === '/' + indexFile) file = join(staticDir, indexFile);
    if (file === join(staticDir, indexFile)) {
      const html = injectToken(await readFile(file, 'utf8'), token);
      res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' });
      return res.end(html);
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  }

  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const match = /^\/ipc\/([a-zA-Z]+\.[a-zA-Z]+)$/.exec(url.split('?')[0]!);
    const done = (error: unknown) => {
      options.log?.(`[web-host] ${url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'TRANSPORT_FAILED', message: '主机内部错误' } });
    };
    if (match) return void handleIpc(req, res, match[1]!).catch(done);
    if (url.startsWith('/ipc/')) return sendJson(res, 404, { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `未知的调用通道：${url.slice(5)}` } });
    if (options.middleware) return options.middleware(req, res, () => void serveStatic(req, res).catch(done));
    void serveStatic(req, res).catch(done);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => ok());
  });
  const port = (server.address() as { port: number }).port;
  allowedHosts = [`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`];
  return {
    url: `http://${host}:${port}/`,
    port,
    token,
    server,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

/**
 * Browser mode host (architecture.md §5): serves the built renderer (dist-web) and main's handlers
 * at POST /ipc/<channel> on 127.0.0.1, with a per-run token. Used by the end-to-end tests and by
 * `npm run dev:web`. Also starts the embedded sandbox, like the desktop app's demo mode.
 *
 *   tsx scripts/web-host.ts [--port 0] [--data <dir>] [--static dist-web] [--dev]
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startMainServices } from '../src/main/services';
import { randomBytes } from 'node:crypto';
import { injectToken, startWebHost } from '../src/main/web-host';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    data: { type: 'string', default: '.data/web' },
    static: { type: 'string', default: 'dist-web' },
    dev: { type: 'boolean', default: false },
    'fast-hash': { type: 'boolean', default: false },
    // End-to-end tests: POST /__test/reset-hospital gives each test a new, empty hospital server;
    // /__test/seed-hospital writes rows into it; /__test/advance-hospital moves its clock ahead and sweeps;
    // GET /__test/demo-platform answers the embedded demo platform's address (a test sets its faults).
    'test-hooks': { type: 'boolean', default: false },
  },
});

const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(values.data);
mkdirSync(dataDir, { recursive: true });
const log = (line: string) => console.log(line);
const version = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }).version;

const services = await startMainServices({
  version,
  shell: 'browser',
  dataDir,
  log,
  // Tests create many accounts; cheap scrypt keeps them fast. Never used by the app itself.
  scryptParams: values['fast-hash'] ? { N: 1024, r: 8, p: 1 } : undefined,
  isTrustedSender: () => true, // the host's token check stands in for Electron's frame check
});

const token = randomBytes(24).toString('base64url');
let middleware;
if (values.dev) {
  // dev:web — Vite serves the renderer with hot reload; the page still gets this run's token.
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: resolve(root, 'vite.web.config.ts'),
    server: { middlewareMode: true },
    appType: 'mpa',
    plugins: [{ name: 'ipc-token', transformIndexHtml: (html: string) => injectToken(html, token) }],
  });
  middleware = vite.middlewares;
}

if (values['test-hooks']) {
  const inner = middleware;
  middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (req.method === 'GET' && req.url === '/__test/demo-platform') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: services.demoPlatformUrl ?? null }));
      return;
    }
    const hook = req.method === 'POST' ? { '/__test/reset-hospital': 'reset', '/__test/seed-hospital': 'seed', '/__test/advance-hospital': 'advance' }[req.url ?? ''] : undefined;
    if (hook) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { now?: string; rows?: never[]; ms?: number }) : {};
        const work: Promise<unknown> = hook === 'reset' ? services.resetHospitalServer(body.now) : hook === 'seed' ? services.seedHospitalServer(body.rows ?? []) : services.advanceHospitalServer(body.ms ?? 0);
        void work.then(
          (value) => (value === undefined ? res.writeHead(204).end() : res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value))),
          (e: unknown) => res.writeHead(500).end(String(e)),
        );
      });
      return;
    }
    if (inner) inner(req, res, next);
    else next();
  };
}

const host = await startWebHost({
  dispatch: services.dispatch,
  staticDir: values.dev ? undefined : resolve(root, values.static),
  indexFile: 'web.html',
  middleware,
  port: Number(values.port),
  token,
  log,
});
console.log(`WEB_HOST_READY ${host.url}`);
console.log(`浏览器模式已启动：${host.url}web.html  平台：${services.platformLabel()}`);

const stop = async () => {
  await host.close();
  await services.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

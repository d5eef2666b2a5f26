/**
 * A benchmark page in Chromium: a bundle of real app code (esbuild), served on loopback with
 * optional extra routes, opened in Chromium on an on-disk profile (IndexedDB's durability is
 * only meaningful on disk).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

export type Route = (req: IncomingMessage, res: ServerResponse, body: string) => Promise<void>;

export interface BenchPage {
  page: Page;
  context: BrowserContext;
  origin: string;
  /**
   * The routes also answer on these origins (127.0.0.2 …, with CORS). A browser opens at most six
   * HTTP/1.1 connections per origin, so a page that keeps more requests in flight spreads them.
   */
  routeOrigins: string[];
  close(): Promise<void>;
}

/** Bundles `entry`, serves it with `routes` (POST /<name>), opens it, and waits for `ready` on window. */
export async function openBenchPage(entry: string, ready: string, routes: Record<string, Route> = {}, extraOrigins = 0): Promise<BenchPage> {
  const out = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'chrome120', write: false, minify: true, logLevel: 'silent' });
  const js = out.outputFiles[0]!.text;
  const html = '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/page.js"></script>';
  let origin = '';
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('access-control-allow-origin', origin);
    const route = routes[(req.url ?? '').slice(1)];
    if (route && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void route(req, res, Buffer.concat(chunks).toString('utf8')).catch((e: Error) => res.writeHead(500).end(e.message)));
      return;
    }
    if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(js);
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  };
  const listen = async (host: string) => {
    const server = createServer(handler);
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((ok) => server.listen(0, host, ok));
    return { server, url: `http://${host}:${(server.address() as { port: number }).port}` };
  };
  const main = await listen('127.0.0.1');
  origin = main.url;
  const extras = await Promise.all(Array.from({ length: extraOrigins }, (_, i) => listen(`127.0.0.${i + 2}`)));
  const servers = [main.server, ...extras.map((e) => e.server)];
  const profile = await mkdtemp(join(tmpdir(), 'opsp-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
    headless: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${origin}/`);
  await page.waitForFunction((name) => name in window, ready);
  return {
    page,
    context,
    origin,
    routeOrigins: extras.map((e) => e.url),
    async close() {
      await context.close();
      for (const server of servers) {
        server.closeAllConnections();
        server.close();
      }
      await rm(profile, { recursive: true, force: true });
    },
  };
}

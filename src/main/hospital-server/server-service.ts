/**
 * The desk's side of the hospital server (architecture.md §10): which server it uses — the one
 * embedded in the app, on PGlite in the app's data folder (the default: a single desk or a
 * township centre works with no setup), or one on the hospital LAN — and whether it answers.
 * The choice is kept in `<dataDir>/server.json`; the embedded server starts with the app while it
 * is chosen, and on demand when a desk switches back to it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { serverConfigSchema, type serverDeskResponse, type serverEnrolRequest, type serverStatusResponse } from '../../shared/ipc/contract';
import { startServer, sweepOffers, type RunningServer } from '../../server/server';
import { enrolLocalDesk } from '../../server/auth';
import { write } from '../../server/hospital';
import type { PulledTable } from '../../shared/hospital/protocol';
import { createFileSecretStore, type SecretStore } from '../../server/platform/secret-store';
import type { PlatformLinkOptions } from '../../server/platform-link';

export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type ServerStatus = z.infer<typeof serverStatusResponse>;
export type ServerDesk = z.infer<typeof serverDeskResponse>;
export type ServerEnrol = z.infer<typeof serverEnrolRequest>;

const HEALTH_TIMEOUT_MS = 3_000;

export interface ServerService {
  /** Starts the embedded server when it is the one chosen (at app start). */
  start(): Promise<void>;
  status(): Promise<ServerStatus>;
  getConfig(): ServerConfig;
  setConfig(config: ServerConfig): Promise<ServerConfig>;
  /** This desk's credential at the chosen server (enrolling with the embedded one on first use). */
  desk(): Promise<ServerDesk>;
  /** Enrols this desk with a LAN server's one-time code. */
  enrol(request: ServerEnrol): Promise<ServerDesk>;
  /**
   * Tests only (the browser-mode host's --test-hooks): stops the embedded server and deletes its
   * data, so the next desk finds a new, empty hospital.
   */
  resetEmbedded(now?: string): Promise<void>;
  /** Tests only: writes rows into the embedded server as its own rules would have (shares settled, desks hinted). */
  seedEmbedded(rows: readonly { table: PulledTable; row: Record<string, unknown> & { id: string } }[]): Promise<void>;
  /** Tests only: the embedded server's clock jumps ahead by `ms` (it runs on from there), then offers past their window are swept at once. */
  advanceEmbedded(ms: number): Promise<{ swept: number }>;
  close(): Promise<void>;
}

export function createServerService(deps: { dataDir: string; log: (line: string) => void; fetch?: typeof fetch; secretStore?: SecretStore; hostname?: string; platform?: PlatformLinkOptions }): ServerService {
  const file = join(deps.dataDir, 'server.json');
  const doFetch = deps.fetch ?? fetch;
  // Desk tokens are credentials: kept like the platform's secrets, one per server id.
  const secrets = deps.secretStore ?? createFileSecretStore(join(deps.dataDir, 'desk-secrets.json'));
  const deskName = deps.hostname ?? '本机';
  let embedded: Promise<RunningServer> | undefined;

  const readConfig = (): ServerConfig => {
    if (!existsSync(file)) return { mode: 'embedded' };
    const parsed = serverConfigSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : { mode: 'embedded' };
  };

  // Tests may start the embedded server at a given instant (its clock then runs on from there).
  let clock: (() => Date) | undefined;
  let ahead = 0;
  const launch = () => startServer({ database: { kind: 'pglite', dataDir: join(deps.dataDir, 'hospital-server') }, port: 0, log: deps.log, ...(deps.platform ? { platform: deps.platform } : {}), ...(clock ? { now: clock } : {}) });
  const startEmbedded = () =>
    (embedded ??= launch().catch((e: unknown) => {
      embedded = undefined; // the next status call tries again
      throw e;
    }));

  async function health(url: string): Promise<Pick<ServerStatus, 'ok' | 'database' | 'schemaVersion' | 'error'>> {
    try {
      const res = await doFetch(`${url.replace(/\/$/, '')}/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
      if (!res.ok) return { ok: false, error: `服务器应答 HTTP ${res.status}` };
      const body = (await res.json()) as { database?: 'pglite' | 'postgres'; schemaVersion?: number };
      return { ok: true, database: body.database, schemaVersion: body.schemaVersion };
    } catch (e) {
      return { ok: false, error: e instanceof Error && e.name === 'TimeoutError' ? `${HEALTH_TIMEOUT_MS / 1000} 秒内无应答` : `无法连接：${e instanceof Error ? e.message : String(e)}` };
    }
  }

  async function serverIdAt(url: string): Promise<string> {
    const res = await doFetch(`${url.replace(/\/$/, '')}/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`服务器应答 HTTP ${res.status}`);
    const id = ((await res.json()) as { serverId?: unknown }).serverId;
    if (typeof id !== 'string' || !id) throw new Error('服务器没有给出标识');
    return id;
  }

  const secretName = (serverId: string) => `desk.${serverId}`;

  async function desk(): Promise<ServerDesk> {
    const config = readConfig();
    let url = '';
    try {
      if (config.mode === 'embedded') {
        const server = await startEmbedded();
        url = server.url;
        const serverId = await serverIdAt(url);
        let token = await secrets.get(secretName(serverId));
        if (!token) {
          token = (await enrolLocalDesk(server.hospital, deskName)).token;
          await secrets.set(secretName(serverId), token);
        }
        return { url, serverId, enrolled: true, deskToken: token, deskName };
      }
      url = config.url.replace(/\/$/, '');
      const serverId = await serverIdAt(url);
      const token = (await secrets.get(secretName(serverId))) ?? null;
      return { url, serverId, enrolled: token !== null, deskToken: token, deskName };
    } catch (e) {
      return { url, serverId: '', enrolled: false, deskToken: null, deskName, error: `院内服务器不可用：${e instanceof Error ? e.message : String(e)}` };
    }
  }

  return {
    desk,
    enrol: async ({ code, name }) => {
      const config = readConfig();
      if (config.mode !== 'remote') return desk();
      const url = config.url.replace(/\/$/, '');
      const res = await doFetch(`${url}/desks/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name }), signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS * 3) });
      const body = (await res.json().catch(() => ({}))) as { token?: string; serverId?: string; message?: string };
      if (!res.ok || !body.token || !body.serverId) throw new Error(body.message ?? `登记失败（HTTP ${res.status}）`);
      await secrets.set(secretName(body.serverId), body.token);
      deps.log(`本工作站已登记到院内服务器 ${url}（${name}）`);
      return { url, serverId: body.serverId, enrolled: true, deskToken: body.token, deskName: name };
    },
    start: async () => {
      if (readConfig().mode === 'embedded') await startEmbedded();
    },
    status: async () => {
      const config = readConfig();
      if (config.mode === 'remote') return { mode: 'remote', label: `院内服务器 ${config.url}`, url: config.url, ...(await health(config.url)) };
      try {
        const server = await startEmbedded();
        return { mode: 'embedded', label: '本机内置服务器', url: server.url, ...(await health(server.url)) };
      } catch (e) {
        return { mode: 'embedded', label: '本机内置服务器', url: '', ok: false, error: `内置服务器未能启动：${e instanceof Error ? e.message : String(e)}` };
      }
    },
    getConfig: readConfig,
    setConfig: async (config) => {
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify(config, null, 2));
      renameSync(tmp, file);
      deps.log(config.mode === 'remote' ? `已改用院内服务器 ${config.url}` : '已改用本机内置服务器');
      return config;
    },
    resetEmbedded: async (now) => {
      ahead = 0;
      if (now) {
        const start = Date.parse(now);
        const since = performance.now();
        clock = () => new Date(start + ahead + (performance.now() - since));
      } else clock = undefined;
      // One step, visible to every caller at once: a status call during the reset waits for the
      // new server instead of reopening the old folder.
      const running = embedded;
      const folder = join(deps.dataDir, 'hospital-server');
      embedded = (async () => {
        if (running) await (await running.catch(() => null))?.close();
        rmSync(folder, { recursive: true, force: true });
        rmSync(`${folder}-audit.key`, { force: true });
        return launch();
      })();
      await embedded.catch((e: unknown) => {
        embedded = undefined;
        throw e;
      });
    },
    seedEmbedded: async (rows) => {
      const server = await startEmbedded();
      await write(server.hospital, async (store) => {
        for (const r of rows) await store.putRecord(r.table, r.row);
      });
    },
    advanceEmbedded: async (ms) => {
      if (!clock) throw new Error('the embedded server runs on the wall clock: reset it with a start time first');
      ahead += ms;
      const server = await startEmbedded();
      return { swept: await sweepOffers(server.hospital) };
    },
    close: async () => {
      const running = embedded;
      embedded = undefined;
      if (running) await (await running.catch(() => null))?.close();
    },
  };
}

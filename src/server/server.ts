/**
 * Starting and stopping the hospital server: open the database, migrate it, listen. The same
 * function serves the standalone command (cli.ts) and the app's embedded server (main process and
 * the browser-mode host), which runs it on PGlite in the app's data folder on a loopback port.
 */
import type { FastifyInstance } from 'fastify';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from './app';
import { auditKeyFrom, loadAuditKey, type AuditKey } from './audit';
import type { PasswordPolicy } from './auth';
import { openDatabase, type DatabaseTarget, type ServerDb } from './database';
import { analyzeRecords, makeHospital, openAuditChain, write, type Hospital } from './hospital';
import { migrate, schemaVersion } from './migrations';
import { reviewContext } from './policy';
import { sweepLapsedOffers } from '../shared/cases/assignment';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { makeEnrolmentCode } from './auth';
import { createPlatformLink, type PlatformLink, type PlatformLinkOptions } from './platform-link';

export interface ServerOptions {
  database: DatabaseTarget;
  port: number;
  /** 127.0.0.1 unless the hospital's IT says otherwise (the LAN address of the server machine). */
  host?: string;
  log?: (line: string) => void;
  /**
   * The audit chain's key file, kept outside the database (default: beside a PGlite data folder;
   * for PostgreSQL, give one). `null`: a fresh key in memory (tests).
   */
  auditKeyFile?: string | null;
  /** The shipped policy packs and calendars (default: ./resources). */
  resourcesDir?: string;
  /** The server's clock (tests set it). */
  now?: () => Date;
  passwords?: PasswordPolicy;
  /** PEM certificate and key: serve HTTPS (see README, 院内服务器 → HTTPS). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** How often offers past their acceptance window are lapsed and redrawn; 0: never (tests sweep by hand). */
  sweepEveryMs?: number;
  /**
   * The link to the provincial platform: where its settings and secrets are kept, the demo
   * platform's address, runner tuning. Absent: the server queues nothing for the platform.
   */
  platform?: PlatformLinkOptions;
}

/**
 * The app's shipped packs and calendars, beside the sources or the built bundle (out/main); the
 * working directory's when this module was not loaded from a file (a test environment).
 */
function shippedResources(): string {
  try {
    return fileURLToPath(new URL('../../resources', import.meta.url));
  } catch {
    return resolve('resources');
  }
}

/** Where the audit key lives when not told: beside PGlite's folder, or in the working directory. */
function defaultAuditKeyFile(target: DatabaseTarget): string {
  return target.kind === 'pglite' && target.dataDir ? join(target.dataDir, '..', `${target.dataDir.split(/[\\/]/).pop()}-audit.key`) : resolve('opsp-audit.key');
}

/**
 * On a server no desk has been enrolled to yet, a code for the first desk (printed for IT at start;
 * later desks get theirs from an administrator's desk). The embedded server enrols its own desk.
 */
async function firstDeskCode(h: Hospital): Promise<{ code: string; expiresAt: string } | null> {
  const desks = await h.db.orm.execute(sql`select count(*)::int as n from desks`);
  if (Number((desks as { rows: { n: number }[] }).rows[0]?.n ?? 0) > 0) return null;
  return makeEnrolmentCode(h, '第一台工作站', null);
}

/** Lapses offers whose acceptance window has passed and redraws each, a batch at a time. */
export async function sweepOffers(h: Hospital): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await write(h, async (store, tx) => sweepLapsedOffers(store, { ...(await reviewContext(tx, h.resourcesDir)), now: h.now(), newId: h.newId, seed: h.seed }, 25));
    total += n;
    if (n < 25) return total;
  }
}

export interface RunningServer {
  url: string;
  db: ServerDb;
  app: FastifyInstance;
  hospital: Hospital;
  close(): Promise<void>;
}

export const DATABASE_LABELS: Record<ServerDb['kind'], string> = { pglite: 'PGlite（内置）', postgres: 'PostgreSQL' };

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const db = await openDatabase(options.database);
  let link: PlatformLink | undefined;
  try {
    const applied = await migrate(db.orm);
    const version = await schemaVersion(db.orm);
    // A database in memory gets a key in memory (nothing of either outlives the process).
    const inMemory = options.database.kind === 'pglite' && !options.database.dataDir;
    const auditKey: AuditKey = options.auditKeyFile === null || (inMemory && !options.auditKeyFile) ? auditKeyFrom(randomBytes(32)) : loadAuditKey(options.auditKeyFile ?? defaultAuditKeyFile(options.database));
    const hospital = makeHospital(db, { auditKey, resourcesDir: options.resourcesDir ?? shippedResources(), now: options.now });
    await openAuditChain(hospital);
    // PGlite has no autovacuum: the planner starts each run with today's statistics.
    if (db.kind === 'pglite') await analyzeRecords(hospital);
    const first = await firstDeskCode(hospital);
    if (options.platform) hospital.platform = link = createPlatformLink(hospital, { log: options.log, ...options.platform });
    const app = await buildServer(hospital, { passwords: options.passwords, tls: options.tls, log: options.log });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ port: options.port, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    options.log?.(`院内服务器已启动：${url}  数据库：${DATABASE_LABELS[db.kind]} ${db.where}  结构版本 ${version}${applied.length ? `（本次升级 ${applied.join('、')}）` : ''}`);
    if (first) options.log?.(`尚无登记的工作站。第一台工作站的登记码：${first.code}（${first.expiresAt} 前有效，仅可使用一次）`);
    const every = options.sweepEveryMs ?? 30_000;
    let sweeping: Promise<unknown> = Promise.resolve();
    const timer = every > 0 ? setInterval(() => {
      sweeping = sweepOffers(hospital).catch((e: unknown) => options.log?.(`超时分配回收失败：${e instanceof Error ? e.message : String(e)}`));
    }, every) : undefined;
    timer?.unref();
    return {
      url,
      db,
      app,
      hospital,
      close: async () => {
        clearInterval(timer);
        await sweeping;
        await app.close();
        await hospital.platform?.close();
        await db.close();
      },
    };
  } catch (e) {
    await link?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw e;
  }
}

/**
 * The hospital server for the benchmarks (architecture.md §10): started for real with
 * `startServer` on a loopback port, on PGlite in a temporary folder on disk or on a database of a
 * throwaway PostgreSQL cluster (test/fixtures/postgres-cluster.ts's own setup, started for the
 * section and stopped after it). Desks are enrolled with one-time codes and people log in as the
 * real desk client does (test/fixtures/hospital.ts's way); the server's clock is the real one.
 * Account passwords use the tests' cheap scrypt: logging in is not what is measured.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { HospitalClient } from '../../src/renderer/src/hospital/client';
import { makeEnrolmentCode } from '../../src/server/auth';
import { loadDemo } from '../../src/server/demo';
import { write } from '../../src/server/hospital';
import { startServer, type RunningServer } from '../../src/server/server';
import type { Role } from '../../src/shared/domain/user';
import type { CommandKind, CommandPayload } from '../../src/shared/hospital/commands';
import type { Command } from '../../src/shared/hospital/protocol';
import startPostgresCluster from '../fixtures/postgres-cluster';
import { institution } from '../fixtures/review-packs';
import { application, residentId } from './hospital-data';
import type { BenchPage } from './browser-page';
import type { DeskInit } from './page/desk-page';

export const BENCH_SCRYPT = { N: 1024, r: 8, p: 1 } as const;
const PASSWORD = 'correct-horse-9';

export type ServerKind = 'pglite' | 'postgres';

/** A person logged in at an enrolled desk: what a desk (Node or a Chromium page) needs to talk to the server. */
export interface DeskLogin {
  client: HospitalClient;
  userId: string;
  role: Role;
  deskToken: string;
  sessionToken: string;
}

export interface BenchServer {
  server: RunningServer;
  url: string;
  serverId: string;
  kind: ServerKind;
  /** Where the data lives (a folder, or a database name), for the report. */
  where: string;
  /** An account of this role (made by the administrator on first use, password changed), logged in at a newly enrolled desk. */
  login(username: string, role?: Role): Promise<DeskLogin>;
  close(): Promise<void>;
}

/** A throwaway PostgreSQL cluster (initdb in a temporary folder, its own port), as the tests start one. */
export interface PostgresCluster {
  url: string;
  /** A fresh database on it, its URL. */
  database(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startCluster(): Promise<PostgresCluster> {
  let url = '';
  const project = { provide: (_key: string, value: string) => void (url = value) } as unknown as TestProject;
  const teardown = await startPostgresCluster(project);
  let n = 0;
  return {
    url,
    async database(prefix) {
      const name = `${prefix}_${process.pid}_${++n}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    stop: teardown,
  };
}

/**
 * A server on PGlite in a fresh temporary folder (on disk: commits are written through), or on a
 * fresh database of `cluster`. The Kaifeng pack (random experts: every case.take really draws) and
 * the demo roster of physicians, so that applications are offered to someone.
 */
export async function startBenchServer(kind: ServerKind, cluster?: PostgresCluster): Promise<BenchServer> {
  let dir: string | undefined;
  let database;
  if (kind === 'pglite') {
    dir = await mkdtemp(join(tmpdir(), 'opsp-bench-server-'));
    database = { kind: 'pglite' as const, dataDir: join(dir, 'pglite') };
  } else {
    if (!cluster) throw new Error('PostgreSQL needs a cluster');
    database = { kind: 'postgres' as const, url: await cluster.database('bench') };
  }
  const server = await startServer({ database, port: 0, auditKeyFile: null, sweepEveryMs: 0, passwords: { scrypt: BENCH_SCRYPT } });
  const h = server.hospital;
  await write(h, async (store) => {
    await store.putRecord('settings', { id: 'policy.activePackId', key: 'policy.activePackId', value: 'kaifeng-2023' });
    await store.putRecord('settings', { id: 'cases.institution', key: 'cases.institution', value: institution });
  });
  await loadDemo(h, { count: 0, seed: 20_250_601, physicianAccounts: [], actorId: null });

  const desk = async (name: string) => {
    const client = new HospitalClient({ baseUrl: server.url, timeoutMs: 120_000 });
    const { code } = await makeEnrolmentCode(h, name, null);
    await client.enrol(code, name);
    return client;
  };
  const admin = await desk('管理员工作站');
  await admin.setup('admin', '管理员', PASSWORD);
  const serverId = (await admin.status()).serverId;
  const accounts = new Map<string, { id: string; role: Role }>();

  return {
    server,
    url: server.url,
    serverId,
    kind,
    where: dir ?? database.kind,
    async login(username, role = 'office') {
      let account = accounts.get(username);
      if (!account) {
        const [r] = (await admin.push([benchCommand('user.create', { username, displayName: `用户${username}`, role, password: 'temporary-pass-1' })])).results;
        if (r?.state !== 'applied') throw new Error(`user.create refused: ${r?.reason}`);
        account = { id: (r.value as { userId: string }).userId, role };
        accounts.set(username, account);
        const first = await desk(`${username} 的工作站`);
        await first.login(username, 'temporary-pass-1');
        await first.changePassword('temporary-pass-1', PASSWORD);
      }
      const client = await desk(`${username} 的工作站`);
      await client.login(username, PASSWORD);
      return { client, userId: account.id, role: account.role, deskToken: client.deskToken!, sessionToken: client.sessionToken! };
    },
    async close() {
      await server.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The 1/5/15-minute load averages now (the machine is shared: every section reports them). */
export const loadNow = (): string => loadavg().map((x) => x.toFixed(1)).join(' / ');

let counter = 0;
export function benchCommand<K extends CommandKind>(kind: K, payload: CommandPayload<K>, id = `cmd-bench-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`): Command {
  return { id, kind, at: new Date().toISOString(), payload };
}

export { application, loadDemo, residentId };
export { percentile } from './hospital-data';

/** Points a bench page's desk (test/bench/page/desk-page.ts) at this server as the logged-in `desk`. */
export function initBenchDesk(bench: BenchPage, server: BenchServer, desk: DeskLogin, options: Pick<DeskInit, 'dbName' | 'pageSize' | 'timeoutMs'>): Promise<void> {
  const init: DeskInit = { baseUrl: server.url, deskToken: desk.deskToken, sessionToken: desk.sessionToken, userId: desk.userId, role: desk.role, serverId: server.serverId, ...options };
  return bench.page.evaluate((o) => window.benchDesk.init(o), init);
}

/**
 * Runs in Chromium (bundled by desk-pull.ts, desk-push.ts and desk-hint.ts): a desk as the app
 * runs it — the real WorkstationDb (IndexedDB, strict durability), the real HospitalClient talking
 * to the hospital server on another loopback origin (CORS), the real outbox (queueCommand) and the
 * real DeskSync. The client's pull, push and hint stream are wrapped only to timestamp each call;
 * times are epoch milliseconds (timeOrigin + now) so two pages in two browsers compare.
 */
import Dexie, { liveQuery } from 'dexie';
import { applySchema } from '../../../src/renderer/src/db/schema';
import { WorkstationDb } from '../../../src/renderer/src/db/db';
import { HospitalClient } from '../../../src/renderer/src/hospital/client';
import { queueCommand } from '../../../src/renderer/src/hospital/desk-commands';
import { DeskSync } from '../../../src/renderer/src/hospital/desk-sync';
import type { Role } from '../../../src/shared/domain/user';
import { shareKeys, type Change } from '../../../src/shared/hospital/protocol';
import { application, residentId } from '../hospital-data';

export interface DeskInit {
  baseUrl: string;
  deskToken: string;
  sessionToken: string;
  userId: string;
  role: Role;
  serverId: string;
  dbName: string;
  pageSize?: number;
  timeoutMs?: number;
}

/**
 * One pull request: when it was sent, when its answer was parsed and checked, when its page was
 * written (DeskSync's onChanged; the desk asks for the next page while it writes this one, so
 * requests and writes overlap), how many changes.
 */
export interface PullCall {
  cursor: number;
  start: number;
  fetched: number;
  written: number;
  changes: number;
}

export interface PushCall {
  start: number;
  end: number;
  commands: number;
}

export interface SyncRun {
  t0: number;
  t1: number;
  pulls: PullCall[];
  pushes: PushCall[];
  /** Other requests to the server during the run (e.g. a case's rows fetched after a command), by method. */
  others: Record<string, { count: number; ms: number }>;
  counts: Record<string, number>;
  commandStates: Record<string, number>;
  error: string | null;
}

export interface BulkBaseline {
  pages: number;
  changes: number;
  /** One bulkPut per table, a strict transaction per page (the app's durability). */
  ms: number;
  /** The same with relaxed durability (a pulled page can be pulled again: its cursor commits with it). */
  relaxedMs: number;
  /** The same rows (strict) into tables with no secondary index: what the indexes cost. */
  noIndexMs: number;
  /** Only each row's id (strict, no secondary index): IndexedDB's own cost of a put, whatever the row. */
  idsOnlyMs: number;
}

declare global {
  interface Window {
    benchDesk: {
      init(o: DeskInit): Promise<void>;
      /** One `sync()` (push, then pull every page), timed; `keepPages` pages' changes are kept for bulkBaseline. */
      sync(keepPages?: number): Promise<SyncRun>;
      /** The kept pages written again into fresh databases with one bulkPut per table, a transaction per page: strict, relaxed, without secondary indexes, ids only. */
      bulkBaseline(): Promise<BulkBaseline>;
      /** Queues `n` 受理申请 one after another (each its own strict transaction, as a clerk's saves are). */
      queue(n: number, series: number): Promise<{ ms: number; each: number[] }>;
      /** Starts the desk's live sync (hints, kicks) and waits for its first sync. */
      start(): Promise<void>;
      /** Watches for the case of this person in IndexedDB (Dexie liveQuery); resolves once subscribed. */
      watch(certNo: string): Promise<void>;
      /** When the watched case appeared, and when the hints before it arrived. */
      seen(timeoutMs: number): Promise<{ seenAt: number; hints: number[] }>;
      /** 受理申请 queued (strict) and pushed by one sync(): the times of each step. */
      takeAndSync(certNo: string, name: string): Promise<{ queuedAt: number; pushStart: number; pushEnd: number; syncEnd: number; state: string }>;
      close(): Promise<void>;
    };
  }
}

const now = () => performance.timeOrigin + performance.now();

let db: WorkstationDb;
let client: HospitalClient;
let sync: DeskSync;
let user: { id: string; role: Role };
const pulls: PullCall[] = [];
const pushes: PushCall[] = [];
let others: SyncRun['others'] = {};
let hints: number[] = [];
let kept: Change[][] = [];
let keep = 0;
let watching: { promise: Promise<number>; sub: { unsubscribe(): void } } | undefined;

function deleteDb(name: string): Promise<void> {
  return new Promise((ok, fail) => {
    const r = indexedDB.deleteDatabase(name);
    r.onsuccess = () => ok();
    r.onerror = () => fail(r.error);
  });
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['persons', 'cases', 'workItems', 'assignments', 'reviews', 'certifications', 'physicians', 'users', 'deskCommands']) out[t] = await db.table(t).count();
  return out;
}

async function commandStates(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of ['pending', 'applied', 'refused']) out[s] = await db.deskCommands.where('state').equals(s).count();
  return out;
}

window.benchDesk = {
  async init(o) {
    await deleteDb(o.dbName);
    db = new WorkstationDb(o.dbName);
    await db.open();
    user = { id: o.userId, role: o.role };
    client = new HospitalClient({ baseUrl: o.baseUrl, deskToken: o.deskToken, sessionToken: o.sessionToken, timeoutMs: o.timeoutMs });
    const pull = client.pull.bind(client);
    client.pull = async (cursor, limit) => {
      const call: PullCall = { cursor, start: now(), fetched: 0, written: 0, changes: 0 };
      pulls.push(call);
      const page = await pull(cursor, limit);
      call.fetched = now();
      call.changes = page.changes.length;
      if (kept.length < keep) kept.push(page.changes);
      return page;
    };
    const push = client.push.bind(client);
    client.push = async (commands) => {
      const call: PushCall = { start: now(), end: 0, commands: commands.length };
      const answer = await push(commands);
      call.end = now();
      pushes.push(call);
      return answer;
    };
    // Any other request the desk's sync makes (present or future), timed by method name.
    const proto = HospitalClient.prototype as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (['constructor', 'pull', 'push', 'events', 'request', 'json', 'headers'].includes(name) || typeof proto[name] !== 'function') continue;
      const method = (proto[name] as (...a: unknown[]) => unknown).bind(client);
      (client as unknown as Record<string, unknown>)[name] = async (...a: unknown[]) => {
        const s = now();
        try {
          return await method(...a);
        } finally {
          const o = (others[name] ??= { count: 0, ms: 0 });
          o.count++;
          o.ms += now() - s;
        }
      };
    }
    const events = client.events.bind(client);
    client.events = (onChanged, signal) =>
      events((seq) => {
        hints.push(now());
        onChanged(seq);
      }, signal);
    // A page written: the oldest fetched page not yet marked (pages are written in order).
    const onChanged = (count: number) => {
      const call = pulls.find((p) => p.fetched > 0 && p.written === 0 && p.changes === count);
      if (call) call.written = now();
    };
    sync = new DeskSync({ db, client, user, serverId: o.serverId, shareKeys: shareKeys(user), pageSize: o.pageSize, onChanged });
  },

  async sync(keepPages = 0) {
    pulls.length = 0;
    pushes.length = 0;
    others = {};
    kept = [];
    keep = keepPages;
    const t0 = now();
    let error: string | null = null;
    await sync.sync().catch((e: unknown) => (error = e instanceof Error ? e.message : String(e)));
    const t1 = now();
    return { t0, t1, pulls: [...pulls], pushes: [...pushes], others, counts: await counts(), commandStates: await commandStates(), error };
  },

  async bulkBaseline() {
    // Every database of an origin shares one LevelDB: these run after the pull, into a store that
    // already holds the pulled share, as the pull's own last pages did.
    const write = async (durability: 'strict' | 'relaxed', shape: 'app' | 'no-index' | 'ids-only' = 'app') => {
      const name = `${db.name}-bulk-${durability}-${shape}`;
      await deleteDb(name);
      const bulk = new Dexie(name, { chromeTransactionDurability: durability });
      if (shape === 'app') applySchema(bulk);
      else bulk.version(1).stores(Object.fromEntries(db.tables.map((t) => [t.name, t.schema.primKey.src])));
      await bulk.open();
      let n = 0;
      const t = performance.now();
      for (const page of kept) {
        const byTable = new Map<string, Record<string, unknown>[]>();
        for (const c of page) {
          if (c.op !== 'put' || c.table === 'users' || c.table === 'settings') continue;
          const rows = byTable.get(c.table) ?? [];
          rows.push(shape === 'ids-only' ? { id: c.row['id'] } : c.row);
          byTable.set(c.table, rows);
          n++;
        }
        await bulk.transaction('rw', [...byTable.keys()].map((t) => bulk.table(t)), async () => {
          for (const [table, rows] of byTable) await bulk.table(table).bulkPut(rows);
        });
      }
      const ms = performance.now() - t;
      bulk.close();
      await deleteDb(name);
      return { n, ms };
    };
    const strict = await write('strict');
    const relaxed = await write('relaxed');
    const noIndex = await write('strict', 'no-index');
    const idsOnly = await write('strict', 'ids-only');
    return { pages: kept.length, changes: strict.n, ms: strict.ms, relaxedMs: relaxed.ms, noIndexMs: noIndex.ms, idsOnlyMs: idsOnly.ms };
  },

  async queue(n, series) {
    const each: number[] = [];
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await queueCommand(db, { kind: 'case.take', payload: application(residentId(series, i), `测试${i}`), userId: user.id });
      each.push(performance.now() - s);
    }
    return { ms: performance.now() - t, each };
  },

  async start() {
    sync.start();
    while (!sync.status.lastSyncAt) await new Promise((r) => setTimeout(r, 20));
  },

  async watch(certNo) {
    watching?.sub.unsubscribe();
    hints = [];
    let subscribed: () => void = () => undefined;
    const ready = new Promise<void>((ok) => (subscribed = ok));
    let seen: (at: number) => void = () => undefined;
    const promise = new Promise<number>((ok) => (seen = ok));
    const sub = liveQuery(() => db.cases.where('certNo').equals(certNo).first()).subscribe({
      next: (row) => {
        if (row) seen(now());
        subscribed();
      },
      error: () => subscribed(),
    });
    watching = { promise, sub };
    await ready;
  },

  async seen(timeoutMs) {
    const w = watching!;
    const seenAt = await Promise.race([w.promise, new Promise<number>((ok) => setTimeout(() => ok(NaN), timeoutMs))]);
    w.sub.unsubscribe();
    return { seenAt, hints: [...hints] };
  },

  async takeAndSync(certNo, name) {
    pushes.length = 0;
    const queuedAt = now();
    const cmd = await queueCommand(db, { kind: 'case.take', payload: application(certNo, name), userId: user.id });
    await sync.sync();
    const syncEnd = now();
    const push = pushes[0]!;
    return { queuedAt, pushStart: push.start, pushEnd: push.end, syncEnd, state: (await db.deskCommands.get(cmd.id))?.state ?? 'missing' };
  },

  async close() {
    await sync.stop();
    db.close();
  },
};

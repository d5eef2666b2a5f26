/**
 * The hospital server's working parts, shared by its routes: the database, the audit key, the
 * clock (an input, so tests set it), and the hints that tell connected desks to pull. Every write
 * goes through `write`: one transaction, under the server's write lock, with the change log and
 * shares settled before commit and the hints sent after it.
 */
import { randomUUID, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { ServerDb, Orm } from './database';
import type { AuditKey } from './audit';
import { appendServerAudit, auditHead } from './audit';
import { PgStore } from './store';
import { firstRow } from './migrations';
import type { ReviewContext } from '../shared/cases/context';
import type { Session } from './auth';
import type { PlatformLink } from './platform-link';

/**
 * Taken by every writing transaction ("opsw"): writes commit one after another, so change
 * sequence numbers become visible in order and a desk's cursor never skips a change committed late.
 */
export const WRITE_LOCK = 0x6f707377;

export type HintListener = (seq: number) => void;

/** Tells connected desks whose share changed (a hint only: the pull is the truth). */
export class HintHub {
  private readonly listeners = new Map<HintListener, readonly string[]>();

  listen(shares: readonly string[], fn: HintListener): () => void {
    this.listeners.set(fn, shares);
    return () => this.listeners.delete(fn);
  }

  notify(shares: ReadonlySet<string>, seq: number) {
    for (const [fn, keys] of this.listeners) if (keys.some((k) => shares.has(k))) fn(seq);
  }

  get size() {
    return this.listeners.size;
  }
}

export interface Hospital {
  db: ServerDb;
  auditKey: AuditKey;
  hints: HintHub;
  now: () => Date;
  /** Where the shipped policy packs and calendars are (resources/). */
  resourcesDir: string;
  newId: (prefix: string) => string;
  seed: () => number;
  /** Commands applied since the planner's statistics were last refreshed, and the next refresh's threshold (PGlite). */
  analyze: { since: number; next: number };
  /** The review context (pack, calendars, hospital facts) a push last read, with the state of the settings it was read from. */
  reviewCache?: { settings: string; context: Promise<ReviewContext> };
  /**
   * Sessions checked in the last moments, by desk and session token (auth.ts): a busy desk's
   * requests are not each a query. Emptied by every `write`, every command that changes accounts,
   * and every logout; an entry lives SESSION_CACHE_MS at most.
   */
  sessionCache: Map<string, { session: Session; expiresAt: number; until: number }>;
  /** The physician registry's rows as a push last read them, with the registry's state then. */
  registryCache?: { state: string; rows: (Record<string, unknown> & { id: string })[] };
  /** The link to the provincial platform (settings, gateway, outbox runner); absent in tests that do without. */
  platform?: PlatformLink;
}

export function makeHospital(db: ServerDb, options: { auditKey: AuditKey; resourcesDir: string; now?: () => Date }): Hospital {
  return {
    db,
    auditKey: options.auditKey,
    hints: new HintHub(),
    now: options.now ?? (() => new Date()),
    resourcesDir: options.resourcesDir,
    newId: (prefix) => `${prefix}-${randomUUID()}`,
    seed: () => randomBytes(4).readUInt32LE(0),
    analyze: { since: 0, next: 200 },
    sessionCache: new Map(),
  };
}

/** Runs `fn` as the one writer, settles shares, commits, then hints the desks concerned. */
export async function write<T>(h: Hospital, fn: (store: PgStore, tx: Orm) => Promise<T>): Promise<T> {
  let changed: ReadonlySet<string> = new Set();
  let seq = 0;
  // Whatever this writes may end a session or change an account: sessions are checked again.
  h.sessionCache.clear();
  const value = await h.db.orm.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${WRITE_LOCK})`);
    const store = new PgStore(tx, h.auditKey);
    const result = await fn(store, tx);
    await store.finish();
    changed = store.changedShares;
    if (changed.size) seq = Number(firstRow<{ seq: number | string }>(await tx.execute(sql`select last_value as seq from change_seq`))?.seq ?? 0);
    return result;
  });
  h.sessionCache.clear();
  if (changed.size) h.hints.notify(changed, seq);
  return value;
}

/**
 * Refreshes the planner's statistics of the synced tables. PGlite runs no autovacuum, so after a
 * bulk load (demo data, a restore) the planner would otherwise misjudge the share and scope
 * filters; on PostgreSQL this only does sooner what autovacuum does. Best effort.
 */
export async function analyzeRecords(h: Pick<Hospital, 'db'> & { analyze?: Hospital['analyze'] }): Promise<void> {
  await h.db.orm.execute(sql`analyze records, removals, commands`).catch(() => undefined);
  if (h.analyze) h.analyze.since = 0;
}

/**
 * Counts applied commands; on PGlite, refreshes the statistics each time their number doubles
 * since the last refresh (200, 400, 800, … commands), so plans keep up with a growing table
 * (statistics of a nearly empty table make every lookup a scan once it holds thousands of
 * cases). Runs after the push's commit, before the next statement the database takes.
 */
export function countCommands(h: Hospital, applied: number): void {
  if (h.db.kind !== 'pglite' || applied === 0) return;
  h.analyze.since += applied;
  if (h.analyze.since < h.analyze.next) return;
  h.analyze.next = Math.min(h.analyze.next * 2, 1_000_000);
  void analyzeRecords(h);
}

/** The chain's first entry, written once when the server first starts on a database. */
export async function openAuditChain(h: Hospital): Promise<void> {
  if (await auditHead(h.db.orm)) return;
  await write(h, async (_store, tx) => {
    const opened = firstRow(await tx.execute(sql`select 1 as one from server_info where key = 'audit_opened'`));
    if (opened || (await auditHead(tx))) return;
    await appendServerAudit(tx, h.auditKey, { kind: 'audit.opened', actorId: null, at: h.now().toISOString(), subject: 'server', detail: { keyId: h.auditKey.id } });
    await tx.execute(sql`insert into server_info (key, value) values ('audit_opened', ${h.now().toISOString()})`);
  });
}

/**
 * A desk's half of the hospital server's protocol (architecture.md §10):
 * - push: the user's pending commands, in order, in batches; the answers are recorded, a refusal
 *   kept with its reason; a lost answer is simply resent (the server answers a repeat with its
 *   first answer);
 * - pull: the desk's share after its cursor, a page per Dexie transaction together with the new
 *   cursor, so the cursor never moves past a change that was not written;
 * - material bytes fetched ahead for the cases held, so a township physician reads them offline;
 * - the drift check and the audit head the desk saw;
 * - hints: a connected desk pulls as soon as the server says its share changed.
 * The desk holds one share at a time (a physician's own work, or the 医保办's working set): when
 * another share's user logs in, the case records of the previous one leave the desk.
 */
import type { Table } from 'dexie';
import { casesHash, MAX_CASE_ROWS, MAX_HELD_HASHES, type Change, type PublicUser, type PushResponse } from '../../../shared/hospital/protocol';
import type { User } from '../../../shared/domain/user';
import type { WorkstationDb } from '../db/db';
import { blobSha256 } from '../sync/attachments-store';
import { HospitalError, type HospitalClient } from './client';
import { onCommandQueued, pendingCommands, recordResults, toWire, type DeskCommand } from './desk-commands';

/** A server account as the desk keeps it: the server's fields and this desk's own password verifier. */
export function deskUserRow(u: PublicUser, passwordHash: string): User {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    ...(u.department ? { department: u.department } : {}),
    passwordHash,
    createdAt: u.createdAt,
    createdBy: u.createdBy,
    disabled: u.disabled,
    lockedUntil: u.lockedUntil,
    mustChangePassword: u.mustChangePassword,
  };
}

/** The share's own tables: cleared when another share's user logs in. */
const CASE_TABLES = ['persons', 'cases', 'workItems', 'assignments', 'reviews', 'materials', 'outsideResults', 'recognitions', 'certifications', 'conflicts', 'filings', 'filingBatches'] as const;
/** Rows that belong to a case (removed with it). */
const CASE_CHILDREN = ['workItems', 'assignments', 'reviews', 'materials', 'outsideResults', 'recognitions'] as const;

type PullPage = Awaited<ReturnType<HospitalClient['pull']>>;

export const SHARE_KEY = 'hospital.share';
export const AUDIT_HEAD_KEY = 'hospital.auditHead';

export interface ShareState {
  serverId: string;
  share: string;
  cursor: number;
}

export interface DeskSyncStatus {
  /** The server answered the last request. */
  online: boolean;
  lastSyncAt: string | null;
  pending: number;
  refused: number;
  /** Why the last attempt failed, in Chinese; null after a success. */
  error: string | null;
  /** Set when the server's audit chain no longer holds an entry this desk saw. */
  auditWarning: string | null;
  /** The server no longer knows this session (it ended after hours unused, or the password was reset): the user signs in again to send and pull. */
  signedOut: boolean;
}

/** The desk's last try to reach its server failed (not merely: the first one is still under way). */
export const linkDown = (s: DeskSyncStatus): boolean => !s.online && s.error !== null;

export interface DeskSyncOptions {
  db: WorkstationDb;
  client: HospitalClient;
  user: Pick<PublicUser, 'id' | 'role'>;
  serverId: string;
  /** Share keys of the user (protocol.ts shareKeys). */
  shareKeys: readonly string[];
  pageSize?: number;
  /** Fetch material bytes for the cases held (default true). */
  fetchBlobs?: boolean;
  now?: () => Date;
  onStatus?: (status: DeskSyncStatus) => void;
  /** After rows were written (a page, a case refreshed): lists that do not watch IndexedDB reload. */
  onChanged?: (count: number) => void;
}

const tableOf = (db: WorkstationDb, name: string) => db.table(name) as Table<Record<string, unknown>, string>;

/** Commands a push carries: as many as the server's rows of one refresh answer (one refresh request per push). */
const PUSH_BATCH = MAX_CASE_ROWS;

export class DeskSync {
  private readonly db: WorkstationDb;
  private readonly client: HospitalClient;
  private readonly share: string;
  private chain: Promise<unknown> = Promise.resolve();
  private stopHints: AbortController | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryWait = 0;
  private unlisten: (() => void) | undefined;
  private readonly uploaded = new Set<string>();
  /** Material rows whose bytes this desk still wants. */
  private readonly wanted = new Set<Record<string, unknown>>();
  status: DeskSyncStatus = { online: false, lastSyncAt: null, pending: 0, refused: 0, error: null, auditWarning: null, signedOut: false };

  constructor(private readonly options: DeskSyncOptions) {
    this.db = options.db;
    this.client = options.client;
    this.share = [...options.shareKeys].sort().join(',');
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** One at a time: pushes and pulls never overlap on a desk. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private report(patch: Partial<DeskSyncStatus>) {
    this.status = { ...this.status, ...patch };
    this.options.onStatus?.(this.status);
  }

  /** Makes sure the desk holds this user's share of this server; clears another's. */
  async ensureShare(): Promise<ShareState> {
    const { db } = this;
    return db.transaction('rw', [db.settings, db.attachments, ...CASE_TABLES.map((t) => tableOf(db, t))], async () => {
      const current = (await db.settings.get(SHARE_KEY))?.value as ShareState | undefined;
      if (current && current.serverId === this.options.serverId && current.share === this.share) return current;
      for (const t of CASE_TABLES) await tableOf(db, t).clear();
      const fresh: ShareState = { serverId: this.options.serverId, share: this.share, cursor: 0 };
      await db.settings.put({ key: SHARE_KEY, value: fresh });
      if (current?.serverId !== this.options.serverId) await db.settings.delete(AUDIT_HEAD_KEY);
      return fresh;
    });
  }

  /** Pushes, then pulls; what a hint, a timer or a new command triggers. */
  sync(): Promise<void> {
    return this.serial(async () => {
      try {
        await this.pushAll();
        await this.pullAll();
        this.report({ online: true, lastSyncAt: this.now().toISOString(), error: null, signedOut: false });
        this.retryWait = 0;
      } catch (e) {
        const signedOut = e instanceof HospitalError && e.status === 401;
        this.report({ online: !(e instanceof HospitalError && e.unreachable), error: e instanceof Error ? e.message : String(e), signedOut });
        // Signed out: nothing gets through until the user signs in again (reauthenticate), which syncs at once.
        if (!signedOut) this.scheduleRetry();
        throw e;
      } finally {
        await this.countCommands();
      }
    });
  }

  /** Logged in on the desk's own verifier (the server unreachable): say so, with what waits, until the desk reaches the server. */
  async reportOffline(reason: string): Promise<void> {
    this.report({ online: false, error: reason });
    await this.countCommands();
  }

  private async countCommands() {
    const mine = await this.db.deskCommands.where('[userId+state]').anyOf([[this.options.user.id, 'pending'], [this.options.user.id, 'refused']]).toArray();
    this.report({ pending: mine.filter((c) => c.state === 'pending').length, refused: mine.filter((c) => c.state === 'refused').length });
  }

  /** Sends this user's pending commands until none is left; answers are recorded as they come. */
  private async pushAll(): Promise<number> {
    let sent = 0;
    // Read once and sent in order, PUSH_BATCH a request; read again when done, for what was queued meanwhile.
    let queue: DeskCommand[] = [];
    let batch: DeskCommand[] = [];
    let answer: Promise<PushResponse> | undefined;
    const send = async (commands: DeskCommand[]) => {
      await this.uploadMaterials(commands);
      return this.client.push(commands.map(toWire));
    };
    for (;;) {
      if (!answer) {
        if (queue.length === 0) queue = await pendingCommands(this.db, this.options.user.id, Infinity);
        batch = queue.splice(0, PUSH_BATCH);
        if (batch.length === 0) return sent;
        answer = send(batch);
      }
      let result: PushResponse;
      try {
        result = await answer;
      } catch (e) {
        await this.db.deskCommands.bulkUpdate(batch.map((c) => ({ key: c.id, changes: { attempts: c.attempts + 1, lastError: e instanceof Error ? e.message : String(e) } })));
        throw e;
      }
      // The server has applied this batch: the next one goes while its answers are written here
      // (order is kept; were this desk to stop now, the next batch is simply sent again and
      // answered as before).
      const done = batch;
      answer = undefined;
      if (queue.length) {
        batch = queue.splice(0, PUSH_BATCH);
        answer = send(batch);
        // Awaited on the next turn; a failure meanwhile must not count as unhandled.
        answer.catch(() => undefined);
      }
      await recordResults(this.db, result.results, this.now());
      // The desk showed each command's effect on its own copy; the server's answer replaces it.
      const cases = new Set<string>();
      for (const c of done) if (c.caseId) cases.add(c.caseId);
      for (const r of result.results) {
        const made = r.state === 'applied' ? (r.value as { caseId?: unknown } | undefined)?.caseId : undefined;
        if (typeof made === 'string') cases.add(made);
      }
      await this.refreshCases([...cases]);
      sent += done.length;
    }
  }

  /** The bytes an application names go up before the application (the server refuses it without them). */
  private async uploadMaterials(batch: readonly DeskCommand[]) {
    for (const c of batch) {
      if (c.kind !== 'case.take') continue;
      for (const m of (c.payload as { materials?: { sha256: string; mime: string }[] }).materials ?? []) {
        if (this.uploaded.has(m.sha256)) continue;
        const row = await this.db.attachments.where('sha256').equals(m.sha256).first();
        // Not here: the server may hold it already; if not, it refuses the application and says so.
        if (!row) continue;
        await this.client.putBlob(m.sha256, new Uint8Array(await row.blob.arrayBuffer()), m.mime || row.type);
        this.uploaded.add(m.sha256);
      }
    }
  }

  /**
   * Replaces the desk's copy of these cases with the server's (or drops a case that left this
   * desk's share): one request and one transaction for up to MAX_CASE_ROWS cases.
   */
  private async refreshCases(caseIds: readonly string[]): Promise<void> {
    const { db } = this;
    for (let i = 0; i < caseIds.length; i += MAX_CASE_ROWS) {
      const answers = await this.client.caseRowsMany(caseIds.slice(i, i + MAX_CASE_ROWS));
      const state = await this.ensureShare();
      const written = await db.transaction('rw', [db.settings, db.users, db.physicians, ...CASE_TABLES.map((t) => tableOf(db, t))], async () => {
        const current = (await db.settings.get(SHARE_KEY))?.value as ShareState | undefined;
        if (!current || current.share !== state.share) return 0;
        const held = answers.filter((a) => a.held).map((a) => a.id);
        for (const a of answers) if (!a.held) await this.remove({ op: 'remove', seq: 0, table: 'cases', id: a.id });
        if (held.length) {
          // The 互认 log is still the desk's own (it reaches the platform from here): kept.
          for (const t of CASE_CHILDREN) if (t !== 'recognitions') await tableOf(db, t).where('caseId').anyOf(held).delete();
          await db.cases.bulkDelete(held);
          await db.certifications.where('caseId').anyOf(held).delete();
        }
        const rows = answers.flatMap((a) => (a.held ? a.rows : []));
        await this.write(rows);
        return rows.length + answers.length;
      });
      this.options.onChanged?.(written);
    }
  }

  /**
   * Pulls every page after the cursor; returns how many changes were written. The next page is
   * asked for while this one is written (its cursor is known once this page has arrived); it is
   * used only after this page and its cursor were committed.
   */
  private async pullAll(): Promise<number> {
    let state = await this.ensureShare();
    let written = 0;
    const size = this.options.pageSize ?? 500;
    let next: Promise<PullPage> = this.client.pull(state.cursor, size);
    for (;;) {
      const page = await next;
      if (page.more) {
        next = this.client.pull(page.cursor, size);
        // Awaited on the next turn; a failure meanwhile must not count as unhandled.
        next.catch(() => undefined);
      }
      state = await this.applyPage(state, page.changes, page.cursor, page.auditHead);
      written += page.changes.length;
      if (page.changes.length) this.options.onChanged?.(page.changes.length);
      if (this.options.fetchBlobs !== false) for (const c of page.changes) if (c.op === 'put' && c.table === 'materials') this.wanted.add(c.row);
      if (!page.more) break;
    }
    // Bytes after the rows: a file that cannot be fetched now never holds the cursor back.
    if (this.wanted.size) await this.fetchBlobs();
    return written;
  }

  /** Writes one page, the new cursor and the audit head seen in one transaction. */
  private async applyPage(state: ShareState, changes: readonly Change[], cursor: number, auditHead: PullPage['auditHead']): Promise<ShareState> {
    const { db } = this;
    const tables = [db.settings, db.users, db.physicians, ...CASE_TABLES.map((t) => tableOf(db, t))];
    return db.transaction('rw', tables, async () => {
      const current = (await db.settings.get(SHARE_KEY))?.value as ShareState | undefined;
      // Another user's login switched the share while this page was on its way: drop it.
      if (!current || current.share !== state.share || current.serverId !== state.serverId) throw new HospitalError(409, '工作站的数据范围已切换');
      await this.write(changes);
      const next = { ...current, cursor };
      await db.settings.put({ key: SHARE_KEY, value: next });
      await this.checkAuditHead(auditHead);
      return next;
    });
  }

  /**
   * Writes changes in their order, inside the caller's transaction: runs of rows go in one
   * bulkPut per table; a removal (which may take a case's children with it) first writes what
   * came before it.
   */
  private async write(changes: readonly Change[]) {
    const runs = new Map<string, Record<string, unknown>[]>();
    const flush = async () => {
      for (const [table, rows] of runs) await tableOf(this.db, table).bulkPut(rows);
      runs.clear();
    };
    for (const c of changes) {
      if (c.op === 'put' && c.table !== 'settings' && c.table !== 'users') {
        const run = runs.get(c.table);
        if (run) run.push(c.row);
        else runs.set(c.table, [c.row]);
        continue;
      }
      if (c.op === 'remove') await flush();
      await (c.op === 'put' ? this.put(c) : this.remove(c));
    }
    await flush();
  }

  private async put(c: Extract<Change, { op: 'put' }>) {
    const { db } = this;
    if (c.table === 'settings') return void (await db.settings.put({ key: String(c.row['key']), value: c.row['value'] }));
    if (c.table === 'users') {
      const u = c.row as unknown as PublicUser;
      const known = await db.users.get(u.id);
      // A local account of the same name from before this server (a different id) gives way.
      const clash = await db.users.where('username').equals(u.username).first();
      if (clash && clash.id !== u.id) await db.users.delete(clash.id);
      // The desk's own verifier for offline login, made at the last online login here.
      const row = deskUserRow(u, known?.passwordHash ?? '');
      return void (await db.users.put(row));
    }
    await tableOf(db, c.table).put(c.row);
  }

  private async remove(c: Extract<Change, { op: 'remove' }>) {
    const { db } = this;
    if (c.table === 'settings') return void (await db.settings.delete(c.id));
    if (c.table === 'cases') {
      for (const t of CASE_CHILDREN) await tableOf(db, t).where('caseId').equals(c.id).delete();
    }
    if (c.table === 'persons') await db.certifications.where('personId').equals(c.id).delete();
    await tableOf(db, c.table).delete(c.id);
  }

  private async checkAuditHead(head: { seq: number; hash: string } | null) {
    const known = (await this.db.settings.get(AUDIT_HEAD_KEY))?.value as { seq: number; hash: string } | undefined;
    if (known && (!head || head.seq < known.seq)) {
      this.report({ auditWarning: `院内服务器的审计记录比本机此前见到的少（此前第 ${known.seq} 条，现在 ${head?.seq ?? 0} 条）：记录可能被删除，请通知管理员` });
      return;
    }
    if (head) await this.db.settings.put({ key: AUDIT_HEAD_KEY, value: head });
  }

  /**
   * Fetches the bytes of materials pulled that this desk does not have yet. A file the server does
   * not hold (demo records carry none) is skipped; any other failure leaves it for the next sync.
   */
  private async fetchBlobs() {
    const { db } = this;
    type Wanted = { sha256?: string; attachmentId?: string | null; fileName?: string };
    const rows = [...this.wanted].filter((row) => {
      if ((row as Wanted).sha256) return true;
      this.wanted.delete(row);
      return false;
    });
    const hashes = [...new Set(rows.map((row) => (row as Wanted).sha256!))];
    const here = new Set((await db.attachments.where('sha256').anyOf(hashes).keys()) as string[]);
    // Which of the rest the server holds, a few hundred per request: a file it does not hold
    // (demo materials carry none) costs no request of its own.
    let held: Set<string> | null = new Set();
    const missing = hashes.filter((h) => !here.has(h));
    for (let i = 0; i < missing.length && held; i += MAX_HELD_HASHES) {
      try {
        for (const h of await this.client.heldBlobs(missing.slice(i, i + MAX_HELD_HASHES))) held.add(h);
      } catch (e) {
        // A server without the question: ask for each file instead.
        if (e instanceof HospitalError && e.status === 404) held = null;
        else return;
      }
    }
    for (const row of rows) {
      const m = row as Wanted;
      this.wanted.delete(row);
      if (here.has(m.sha256!) || (held && !held.has(m.sha256!))) continue;
      if (await db.attachments.where('sha256').equals(m.sha256!).count()) continue;
      let got: { bytes: Uint8Array; mime: string };
      try {
        got = await this.client.getBlob(m.sha256!);
      } catch (e) {
        if (e instanceof HospitalError && e.status === 404) continue;
        this.wanted.add(row);
        continue;
      }
      const blob = new Blob([got.bytes as BlobPart], { type: got.mime });
      if ((await blobSha256(blob)) !== m.sha256) continue;
      await db.attachments.put({ id: m.attachmentId ?? `att-${m.sha256}`, sha256: m.sha256!, name: m.fileName ?? m.sha256!, type: got.mime, size: got.bytes.length, blob, createdAt: this.now().toISOString() });
    }
  }

  /** Compares the cases held with the server's list for this share; re-pulls the share when they differ. */
  checkDrift(): Promise<boolean> {
    return this.serial(async () => {
      const ids = (await this.db.cases.toCollection().primaryKeys()) as string[];
      const head = (await this.db.settings.get(AUDIT_HEAD_KEY))?.value as { seq: number; hash: string } | undefined;
      const r = await this.client.drift(casesHash(ids), head ?? null);
      if (!r.auditOk) this.report({ auditWarning: '院内服务器的审计记录与本机此前见到的不一致（可能被改写），请通知管理员' });
      if (r.ok) return true;
      const { db } = this;
      await db.transaction('rw', [db.settings, ...CASE_TABLES.map((t) => tableOf(db, t))], async () => {
        for (const t of CASE_TABLES) await tableOf(db, t).clear();
        await db.settings.put({ key: SHARE_KEY, value: { serverId: this.options.serverId, share: this.share, cursor: 0 } satisfies ShareState });
      });
      await this.pullAll();
      return false;
    });
  }

  /**
   * After a failed sync, another try soon and then less often (2 s doubling to 30 s), while the
   * desk is started: the hint stream may still look open when the link is gone, and commands
   * saved offline must not wait for the next poll once the server answers again.
   */
  private scheduleRetry(): void {
    if (!this.stopHints || this.retryTimer !== undefined) return;
    this.retryWait = Math.min(Math.max(this.retryWait * 2, 2_000), 30_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.sync().catch(() => undefined);
    }, this.retryWait);
  }

  /** Keeps the desk in step: hints from the server, a new command at once, and a poll that covers a lost hint. */
  start(pollMs = 120_000): void {
    if (this.stopHints) return;
    const stop = (this.stopHints = new AbortController());
    const kick = () => void this.sync().catch(() => undefined);
    this.unlisten = onCommandQueued(kick);
    this.timer = setInterval(kick, pollMs);
    void (async () => {
      let wait = 500;
      while (!stop.signal.aborted) {
        kick();
        try {
          await this.client.events(kick, stop.signal);
          wait = 500;
        } catch {
          // refused (logged out, desk revoked): the poll and the next login take over
        }
        if (stop.signal.aborted) return;
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, 30_000);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopHints?.abort();
    this.stopHints = null;
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.unlisten?.();
    await this.chain;
  }
}

import { isIntact, resolveInput, type OutboxItem } from '../../../shared/sync/outbox-item';
import type { OutboxStore, Send, SendRequest, SendResult } from '../../../shared/sync/ports';
import { claimedReceipts, decideReconcile, reconcilePlan } from '../../../shared/sync/reconcile';
import { laneHead, readyLanes } from '../../../shared/sync/schedule';
import { dueAt, isDue } from '../../../shared/sync/states';
import {
  DEFAULT_TIMING,
  interrupt,
  rejectLocally,
  settleReconcile,
  settleSend,
  startSend,
  type ReconcileDecision,
  type SyncTiming,
  type TransitionContext,
} from '../../../shared/sync/transitions';

export interface RunnerOptions {
  store: OutboxStore;
  send: Send;
  /** Lanes (persons) worked on at once. */
  concurrency?: number;
  timing?: SyncTiming;
  /** Response timeout asked of the gateway per request; its configured default when absent. */
  requestTimeoutMs?: number;
  /**
   * The runner's own limit per request. The gateway has timeouts, but a half-open connection or a
   * stuck bridge must not hold a lane forever (Aam Digital's and Couchbase Lite's lesson).
   */
  watchdogMs?: number;
  /** False while the machine has no network: nothing is sent, nothing counts as a failure. */
  isOnline?: () => boolean;
  now?: () => Date;
  random?: () => number;
  log?: (line: string) => void;
}

export type RunnerPhase = 'stopped' | 'idle' | 'working' | 'offline' | 'halted';

export interface RunnerStatus {
  phase: RunnerPhase;
  /** Requests on the wire right now. */
  inFlight: number;
  lastError?: string;
  /** Platform clock minus ours, from the last accepted answer. */
  clockOffsetMs?: number;
}

// 24 lanes: enough to keep a loopback or LAN platform busy, few enough not to look like a flood.
const DEFAULT_CONCURRENCY = 24;
const DEFAULT_WATCHDOG_MS = 90_000;
const WATCHDOG_GRACE_MS = 5_000;
// A lane that finished does not trigger a full rescan more often than this.
const MIN_SCAN_INTERVAL_MS = 50;

/**
 * The sync runner: takes due items lane by lane from the outbox store and sends them through
 * `send`, writing each state durably before acting on it. It depends only on the two interfaces,
 * so the same code runs in the window (Dexie + window.api) and in the fault test (Dexie on
 * fake-indexeddb + the gateway called directly). One runner per database at a time: see
 * sync-owner.ts.
 */
export class SyncRunner {
  private readonly store: OutboxStore;
  private readonly send: Send;
  private readonly concurrency: number;
  private readonly timing: SyncTiming;
  private readonly watchdogMs: number;
  private readonly isOnline: () => boolean;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly log: (line: string) => void;

  private status: RunnerStatus = { phase: 'stopped', inFlight: 0 };
  private readonly listeners = new Set<(status: RunnerStatus) => void>();
  private stopping = false;
  private kicked = false;
  private fatal: unknown;
  private running?: Promise<void>;
  private readonly busy = new Set<string>();
  private readonly readyQueue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly workers = new Set<Promise<void>>();
  private wakeAt?: number;
  private wakeTimer?: ReturnType<typeof setTimeout>;
  private wakeUp?: () => void;

  constructor(private readonly options: RunnerOptions) {
    this.store = options.store;
    this.send = options.send;
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.timing = options.timing ?? DEFAULT_TIMING;
    this.watchdogMs = options.watchdogMs ?? (options.requestTimeoutMs ? options.requestTimeoutMs + WATCHDOG_GRACE_MS : DEFAULT_WATCHDOG_MS);
    this.isOnline = options.isOnline ?? (() => true);
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => undefined);
  }

  get snapshot(): RunnerStatus {
    return this.status;
  }

  subscribe(listener: (status: RunnerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs until stop() or a storage failure (then it rejects); recovers interrupted sends first. */
  run(): Promise<void> {
    this.running ??= this.loop().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Look again now: new items were queued, the network came back, or a person pressed 立即重试. */
  kick(): void {
    this.kicked = true;
    this.wake();
  }

  /** Stops taking work and waits for requests in flight to settle. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running?.catch(() => undefined);
  }

  private ctx(): TransitionContext {
    return { now: this.now(), timing: this.timing, random: this.random };
  }

  private setStatus(patch: Partial<RunnerStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const listener of this.listeners) listener(this.status);
  }

  private async loop(): Promise<void> {
    this.stopping = false;
    this.fatal = undefined;
    this.setStatus({ phase: 'idle', lastError: undefined });
    try {
      await this.recover();
      while (!this.stopping) {
        if (!this.isOnline()) {
          this.setStatus({ phase: 'offline' });
          await this.sleep(undefined);
          continue;
        }
        this.kicked = false;
        const scannedAt = Date.now();
        const plan = await this.store.dueLanes(this.now().getTime());
        for (const lane of readyLanes(plan.due, this.busy)) this.offer(lane);
        // Keep a wake-up a lane asked for that is still ahead; the scan skipped busy lanes.
        const pending = this.wakeAt !== undefined && this.wakeAt > this.now().getTime() ? this.wakeAt : undefined;
        this.wakeAt = earliest(plan.nextDueAt, pending);
        this.spawnWorkers();
        this.setStatus({ phase: this.workers.size > 0 ? 'working' : 'idle' });
        if (this.kicked || this.stopping) continue;
        await this.sleep(this.wakeAt);
        const early = scannedAt + MIN_SCAN_INTERVAL_MS - Date.now();
        if (early > 0 && !this.kicked && !this.stopping) await new Promise((r) => setTimeout(r, early));
      }
    } catch (error) {
      this.fatal ??= error;
    } finally {
      this.stopping = true;
      await Promise.all(this.workers);
      this.setStatus({ phase: this.fatal ? 'halted' : 'stopped', lastError: this.fatal ? describe(this.fatal) : this.status.lastError });
    }
    if (this.fatal) throw this.fatal;
  }

  /** Start-up: anything still `sending` was cut off mid-request; its outcome is unknown. */
  private async recover(): Promise<void> {
    const ctx = this.ctx();
    const cut = await this.store.inState('sending');
    if (cut.length === 0) return;
    await this.store.commit(cut.map((i) => interrupt(i, '工作站在等待平台应答时中断，结果未知，将先向平台核实', ctx)));
    this.log(`[sync] ${cut.length} interrupted send(s) marked unknown`);
  }

  private offer(lane: string): void {
    if (this.busy.has(lane) || this.queued.has(lane)) return;
    this.queued.add(lane);
    this.readyQueue.push(lane);
  }

  private spawnWorkers(): void {
    // Workers exit when the queue is empty, so there are never idle ones to reuse.
    const wanted = Math.min(this.concurrency - this.workers.size, this.readyQueue.length);
    for (let i = 0; i < wanted; i++) {
      const worker: Promise<void> = this.worker().finally(() => {
        this.workers.delete(worker);
        if (this.workers.size === 0) this.wake();
      });
      this.workers.add(worker);
    }
  }

  private async worker(): Promise<void> {
    try {
      for (let lane = this.readyQueue.shift(); lane !== undefined && !this.stopping; lane = this.readyQueue.shift()) {
        this.queued.delete(lane);
        if (this.busy.has(lane)) continue;
        this.busy.add(lane);
        try {
          await this.drainLane(lane);
        } finally {
          this.busy.delete(lane);
        }
      }
    } catch (error) {
      // The store failed (disk full, database closed): stop rather than send what cannot be recorded.
      this.fatal ??= error;
      this.stopping = true;
      this.wake();
    }
  }

  /**
   * Works a lane's items in order while the head is due. The lane is read once and then followed
   * in memory; it is read again when a write lost its race (someone else changed the item) and
   * before leaving, so an item queued meanwhile is not left behind.
   *
   * An outcome is written together with the next item's `sending` — one strict commit for both
   * instead of two in a row. Until then the settled item is still `sending` on disk, which after
   * a crash means "ask the platform first", so the wait loses nothing; and the next request does
   * not leave before both are on disk.
   */
  private async drainLane(lane: string): Promise<void> {
    let items = await this.store.laneItems(lane);
    let fresh = true;
    let carry: OutboxItem | undefined;
    const flush = async () => {
      if (carry && !(await this.write(carry))) this.log(`[sync] ${carry.id}: outcome not recorded, the item changed meanwhile`);
      carry = undefined;
    };
    try {
      while (!this.stopping && this.isOnline()) {
        const head = laneHead(items);
        if (!head || !isDue(head.state, this.now()) || head.state.tag === 'unknown') await flush();
        if (!head || !isDue(head.state, this.now())) {
          if (!fresh) {
            items = await this.store.laneItems(lane);
            fresh = true;
            continue;
          }
          const at = head ? dueAt(head.state) : undefined;
          if (at !== undefined) this.noteDue(Date.parse(at));
          return;
        }
        let next: OutboxItem | undefined;
        if (head.state.tag === 'unknown') {
          next = await this.reconcile(head, items);
        } else {
          const pending = carry;
          carry = undefined;
          next = carry = await this.sendItem(head, items, pending);
        }
        items = next ? items.map((i) => (i.id === next.id ? next : i)) : await this.store.laneItems(lane);
        fresh = !next;
      }
    } finally {
      await flush();
    }
  }

  /**
   * Sends one item, writing `pending` (the previous item's outcome) with its `sending`. Answers
   * the settled item, not yet written (the caller writes it with the next one), or undefined if
   * another writer changed the item first.
   */
  private async sendItem(item: OutboxItem, laneItems: OutboxItem[], pending: OutboxItem | undefined): Promise<OutboxItem | undefined> {
    const previous = pending ? [pending] : [];
    if (!isIntact(item)) {
      if (pending) await this.store.commit(previous);
      return rejectLocally(item, '报文内容与排队时的摘要不一致，已停止发送；请核对后重新录入', this.ctx());
    }
    const resolved = await this.resolve(item, laneItems);
    if (!resolved.ok) {
      if (pending) await this.store.commit(previous);
      return rejectLocally(item, resolved.reason, this.ctx());
    }
    // Durable before the request leaves: a crash from here on leaves `sending`, which start-up turns into `unknown`.
    const sending = startSend(item, this.ctx());
    const written = await this.store.commit([...previous, sending]);
    if (pending && !written[0]) this.log(`[sync] ${pending.id}: outcome not recorded, the item changed meanwhile`);
    if (!written.at(-1)) return undefined;
    const started = Date.now();
    const result = await this.guardedSend({ infno: item.infno, input: resolved.input, insuplcAdmdvs: item.insuplcAdmdvs });
    return settleSend(sending, result, this.ctx(), Date.now() - started);
  }

  /** Commits one transition; answers the item if it was written. */
  private async write(next: OutboxItem): Promise<OutboxItem | undefined> {
    const [written] = await this.store.commit([next]);
    return written ? next : undefined;
  }

  private async resolve(item: OutboxItem, laneItems: OutboxItem[]) {
    const bytes = new Map<string, string | undefined>();
    for (const b of item.bindings ?? []) {
      if (b.from === 'attachment') bytes.set(b.attachmentId, await this.store.attachmentBase64(b.attachmentId, b.sha256));
    }
    return resolveInput(item, (id) => laneItems.find((i) => i.id === id), (id) => bytes.get(id));
  }

  /** Asks the platform what became of an uncertain send (never resends blind). */
  private async reconcile(item: OutboxItem, laneItems: OutboxItem[]): Promise<OutboxItem | undefined> {
    // The plan needs the message's fields, not attachment bytes.
    const resolved = resolveInput(item, (id) => laneItems.find((i) => i.id === id), () => '');
    let decision: ReconcileDecision;
    if (!resolved.ok) {
      decision = { result: 'failed', reason: resolved.reason };
    } else {
      const plan = reconcilePlan(item, resolved.input);
      if (plan.kind === 'resend') {
        decision = { result: 'absent', detail: plan.why };
      } else {
        const answer = await this.guardedSend({ infno: plan.infno, input: plan.input, insuplcAdmdvs: plan.insuplcAdmdvs });
        decision = decideReconcile(item, resolved.input, answer, claimedReceipts(laneItems, item.id));
      }
    }
    return this.write(settleReconcile(item, decision, this.ctx()));
  }

  /** `send`, bounded by the watchdog; a throw or a hang becomes an unknown outcome, never a lost lane. */
  private async guardedSend(request: SendRequest): Promise<SendResult> {
    const full = this.options.requestTimeoutMs ? { ...request, timeoutMs: this.options.requestTimeoutMs } : request;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watchdog = new Promise<SendResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ outcome: 'unknown', msgid: '', reason: 'watchdog', message: `请求 ${Math.round(this.watchdogMs / 1000)} 秒仍无结果，已停止等待` }),
        this.watchdogMs,
      );
    });
    this.setStatus({ inFlight: this.status.inFlight + 1 });
    try {
      const sent = this.send(full).catch(
        (error: unknown): SendResult => ({ outcome: 'unknown', msgid: '', reason: 'send_failed', message: `发送出错：${describe(error)}` }),
      );
      const result = await Promise.race([sent, watchdog]);
      if (result.outcome === 'accepted' && result.clockOffsetMs !== undefined) this.setStatus({ clockOffsetMs: result.clockOffsetMs });
      return result;
    } finally {
      clearTimeout(timer);
      this.setStatus({ inFlight: this.status.inFlight - 1 });
    }
  }

  private noteDue(at: number): void {
    if (this.wakeAt !== undefined && this.wakeAt <= at) return;
    this.wakeAt = at;
    if (this.wakeUp) this.arm(at);
  }

  private arm(at: number | undefined): void {
    clearTimeout(this.wakeTimer);
    if (at !== undefined) this.wakeTimer = setTimeout(() => this.wake(), Math.max(0, at - this.now().getTime()));
  }

  private sleep(until: number | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeUp = resolve;
      this.arm(until);
    }).finally(() => {
      clearTimeout(this.wakeTimer);
      this.wakeUp = undefined;
    });
  }

  private wake(): void {
    this.wakeUp?.();
  }
}

const earliest = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

/** An error as a sentence; a full disk is named as such, not as Dexie's bare AbortError (architecture.md §6). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = (error as { inner?: { name?: string } }).inner;
  if (error.name === 'QuotaExceededError' || inner?.name === 'QuotaExceededError') return '磁盘空间不足，无法写入本地数据库';
  return error.message;
}

import { clearTimer, delay, setTimer, type TimerHandle } from './timers';
import type { OutboxStore, Send, SendRequest, SendResult } from './ports';
import { readyLanes } from './schedule';
import { isDue, type SyncState } from './states';
import { DEFAULT_TIMING, interrupt, type SyncTiming, type TransitionContext } from './transitions';
import { LaneWorker } from './lane-worker';
import { errorMessage } from './storage-error';
import { withWatchdog } from './watchdog';

export interface RunnerOptions {
  store: OutboxStore;
  send: Send;
  /** Lanes (persons) worked on at once. */
  concurrency?: number;
  timing?: SyncTiming;
  /** Response timeout asked of the gateway per request; its configured default when absent. */
  requestTimeoutMs?: number;
  /** The runner's own limit per request (watchdog.ts); the request timeout plus a grace by default. */
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
  private readonly isOnline: () => boolean;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly log: (line: string) => void;
  private readonly lanes: LaneWorker;

  private status: RunnerStatus = { phase: 'stopped', inFlight: 0 };
  private readonly listeners = new Set<(status: RunnerStatus) => void>();
  private stopping = false;
  private kicked = false;
  /** States entered before this time count as due (see due()); set when the network comes back. */
  private promptBefore = 0;
  private promptScan = false;
  private fatal: unknown;
  private running?: Promise<void>;
  private readonly busy = new Set<string>();
  private readonly readyQueue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly workers = new Set<Promise<void>>();
  private wakeAt?: number;
  private wakeTimer?: TimerHandle;
  private wakeUp?: () => void;
  private wakePending = false;

  constructor(private readonly options: RunnerOptions) {
    this.store = options.store;
    const watchdogMs = options.watchdogMs ?? (options.requestTimeoutMs ? options.requestTimeoutMs + WATCHDOG_GRACE_MS : DEFAULT_WATCHDOG_MS);
    this.send = withWatchdog(options.send, watchdogMs);
    this.lanes = new LaneWorker({
      store: this.store,
      send: (request) => this.guardedSend(request),
      ctx: () => this.ctx(),
      due: (state) => this.due(state),
      log: (line) => this.log(line),
      mayContinue: () => !this.stopping && this.isOnline(),
      noteDue: (at) => this.noteDue(at),
    });
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.timing = options.timing ?? DEFAULT_TIMING;
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

  /**
   * Look again now: new items were queued, or a person pressed 立即重试. With 'online' (the
   * network came back) items that were waiting out a backoff are tried at once too: what failed
   * them was, most likely, the missing link.
   */
  kick(reason?: 'online'): void {
    if (reason === 'online') {
      this.promptBefore = this.now().getTime();
      this.promptScan = true;
    }
    this.kicked = true;
    this.wake();
  }

  /**
   * Whether an item may be worked on now: its own time has come, or it has been waiting since
   * before the network came back — a retry at once, a verification once the settle time of its
   * uncertain send has passed (a request still running on the platform must not be missed).
   */
  private due(state: SyncState): boolean {
    if (isDue(state, this.now())) return true;
    if (state.tag === 'retrying') return Date.parse(state.since) < this.promptBefore;
    if (state.tag === 'unknown') return Date.parse(state.since) < this.promptBefore - this.timing.settleMs;
    return false;
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
        // After the network came back, every lane with anything waiting is looked at once.
        const horizon = this.promptScan ? Number.MAX_SAFE_INTEGER : this.now().getTime();
        this.promptScan = false;
        // Enough lanes to fill every free worker twice over; busy lanes are not worth reading.
        const plan = await this.store.dueLanes(horizon, 2 * this.concurrency, this.busy);
        for (const lane of readyLanes(plan.due, this.busy)) this.offer(lane);
        // Keep a wake-up a lane asked for that is still ahead; the scan skipped busy lanes.
        const pending = this.wakeAt !== undefined && this.wakeAt > this.now().getTime() ? this.wakeAt : undefined;
        this.wakeAt = earliest(plan.nextDueAt, pending);
        this.spawnWorkers();
        this.setStatus({ phase: this.workers.size > 0 ? 'working' : 'idle' });
        if (this.kicked || this.stopping) continue;
        await this.sleep(this.wakeAt);
        const early = scannedAt + MIN_SCAN_INTERVAL_MS - Date.now();
        if (early > 0 && !this.kicked && !this.stopping) await delay(early);
      }
    } catch (error) {
      this.fatal ??= error;
    } finally {
      this.stopping = true;
      await Promise.all(this.workers);
      this.setStatus({ phase: this.fatal ? 'halted' : 'stopped', lastError: this.fatal ? errorMessage(this.fatal) : this.status.lastError });
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
        // A free worker and nothing queued for it: scan again (scans fetch a bounded number of lanes).
        if (this.readyQueue.length === 0) this.wake();
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
          await this.lanes.drain(lane);
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

  /** `send` with the watchdog on, counting requests in flight and keeping the platform's clock offset. */
  private async guardedSend(request: SendRequest): Promise<SendResult> {
    this.setStatus({ inFlight: this.status.inFlight + 1 });
    try {
      const result = await this.send(this.options.requestTimeoutMs ? { ...request, timeoutMs: this.options.requestTimeoutMs } : request);
      if (result.outcome === 'accepted' && result.clockOffsetMs !== undefined) this.setStatus({ clockOffsetMs: result.clockOffsetMs });
      return result;
    } finally {
      this.setStatus({ inFlight: this.status.inFlight - 1 });
    }
  }

  private noteDue(at: number): void {
    if (this.wakeAt !== undefined && this.wakeAt <= at) return;
    this.wakeAt = at;
    if (this.wakeUp) this.arm(at);
  }

  private arm(at: number | undefined): void {
    clearTimer(this.wakeTimer);
    if (at !== undefined) this.wakeTimer = setTimer(() => this.wake(), Math.max(0, at - this.now().getTime()));
  }

  private sleep(until: number | undefined): Promise<void> {
    // A wake that came while the loop was scanning is not lost.
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.wakeUp = resolve;
      this.arm(until);
    }).finally(() => {
      clearTimer(this.wakeTimer);
      this.wakeUp = undefined;
    });
  }

  private wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wakePending = true;
  }
}

const earliest = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

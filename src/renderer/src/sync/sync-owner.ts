/**
 * One sync runner across all windows of the workstation: the runner only runs while this window
 * holds the Web Lock `opsp-sync-owner` (navigator.locks.request). Other windows queue for the lock
 * and take over when the owner closes — the browser releases a dead window's lock. Without the
 * lock two windows would send the same lane at once.
 */
import type { RunnerOptions, RunnerStatus } from '../../../shared/sync/runner';
import { WorkerUnavailableError, type RunnerHandle } from './worker-runner';

export const SYNC_LOCK = 'opsp-sync-owner';
const CHANNEL = 'opsp-sync';
// After a storage failure the runner halts; try again after a pause rather than spin.
const RESTART_DELAY_MS = 10_000;

export type Ownership = 'owner' | 'waiting' | 'off';

export interface OwnerStatus {
  ownership: Ownership;
  runner: RunnerStatus;
}

export interface SyncOwnerDeps {
  /** Builds the runner once the lock is ours (store, send, timing…). */
  createRunner: (options: Pick<RunnerOptions, 'isOnline'>) => RunnerHandle;
  locks?: LockManager;
  target?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  isOnline?: () => boolean;
  log?: (line: string) => void;
}

export class SyncOwner {
  private status: OwnerStatus = { ownership: 'off', runner: { phase: 'stopped', inFlight: 0 } };
  private readonly listeners = new Set<(status: OwnerStatus) => void>();
  private runner?: RunnerHandle;
  private readonly abort = new AbortController();
  private stopped = false;
  private channel?: BroadcastChannel;
  private readonly onOnline = () => this.runner?.kick('online');
  private readonly onOffline = () => this.runner?.kick();

  constructor(private readonly deps: SyncOwnerDeps) {}

  get snapshot(): OwnerStatus {
    return this.status;
  }

  subscribe(listener: (status: OwnerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues for the lock and runs the runner whenever this window holds it. */
  start(): void {
    const target = this.deps.target ?? window;
    target.addEventListener('online', this.onOnline);
    target.addEventListener('offline', this.onOffline);
    if (typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(CHANNEL);
      this.channel.onmessage = () => this.runner?.kick();
    }
    const locks = this.deps.locks ?? globalThis.navigator?.locks;
    if (!locks) {
      this.deps.log?.('[sync] Web Locks unavailable: running without a cross-window owner');
      void this.own();
      return;
    }
    this.set({ ownership: 'waiting' });
    locks.request(SYNC_LOCK, { signal: this.abort.signal }, () => this.own()).catch(() => undefined);
  }

  /** New work or a retry request: wakes the runner, here or in whichever window owns it. */
  kick(): void {
    this.runner?.kick();
    this.channel?.postMessage('kick');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    const target = this.deps.target ?? window;
    target.removeEventListener('online', this.onOnline);
    target.removeEventListener('offline', this.onOffline);
    this.channel?.close();
    await this.runner?.stop();
  }

  /** Holds the lock for as long as this resolves later: the runner's whole life. */
  private async own(): Promise<void> {
    this.set({ ownership: 'owner' });
    while (!this.stopped) {
      const runner = this.deps.createRunner({ isOnline: this.deps.isOnline ?? (() => navigator.onLine) });
      this.runner = runner;
      const unsubscribe = runner.subscribe((r) => this.set({ runner: r }));
      try {
        await runner.run();
      } catch (error) {
        this.deps.log?.(`[sync] runner halted: ${(error as Error).message}`);
        // A worker that could not start is replaced at once (the next runner runs in the window).
        await new Promise((r) => setTimeout(r, error instanceof WorkerUnavailableError ? 0 : RESTART_DELAY_MS));
      } finally {
        unsubscribe();
      }
    }
    this.set({ ownership: 'off' });
  }

  private set(patch: Partial<OwnerStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const listener of this.listeners) listener(this.status);
  }
}

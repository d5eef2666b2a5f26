/**
 * The lapse sweep (002: an offer not accepted within 48 hours goes to another expert): the loop
 * that lapses and redraws every overdue offer in small batches, the Web Lock that keeps it to one
 * window at a time, and a tiny event the worklist listens to so it reloads when the sweep moved
 * something — in this window or another one. The timer lives in useLapseSweeper (app-wide).
 */
import type { WorkstationDb } from '../../db/db';
import { sweepLapsedOffers, type ReviewContext } from './assignment-repo';

/** Offers per transaction: one batch never holds the worklist's tables for long. */
export const SWEEP_BATCH = 25;
/** Pause between batches, so a worklist query waiting for the tables goes first. */
export const SWEEP_PAUSE_MS = 50;
export const SWEEP_INTERVAL_MS = 60_000;
/** The first sweep waits this long after login, clear of the first worklist query. */
export const SWEEP_FIRST_DELAY_MS = 5_000;
export const SWEEP_LOCK = 'opsp-lapse-sweeper';
const CHANNEL = 'opsp-lapse-swept';

export interface SweepOptions {
  batch?: number;
  pauseMs?: number;
  /** Checked before each batch: the sweep ends early once it says true (logout, unmount). */
  stopped?: () => boolean;
  /** Seeds for the redraws (tests); the platform CSPRNG otherwise. */
  seed?: () => number;
}

/**
 * Lapses and redraws every offer whose acceptance window has passed at `now`, `batch` per
 * transaction with a pause between, until a batch comes back short. A failing batch ends the
 * sweep (the next one retries). Returns how many offers lapsed.
 */
export async function sweepAll(db: WorkstationDb, ctx: ReviewContext, now: Date, options: SweepOptions = {}): Promise<number> {
  const batch = options.batch ?? SWEEP_BATCH;
  const pauseMs = options.pauseMs ?? SWEEP_PAUSE_MS;
  let total = 0;
  while (!options.stopped?.()) {
    const n = await sweepLapsedOffers(db, ctx, now, options.seed, batch).catch(() => 0);
    total += n;
    if (n < batch) break;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return total;
}

/**
 * Runs `fn` only if no other window of the workstation is running it (Web Lock `name`, not
 * waited for); null when another window holds it. Without Web Locks it just runs.
 */
export async function runExclusive<T>(name: string, fn: () => Promise<T>, locks: LockManager | undefined = globalThis.navigator?.locks): Promise<T | null> {
  if (!locks) return fn();
  return locks.request(name, { ifAvailable: true }, (lock) => (lock ? fn() : null)) as Promise<T | null>;
}

type Listener = (moved: number) => void;
const listeners = new Set<Listener>();
// Open while this window has listeners, so sweeps in other windows reach them too. A channel
// never hears its own messages, so a sweep here reaches local listeners once, directly.
let channel: BroadcastChannel | null = null;

/** Calls `listener` whenever work items moved (a lapse sweep, a deadline refresh; here or in another window); returns the unsubscribe. */
export function onWorkItemsChanged(listener: Listener): () => void {
  listeners.add(listener);
  if (!channel && typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (e: MessageEvent<number>) => listeners.forEach((l) => l(e.data));
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      channel?.close();
      channel = null;
    }
  };
}

/** Tells every worklist, in this window and the others, that `moved` items changed. */
export function notifyWorkItemsChanged(moved: number): void {
  listeners.forEach((l) => l(moved));
  if (channel) channel.postMessage(moved);
  else if (typeof BroadcastChannel !== 'undefined') {
    const once = new BroadcastChannel(CHANNEL);
    once.postMessage(moved);
    once.close();
  }
}

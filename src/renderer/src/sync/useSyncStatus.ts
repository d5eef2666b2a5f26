import Dexie from 'dexie';
import { useSyncExternalStore } from 'react';
import { needsAttention } from '../../../shared/sync/states';
import { getDb } from '../db/db';
import { getSyncOwner } from './sync-engine';
import type { OwnerStatus } from './sync-owner';

export interface SyncStatus {
  /** Queued, or waiting for a retry after a transient failure. */
  waiting: number;
  /** Sent and not yet answered, or sent with an unknown outcome being verified with the platform. */
  inFlight: number;
  /** Rejected by the platform (or the workstation) and not yet dealt with by a person. */
  needsAttention: number;
  /** The earliest scheduled retry or verification, ISO time. */
  nextAttemptAt?: string;
  /** Some window of this workstation is running sync (this one, or another that holds the lock). */
  running: boolean;
  /** Why sync stopped, when it did (e.g. the disk is full). */
  lastError?: string;
}

const EMPTY = { waiting: 0, inFlight: 0, needsAttention: 0 };

async function countOutbox(): Promise<Omit<SyncStatus, 'running' | 'lastError'>> {
  const db = getDb();
  const [waiting, sending, retryingItems, unknownItems, rejected] = await Promise.all([
    db.outbox.where('status').equals('queued').count(),
    db.outbox.where('status').equals('sending').count(),
    db.outbox.where('status').equals('retrying').toArray(),
    db.outbox.where('status').equals('unknown').toArray(),
    db.outbox.where('status').equals('rejected').toArray(),
  ]);
  const later = [...retryingItems, ...unknownItems];
  let nextAttemptAt: string | undefined;
  let retrying = 0;
  for (const item of later) {
    const at = item.state.tag === 'retrying' ? item.state.nextAttemptAt : item.state.tag === 'unknown' ? item.state.nextCheckAt : undefined;
    if (item.state.tag === 'retrying') retrying++;
    if (at && (!nextAttemptAt || at < nextAttemptAt)) nextAttemptAt = at;
  }
  return {
    waiting: waiting + retrying,
    inFlight: sending + (later.length - retrying),
    needsAttention: rejected.filter((i) => needsAttention(i.state)).length,
    nextAttemptAt,
  };
}

/** At most this often the counts are read again while the outbox keeps changing. */
export const COUNT_INTERVAL_MS = 500;

/**
 * The outbox counts, one shared value for the window. A sync drains hundreds of items a minute,
 * each committing several times; re-reading and re-rendering on every commit would keep the main
 * thread busy for nothing a person can read. So: every commit to the outbox (in this window or
 * another — Dexie's storagemutated event) marks the counts stale, and they are read again at most
 * every COUNT_INTERVAL_MS, the last change always included.
 */
const counts: { value: Omit<SyncStatus, 'running' | 'lastError'>; listeners: Set<() => void>; stale: boolean; reading: boolean; timer?: ReturnType<typeof setTimeout>; lastRead: number } = {
  value: EMPTY,
  listeners: new Set(),
  stale: true,
  reading: false,
  lastRead: 0,
};

function readCounts(): void {
  if (counts.reading || counts.timer || counts.listeners.size === 0) return;
  const wait = counts.lastRead + COUNT_INTERVAL_MS - Date.now();
  if (wait > 0) {
    counts.timer = setTimeout(() => {
      counts.timer = undefined;
      readCounts();
    }, wait);
    return;
  }
  counts.reading = true;
  counts.stale = false;
  counts.lastRead = Date.now();
  countOutbox()
    .then(
      (value) => {
        counts.value = value;
        for (const listener of counts.listeners) listener();
      },
      () => undefined,
    )
    .finally(() => {
      counts.reading = false;
      if (counts.stale) readCounts();
    });
}

const onMutated = (parts: Record<string, unknown>) => {
  if (!Object.keys(parts).some((key) => key.includes('/outbox/'))) return;
  counts.stale = true;
  readCounts();
};

const subscribeCounts = (listener: () => void) => {
  if (counts.listeners.size === 0) {
    Dexie.on('storagemutated', onMutated);
    counts.stale = true;
  }
  counts.listeners.add(listener);
  readCounts();
  return () => {
    counts.listeners.delete(listener);
    if (counts.listeners.size === 0) {
      Dexie.on('storagemutated').unsubscribe(onMutated);
      clearTimeout(counts.timer);
      counts.timer = undefined;
    }
  };
};
const countsSnapshot = () => counts.value;

// The runner's status changes with every request sent and answered; the header only shows
// whether sync runs and why it stopped, so each is read as a primitive and a re-render waits
// until one of them changes.
const subscribeOwner = (notify: () => void) => getSyncOwner().subscribe(notify);
const runningSnapshot = (): boolean => {
  const owner: OwnerStatus = getSyncOwner().snapshot;
  return owner.ownership === 'waiting' || (owner.ownership === 'owner' && owner.runner.phase !== 'halted' && owner.runner.phase !== 'stopped');
};
const stopReasonSnapshot = (): string | undefined => {
  const { runner } = getSyncOwner().snapshot;
  return runner.phase === 'halted' ? runner.lastError : undefined;
};

/**
 * What the header shows about sync, live from the outbox (every window sees every commit). The
 * app starts this window's claim on the sync lock when the database opens; getSyncOwner() is
 * idempotent, so reading the owner's status here never starts a second one.
 */
export function useSyncStatus(): SyncStatus {
  const value = useSyncExternalStore(subscribeCounts, countsSnapshot);
  const running = useSyncExternalStore(subscribeOwner, runningSnapshot);
  const lastError = useSyncExternalStore(subscribeOwner, stopReasonSnapshot);
  return { ...value, running, lastError };
}

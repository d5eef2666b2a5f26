import { useLiveQuery } from 'dexie-react-hooks';
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

const subscribeOwner = (notify: () => void) => getSyncOwner().subscribe(notify);
const ownerSnapshot = (): OwnerStatus => getSyncOwner().snapshot;

/**
 * What the header shows about sync, live from the outbox (a Dexie liveQuery, so every window sees
 * every commit). The app starts this window's claim on the sync lock when the database opens;
 * getSyncOwner() is idempotent, so reading the owner's status here never starts a second one.
 */
export function useSyncStatus(): SyncStatus {
  const counts = useLiveQuery(countOutbox, [], EMPTY);
  const owner = useSyncExternalStore(subscribeOwner, ownerSnapshot);
  const running = owner.ownership === 'waiting' || (owner.ownership === 'owner' && owner.runner.phase !== 'halted' && owner.runner.phase !== 'stopped');
  return { ...counts, running, lastError: owner.runner.phase === 'halted' ? owner.runner.lastError : undefined };
}

/**
 * The window's sync wiring: the outbox store on the workstation database, the runner behind the
 * cross-window owner, and the actions the UI takes (queue messages, retry now, mark handled).
 * Everything that queues goes through here so the owner is woken at once.
 */
import type { HandledAction } from '../../../shared/sync/states';
import { markHandled, retryNow, DEFAULT_TIMING, type TransitionContext } from '../../../shared/sync/transitions';
import type { OutboxItem } from '../../../shared/sync/outbox-item';
import { getDb } from '../db/db';
import { ipcSend } from './ipc-send';
import { DexieOutboxStore, type EnqueueRequest } from './outbox-store';
import { SyncRunner } from '../../../shared/sync/runner';
import { SyncOwner } from './sync-owner';
import { WorkerRunner, type RunnerHandle, type WorkerUnavailableError } from './worker-runner';

let store: DexieOutboxStore | undefined;
let owner: SyncOwner | undefined;

export function getOutboxStore(): DexieOutboxStore {
  return (store ??= new DexieOutboxStore(getDb()));
}

// Whether the runner may run in a worker: no Worker (tests on happy-dom), or a worker that
// failed to start, and it runs in the window instead, for the rest of the session.
let workerUsable = typeof Worker !== 'undefined';

/**
 * The runner: in a dedicated worker, so its IndexedDB and bookkeeping work never becomes a long
 * task on the thread that paints (issue 6: no task over 100 ms while 10,000 items sync); sends
 * still go through window.api here. In the window when no worker can be had.
 */
function createRunner(isOnline: () => boolean): RunnerHandle {
  const send = ipcSend(window.api);
  if (!workerUsable) return new SyncRunner({ store: getOutboxStore(), send, isOnline, log: console.warn });
  const onUnavailable = (error: WorkerUnavailableError) => {
    console.warn(`[sync] worker unavailable (${error.message}); syncing in the window`);
    workerUsable = false;
  };
  return new WorkerRunner({ createWorker: () => new Worker(new URL('./sync-worker.ts', import.meta.url), { name: 'opsp-sync' }), send, isOnline, log: console.warn, onUnavailable });
}

/** Starts this window's claim on syncing (idempotent); the runner runs while the lock is ours. */
export function getSyncOwner(): SyncOwner {
  if (!owner) {
    owner = new SyncOwner({ createRunner: ({ isOnline }) => createRunner(isOnline ?? (() => navigator.onLine)), log: console.warn });
    owner.start();
  }
  return owner;
}

/** Lets another window take over syncing (and tests end cleanly). */
export async function stopSync(): Promise<void> {
  const current = owner;
  owner = undefined;
  await current?.stop();
}

const ctx = (): TransitionContext => ({ now: new Date(), timing: DEFAULT_TIMING, random: Math.random });

/**
 * Validates and queues messages; resolves once IndexedDB has committed them with strict
 * durability — only then may the UI say 已保存.
 */
export async function queueMessages(requests: readonly EnqueueRequest[], actorId: string | null): Promise<OutboxItem[]> {
  const items = await getOutboxStore().enqueue(requests, actorId);
  getSyncOwner().kick();
  return items;
}

/** 立即重试: a waiting item becomes due now. */
export async function retryItemNow(id: string, actorId: string | null): Promise<void> {
  await getOutboxStore().applyManual(id, (item) => retryNow(item, ctx(), actorId ?? undefined), { kind: 'outbox.retryNow', actorId });
  getSyncOwner().kick();
}

/** Records what a person did about a rejected item, so it no longer asks for attention. */
export async function markItemHandled(id: string, action: HandledAction, actorId: string | null, itemId?: string): Promise<void> {
  await getOutboxStore().applyManual(id, (item) => markHandled(item, action, ctx(), itemId, actorId ?? undefined), {
    kind: 'outbox.handled',
    actorId,
    detail: { action, itemId },
  });
}

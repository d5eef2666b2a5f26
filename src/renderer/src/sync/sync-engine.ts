/**
 * What is left of the desk's own platform outbox. Desks no longer talk to the provincial platform:
 * the hospital server alone sends (its outbox, src/server/platform; the 医保办 reads its progress
 * in the pulled table `filings`). Nothing on the desk sends these items any more — this module
 * only keeps the old calls compiling until features/filings and features/review queue commands
 * to the server instead; it is to be deleted with its last caller.
 */
import type { HandledAction } from '../../../shared/sync/states';
import { markHandled, retryNow, DEFAULT_TIMING, type TransitionContext } from '../../../shared/sync/transitions';
import type { OutboxItem } from '../../../shared/sync/outbox-item';
import { getDb } from '../db/db';
import { DexieOutboxStore, type EnqueueRequest } from './outbox-store';

let store: DexieOutboxStore | undefined;

/** @deprecated The desk's outbox is no longer sent; queue a command to the hospital server. */
export function getOutboxStore(): DexieOutboxStore {
  return (store ??= new DexieOutboxStore(getDb()));
}

/** @deprecated No runner runs on the desk any more: kick() does nothing. */
export function getSyncOwner(): { kick(): void } {
  return { kick: () => undefined };
}

/** @deprecated Nothing to stop: kept for tests that still call it. */
export async function stopSync(): Promise<void> {}

const ctx = (): TransitionContext => ({ now: new Date(), timing: DEFAULT_TIMING, random: Math.random });

/** @deprecated Stored on the desk only; nothing sends it. Queue a command to the hospital server. */
export async function queueMessages(requests: readonly EnqueueRequest[], actorId: string | null): Promise<OutboxItem[]> {
  return getOutboxStore().enqueue(requests, actorId);
}

/** @deprecated See queueMessages. */
export async function retryItemNow(id: string, actorId: string | null): Promise<void> {
  await getOutboxStore().applyManual(id, (item) => retryNow(item, ctx(), actorId ?? undefined), { kind: 'outbox.retryNow', actorId });
}

/** @deprecated See queueMessages. */
export async function markItemHandled(id: string, action: HandledAction, actorId: string | null, itemId?: string): Promise<void> {
  await getOutboxStore().applyManual(id, (item) => markHandled(item, action, ctx(), itemId, actorId ?? undefined), {
    kind: 'outbox.handled',
    actorId,
    detail: { action, itemId },
  });
}

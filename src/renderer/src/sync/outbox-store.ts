import Dexie from 'dexie';
import type { FieldIssue } from '../../../shared/platform';
import { newItem, type OutboxItem, type OutboxMessage, type OutboxMeta } from '../../../shared/sync/outbox-item';
import type { OutboxStore } from '../../../shared/sync/ports';
import type { DueEntry } from '../../../shared/sync/schedule';
import { OPEN_TAGS, type SyncTag } from '../../../shared/sync/states';
import { validateMessage } from '../../../shared/sync/validate-message';
import { appendAudit } from '../db/audit';
import type { WorkstationDb } from '../db/db';
import { attachmentBase64 } from './attachments-store';

export interface EnqueueRequest {
  message: OutboxMessage;
  meta?: OutboxMeta;
}

/** A message that failed the interface's field rules; nothing of the batch was queued. */
export class OutboxValidationError extends Error {
  constructor(
    /** Which request of the batch. */
    readonly index: number,
    readonly issues: FieldIssue[],
  ) {
    super(issues.map((i) => `${i.path}${i.label ? `（${i.label}）` : ''}: ${i.message}`).join('；'));
    this.name = 'OutboxValidationError';
  }
}

// Messages checked, hashed and handed to IndexedDB per turn of the event loop: small enough that
// a turn stays well under the 100 ms a person notices, large enough that per-call costs vanish.
const ENQUEUE_SLICE = 100;
// Items read per page of the due index when looking for lanes to work on.
const DUE_PAGE = 200;

/** The fields a transition may change; everything else of a stored item is frozen. */
const MUTABLE = ['state', 'status', 'due', 'attempts', 'sends', 'uncertain', 'rev'] as const;

interface PendingWrite {
  item: OutboxItem;
  resolve: (written: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * The outbox in IndexedDB. Every write commits with strict durability (the database's setting),
 * and a promise resolves only after the commit — so "已保存" and "sending" mean what they say.
 */
export class DexieOutboxStore implements OutboxStore {
  private pending: PendingWrite[] = [];
  private flushing = false;

  constructor(
    readonly db: WorkstationDb,
    private readonly newId: () => string = () => `ob-${globalThis.crypto.randomUUID()}`,
  ) {}

  /**
   * Validates and queues messages as one transaction: all or none. Answers the stored items once
   * committed. Receipt bindings must point at an earlier item of the same lane, so lane order
   * guarantees the value exists when the message is sent.
   */
  async enqueue(requests: readonly EnqueueRequest[], actorId: string | null = null, now = new Date()): Promise<OutboxItem[]> {
    const ids = requests.map(() => this.newId());
    return this.db.transaction('rw', this.db.outbox, this.db.audit, async () => {
      const [lastSeq] = (await this.db.outbox.orderBy('seq').reverse().limit(1).keys()) as number[];
      const known = await this.bindingSources(requests, new Set(ids));
      let seq = lastSeq ?? 0;
      const items: OutboxItem[] = [];
      // A slice at a time: check and hash it, hand it to IndexedDB, then wait for the slice before
      // it to be written. The database writes one slice while we compute the next, and every
      // wait is a turn of the event loop — a batch of ten thousand never becomes one long task
      // (the transaction stays alive: a write is always pending across the wait). A message that
      // fails its field rules throws, which aborts the transaction: nothing of the batch is kept.
      let previous: Promise<unknown> | undefined;
      for (let start = 0; start < requests.length; start += ENQUEUE_SLICE) {
        const slice = requests.slice(start, start + ENQUEUE_SLICE).map((r, k) => {
          const issues = validateMessage(r.message);
          if (issues.length > 0) throw new OutboxValidationError(start + k, issues);
          return newItem(r.message, r.meta ?? {}, ids[start + k]!, ++seq, now);
        });
        slice.forEach((item, k) => {
          checkBindings(item, start + k, known);
          known.set(item.id, item);
        });
        items.push(...slice);
        const current = this.db.outbox.bulkAdd(slice);
        if (previous) await previous;
        previous = current;
      }
      await previous;
      await appendAudit(this.db, {
        kind: 'outbox.enqueued',
        actorId,
        at: now.toISOString(),
        subject: items.length === 1 ? items[0]!.id : `${items.length} 条报文`,
        detail: { count: items.length, first: items[0]?.id, last: items.at(-1)?.id, kinds: countBy(items.map((d) => d.kind)) },
      });
      return items;
    });
  }

  /** The stored items that receipt bindings of the batch refer to (items of the batch itself come later). */
  private async bindingSources(requests: readonly EnqueueRequest[], batchIds: ReadonlySet<string>): Promise<Map<string, OutboxItem>> {
    const refs = new Set(requests.flatMap((r) => (r.message.bindings ?? []).flatMap((b) => (b.from === 'receipt' && !batchIds.has(b.itemId) ? [b.itemId] : []))));
    const stored = await this.db.outbox.bulkGet([...refs]);
    return new Map(stored.flatMap((i) => (i ? [[i.id, i] as const] : [])));
  }

  /**
   * A person's action on one item (立即重试, marking a rejection handled): the transition and its
   * audit entry commit together. Answers the new item, or undefined if the item changed meanwhile.
   */
  async applyManual(
    id: string,
    transition: (item: OutboxItem) => OutboxItem,
    audit: { kind: string; actorId: string | null; detail?: Record<string, unknown> },
  ): Promise<OutboxItem | undefined> {
    return this.db.transaction('rw', this.db.outbox, this.db.audit, async () => {
      const current = await this.db.outbox.get(id);
      if (!current) return undefined;
      const next = transition(current);
      const stored = { ...current } as Record<string, unknown>;
      for (const key of MUTABLE) stored[key] = next[key];
      await this.db.outbox.put(stored as unknown as OutboxItem);
      await appendAudit(this.db, { kind: audit.kind, actorId: audit.actorId, subject: id, detail: { from: current.status, to: next.status, ...audit.detail } });
      return stored as unknown as OutboxItem;
    });
  }

  async get(id: string): Promise<OutboxItem | undefined> {
    return this.db.outbox.get(id);
  }

  /** Every unfinished item (for lists; the runner schedules from the `due` index instead). */
  async openItems(): Promise<OutboxItem[]> {
    return (await Promise.all(OPEN_TAGS.map((tag) => this.inState(tag)))).flat();
  }

  inState(tag: SyncTag): Promise<OutboxItem[]> {
    return this.db.outbox.where('status').equals(tag).toArray();
  }

  // Ranges are read with toArray (IDBIndex.getAll): Dexie walks a cursor for keys() and anyOf(),
  // which costs seconds per call on fake-indexeddb at a few thousand rows (the Node tests' store).
  async dueLanes(now: number, want = Number.POSITIVE_INFINITY, skip: ReadonlySet<string> = new Set()): Promise<{ due: DueEntry[]; nextDueAt?: number }> {
    const index = () => this.db.outbox.where('[due+lane]');
    const next = index().above([now, Dexie.maxKey]).limit(1).toArray();
    // Page through the due range, earliest first, only until `want` lanes are found: the cost of
    // a scan stays that of a page or two however many items wait (a whole-range read would be
    // one long main-thread task per scan with ten thousand queued).
    const due: DueEntry[] = [];
    const seen = new Set<string>();
    let lower: [number, string] | [number, unknown] = [-Infinity, Dexie.minKey];
    let inclusive = true;
    for (;;) {
      const page: OutboxItem[] = await index().between(lower, [now, Dexie.maxKey], inclusive, true).limit(DUE_PAGE).toArray();
      for (const item of page) {
        if (seen.has(item.lane) || skip.has(item.lane)) continue;
        seen.add(item.lane);
        due.push({ lane: item.lane, due: item.due! });
      }
      if (page.length < DUE_PAGE || due.length >= want) break;
      // Entries equal to the last key belong to a lane already seen: start after it.
      const last: OutboxItem = page[page.length - 1]!;
      lower = [last.due!, last.lane];
      inclusive = false;
    }
    const [first] = await next;
    return first?.due === undefined ? { due } : { due, nextDueAt: first.due };
  }

  laneItems(lane: string): Promise<OutboxItem[]> {
    return this.db.outbox.where('[lane+seq]').between([lane, Dexie.minKey], [lane, Dexie.maxKey]).toArray();
  }

  attachmentBase64(id: string, sha256: string): Promise<string | undefined> {
    return attachmentBase64(this.db, id, sha256);
  }

  /**
   * Compare-and-set writes, grouped: writes requested while a transaction is committing are
   * gathered into the next one (group commit), so 24 lanes cost one strict flush, not 24.
   */
  commit(items: readonly OutboxItem[]): Promise<boolean[]> {
    const written = items.map((item) => new Promise<boolean>((resolve, reject) => this.pending.push({ item, resolve, reject })));
    this.flush();
    return Promise.all(written);
  }

  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    void (async () => {
      // Let writes requested in the same turn join this transaction.
      await Promise.resolve();
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        try {
          const results = await this.writeBatch(batch.map((p) => p.item));
          batch.forEach((p, i) => p.resolve(results[i]!));
        } catch (error) {
          batch.forEach((p) => p.reject(error));
        }
      }
      this.flushing = false;
      if (this.pending.length > 0) this.flush();
    })();
  }

  private writeBatch(items: OutboxItem[]): Promise<boolean[]> {
    return this.db.transaction('rw', this.db.outbox, async () => {
      const ids = [...new Set(items.map((i) => i.id))];
      const stored = new Map((await this.db.outbox.bulkGet(ids)).flatMap((i) => (i ? [[i.id, i] as const] : [])));
      const changed = new Set<string>();
      const results = items.map((item) => {
        const current = stored.get(item.id);
        if (!current || current.rev !== item.rev - 1) return false;
        changed.add(item.id);
        // Only the mutable fields are taken from the caller: the frozen message cannot change here.
        const next = { ...current } as Record<string, unknown>;
        for (const key of MUTABLE) next[key] = item[key];
        stored.set(item.id, next as unknown as OutboxItem);
        return true;
      });
      if (changed.size > 0) await this.db.outbox.bulkPut([...changed].map((id) => stored.get(id)!));
      return results;
    });
  }
}

/** A receipt binding must name an earlier item of the same person (lane order then guarantees its receipt). */
function checkBindings(item: OutboxItem, index: number, known: ReadonlyMap<string, OutboxItem>): void {
  for (const b of item.bindings ?? []) {
    if (b.from !== 'receipt') continue;
    const source = known.get(b.itemId);
    if (!source || source.lane !== item.lane || source.seq >= item.seq) {
      throw new OutboxValidationError(index, [{ path: b.path.join('.'), label: null, message: '只能引用同一人员此前排队的报文' }]);
    }
  }
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

import { describe, expect, it, vi } from 'vitest';
import type { OutboxStore } from '../../../shared/sync/ports';
import { SyncRunner } from '../../../shared/sync/runner';
import { SyncOwner, SYNC_LOCK } from './sync-owner';

/** A LockManager with one exclusive lock per name, granted in request order, as browsers do. */
function fakeLocks() {
  const tails = new Map<string, Promise<void>>();
  const requested: string[] = [];
  const locks = {
    request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>) {
      requested.push(name);
      const before = tails.get(name) ?? Promise.resolve();
      let release!: () => void;
      tails.set(name, before.then(() => new Promise<void>((r) => (release = r))));
      return before.then(async () => {
        if (options.signal?.aborted) {
          release();
          throw new DOMException('aborted', 'AbortError');
        }
        try {
          return await callback();
        } finally {
          release();
        }
      });
    },
  };
  return { locks: locks as unknown as LockManager, requested };
}

const emptyStore: OutboxStore = { dueLanes: async () => ({ due: [] }), inState: async () => [], laneItems: async () => [], commit: async (i) => i.map(() => true), attachmentBase64: async () => undefined };

function owner(locks: LockManager, target: EventTarget) {
  const runners: SyncRunner[] = [];
  const o = new SyncOwner({
    locks,
    target: target as unknown as Window,
    isOnline: () => true,
    createRunner: ({ isOnline }) => {
      const r = new SyncRunner({ store: emptyStore, send: async () => ({ outcome: 'transient', reason: 'x', message: 'x' }), isOnline });
      runners.push(r);
      return r;
    },
  });
  return { o, runners };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('SyncOwner', () => {
  it('runs one runner across windows; the next window takes over when the owner goes', async () => {
    const { locks, requested } = fakeLocks();
    const a = owner(locks, new EventTarget());
    const b = owner(locks, new EventTarget());
    a.o.start();
    b.o.start();
    await tick();
    expect(requested).toEqual([SYNC_LOCK, SYNC_LOCK]);
    expect(a.o.snapshot.ownership).toBe('owner');
    expect(b.o.snapshot.ownership).toBe('waiting');
    expect(a.runners).toHaveLength(1);
    expect(b.runners).toHaveLength(0);
    expect(a.o.snapshot.runner.phase).toBe('idle');

    await a.o.stop();
    await tick();
    expect(b.o.snapshot.ownership).toBe('owner');
    expect(b.runners).toHaveLength(1);
    await b.o.stop();
  });

  it('kicks its runner when the network comes back', async () => {
    const { locks } = fakeLocks();
    const target = new EventTarget();
    const a = owner(locks, target);
    a.o.start();
    await tick();
    const kick = vi.spyOn(a.runners[0]!, 'kick');
    target.dispatchEvent(new Event('online'));
    expect(kick).toHaveBeenCalledWith('online');
    await a.o.stop();
  });
});

import { createMsgidSequencer, msgidSlice } from '../../shared/platform/msgid';

/**
 * Hands out this workstation's msgids (domain.md §5): institution code + China time to the second
 * + a 4-digit sequence from the workstation's slice (slot n: n000–n999), so two workstations of
 * one hospital never collide and no id repeats within the process.
 */
export interface MsgidAllocator {
  next(): Promise<string>;
}

export interface AllocatorClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: AllocatorClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Ten workstations at most share one institution code: slot 0–9, 1,000 ids each per second. */
export const WORKSTATION_SLOTS = 10;

export function createMsgidAllocator(fixmedinsCode: string, slot: number, clock: AllocatorClock = realClock): MsgidAllocator {
  const sequencer = createMsgidSequencer(fixmedinsCode, msgidSlice(slot, WORKSTATION_SLOTS));
  // The second last used. If the wall clock steps back we keep writing this second rather than
  // repeat an earlier one; the China offset is whole hours, so second boundaries coincide.
  let floorMs = 0;
  // One caller at a time past an exhausted slice, so waiters come out in order.
  let queue: Promise<unknown> = Promise.resolve();

  async function allocate(): Promise<string> {
    for (;;) {
      const now = clock.now();
      const at = Math.max(now, floorMs);
      const id = sequencer.next(new Date(at));
      if (id) {
        floorMs = at - (at % 1000);
        return id;
      }
      // This second's slice is used up: wait for the next second (domain.md §5 leaves no room).
      await clock.sleep(1000 - (now % 1000));
      if (clock.now() < floorMs + 1000) floorMs += 1000; // the wall clock is behind: move on anyway
    }
  }

  return {
    next() {
      const result = queue.then(allocate);
      queue = result.catch(() => undefined);
      return result;
    },
  };
}

const shared = new Map<string, MsgidAllocator>();

/**
 * The process-wide allocator for one institution code and slot: a gateway rebuilt after a
 * settings change keeps the same sequence, so it cannot reissue an id the old one used.
 */
export function msgidAllocatorFor(fixmedinsCode: string, slot: number): MsgidAllocator {
  const key = `${fixmedinsCode}#${slot}`;
  let allocator = shared.get(key);
  if (!allocator) {
    allocator = createMsgidAllocator(fixmedinsCode, slot);
    shared.set(key, allocator);
  }
  return allocator;
}

import { createMsgidSequencer, msgidSlice } from '../../shared/platform/msgid';
import { formatCompactTime } from '../../shared/time';

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

/**
 * The millisecond style some clients use (Shenzhen): institution code + yyyyMMddHHmmss +
 * milliseconds (3) + the workstation's slot (1). One id per millisecond per workstation; a second
 * call within the same millisecond waits for the next. Never goes back when the clock does.
 */
export function createMillisecondMsgidAllocator(fixmedinsCode: string, slot: number, clock: AllocatorClock = realClock): MsgidAllocator {
  if (fixmedinsCode.length !== 12) throw new RangeError(`定点医药机构编号应为 12 位，实际 ${fixmedinsCode.length} 位`);
  let lastMs = -1;
  let queue: Promise<unknown> = Promise.resolve();
  async function allocate(): Promise<string> {
    const now = clock.now();
    // Same millisecond as the last id: wait for the next. (A clock stepped back further just counts on from the last id.)
    if (now <= lastMs && lastMs - now < 1000) await clock.sleep(lastMs + 1 - now);
    const at = Math.max(clock.now(), lastMs + 1);
    lastMs = at;
    const ms = at % 1000;
    return `${fixmedinsCode}${formatCompactTime(new Date(at))}${String(ms).padStart(3, '0')}${slot % 10}`;
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
export function msgidAllocatorFor(fixmedinsCode: string, slot: number, style: 'sequence' | 'millisecond' = 'sequence'): MsgidAllocator {
  const key = `${fixmedinsCode}#${slot}#${style}`;
  let allocator = shared.get(key);
  if (!allocator) {
    allocator = style === 'millisecond' ? createMillisecondMsgidAllocator(fixmedinsCode, slot) : createMsgidAllocator(fixmedinsCode, slot);
    shared.set(key, allocator);
  }
  return allocator;
}

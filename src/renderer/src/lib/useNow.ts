import { useCallback, useSyncExternalStore } from 'react';
import { chinaDateOf, type IsoDate } from '../../../shared/time';

/**
 * A clock that ticks every `ms`, shared by every component that reads it: the countdown cells
 * read it themselves, so a tick re-renders a dozen small cells, not the whole worklist table.
 */
const clocks = new Map<number, { now: Date; listeners: Set<() => void>; timer?: ReturnType<typeof setInterval> }>();

function clock(ms: number) {
  let c = clocks.get(ms);
  if (!c) clocks.set(ms, (c = { now: new Date(), listeners: new Set() }));
  return c;
}

export function useNow(ms = 30_000): Date {
  const subscribe = useCallback(
    (listener: () => void) => {
      const c = clock(ms);
      if (c.listeners.size === 0) {
        c.now = new Date();
        c.timer = setInterval(() => {
          c.now = new Date();
          for (const l of c.listeners) l();
        }, ms);
      }
      c.listeners.add(listener);
      return () => {
        c.listeners.delete(listener);
        if (c.listeners.size === 0) clearInterval(c.timer);
      };
    },
    [ms],
  );
  return useSyncExternalStore(subscribe, () => clock(ms).now);
}

/**
 * Today's China date, read again every minute: a page left open past midnight (a physician's
 * night shift, a desk never closed) moves to the new day by itself.
 */
export function useToday(): IsoDate {
  return chinaDateOf(useNow(60_000));
}

/**
 * The host's timers, typed here because the pure core compiles without DOM or Node types: both
 * places the runner runs (the hospital server, a desk's window or worker) have them.
 */
export type TimerHandle = unknown;

interface HostTimers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

const host = globalThis as unknown as HostTimers;

export const setTimer = (fn: () => void, ms: number): TimerHandle => host.setTimeout(fn, ms);
export const clearTimer = (handle: TimerHandle | undefined): void => host.clearTimeout(handle);
/** Resolves after `ms`. */
export const delay = (ms: number): Promise<void> => new Promise((resolve) => host.setTimeout(resolve, ms));

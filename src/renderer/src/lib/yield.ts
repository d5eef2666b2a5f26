/**
 * Gives the event loop a turn (input, rendering, other tasks) in the middle of long work, so the
 * work never becomes one long main-thread task. scheduler.yield keeps this task's priority where
 * the browser has it; elsewhere (Node tests, older engines) a macrotask does.
 */
export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

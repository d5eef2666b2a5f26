import { useSyncExternalStore } from 'react';

/**
 * Below this window width the header is compact: the server's address, the sync breakdown and the
 * user's role go into tooltips, 锁定 and 退出 become icons (the window's minimum is 1100 px).
 */
export const COMPACT_HEADER_QUERY = '(max-width: 1599px)';

const query = () => (typeof window.matchMedia === 'function' ? window.matchMedia(COMPACT_HEADER_QUERY) : null);
const subscribe = (notify: () => void) => {
  const q = query();
  q?.addEventListener('change', notify);
  return () => q?.removeEventListener('change', notify);
};

/** Whether the header should be compact at the window's current width. */
export const useCompactHeader = (): boolean => useSyncExternalStore(subscribe, () => query()?.matches ?? false);

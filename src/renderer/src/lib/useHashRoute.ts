import { useCallback, useSyncExternalStore } from 'react';

const subscribe = (notify: () => void) => {
  window.addEventListener('hashchange', notify);
  return () => window.removeEventListener('hashchange', notify);
};

/** The current `#/path` route; survives a reload, needs no server routing (file:// in Electron). */
export function useHashRoute(fallback: string): [string, (path: string) => void] {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const path = hash.startsWith('#/') ? hash.slice(1) : fallback;
  const navigate = useCallback((next: string) => {
    window.location.hash = next;
  }, []);
  return [path, navigate];
}

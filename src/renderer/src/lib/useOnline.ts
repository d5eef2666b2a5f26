import { useSyncExternalStore } from 'react';

const subscribe = (notify: () => void) => {
  window.addEventListener('online', notify);
  window.addEventListener('offline', notify);
  return () => {
    window.removeEventListener('online', notify);
    window.removeEventListener('offline', notify);
  };
};

/** Whether the machine has a network link at all (the platform may still be unreachable). */
export const useOnline = (): boolean => useSyncExternalStore(subscribe, () => navigator.onLine);

import { useEffect, useState } from 'react';
import type { IpcResult } from '../../../shared/ipc/result';

/**
 * A status main knows (the platform's, the hospital server's), asked at once and then every
 * `ms`: the last answer, or why the asking itself failed.
 */
export function usePolled<T>(ask: () => Promise<IpcResult<T>>, ms: number): { value?: T; failure?: string } {
  const [state, setState] = useState<{ value?: T; failure?: string }>({});
  useEffect(() => {
    let alive = true;
    const poll = async () => {
      const result = await ask();
      if (!alive) return;
      setState((prev) => (result.ok ? { value: result.value } : { value: prev.value, failure: result.error.message }));
    };
    void poll();
    const timer = window.setInterval(() => void poll(), ms);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
  }, [ask, ms]);
  return state;
}

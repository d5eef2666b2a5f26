import { useCallback, useState } from 'react';
import { errorText } from './ipc';

/**
 * A form's submit: busy while it runs, the failure's message (in Chinese) kept for the form to
 * show, cleared on the next try. `run` resolves true when the work succeeded.
 */
export function useAction(): { busy: boolean; error: string | undefined; run: (work: () => Promise<unknown>) => Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}

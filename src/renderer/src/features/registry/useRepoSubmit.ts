import type { FormInstance } from 'antd';
import { useState } from 'react';
import { errorText } from '../../lib/ipc';
import type { RepoResult } from '../cases/assignment-repo';

/**
 * A registry form's submit: validate the form, call the repo while `busy`, and show the repo's
 * refusal (or a thrown error) in `error`; `saved` gets the value once the write has committed.
 */
export function useRepoSubmit<V, T>(form: FormInstance<V>, save: (values: V) => Promise<RepoResult<T>>, saved: (value: T) => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    setError(null);
    try {
      const r = await save(values);
      if (!r.ok) return setError(r.message);
      saved(r.value);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return { submit, busy, error };
}

import { createContext, useContext } from 'react';
import type { User } from '../../../../shared/domain/user';

export interface Session {
  user: User;
  /** Locks the workstation now (the header's 锁定 button, or idle). */
  lock: () => void;
  logout: () => void;
}

export const SessionContext = createContext<Session | null>(null);

/** The logged-in user; only usable inside the shell, where a session always exists. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a logged-in shell');
  return session;
}

import { useEffect, useState } from 'react';
import { deskSync, onDeskStatus } from './desk-session';
import type { DeskSyncStatus } from './desk-sync';

/** This desk's link to its server as the sync engine last saw it (null before login or without a server). */
export function useDeskStatus(): DeskSyncStatus | null {
  const [status, setStatus] = useState<DeskSyncStatus | null>(() => deskSync()?.status ?? null);
  useEffect(() => onDeskStatus((s) => setStatus({ ...s })), []);
  return status;
}

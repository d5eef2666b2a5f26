import { useEffect, useState } from 'react';
import type { ServerPlatformStatus } from '../../../shared/hospital/filings';
import { errorText } from '../lib/ipc';
import { onDeskStatus } from './desk-session';
import { platformClient } from './platform-link';

const POLL_MS = 15_000;

export interface PolledPlatformStatus {
  /** The server's last answer (kept while a later ask fails, so the header does not flicker). */
  value?: ServerPlatformStatus;
  /** Why the last ask failed, in Chinese (no server, not signed in there, no answer). */
  failure?: string;
  /** When `value` was received. */
  at?: Date;
}

/**
 * The hospital server's link to the provincial platform (GET /platform/status), asked at once,
 * every 15 s, and whenever the desk's own link to the server changes (so it shows as soon as the
 * desk is back online). The desk itself never talks to the platform.
 */
export function usePlatformStatus(ms = POLL_MS): PolledPlatformStatus {
  const [state, setState] = useState<PolledPlatformStatus>({});
  useEffect(() => {
    let alive = true;
    let asking = false;
    const poll = async () => {
      if (asking) return;
      asking = true;
      try {
        const value = await platformClient().platformStatus();
        if (alive) setState({ value, at: new Date() });
      } catch (e) {
        if (alive) setState((prev) => ({ ...prev, failure: errorText(e) }));
      } finally {
        asking = false;
      }
    };
    void poll();
    const timer = window.setInterval(() => void poll(), ms);
    let wasOnline: boolean | undefined;
    const unlisten = onDeskStatus((s) => {
      if (s.online !== wasOnline) void poll();
      wasOnline = s.online;
    });
    return () => {
      alive = false;
      window.clearInterval(timer);
      unlisten();
    };
  }, [ms]);
  return state;
}

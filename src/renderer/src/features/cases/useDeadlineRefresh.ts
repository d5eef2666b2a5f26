import { useEffect } from 'react';
import { getDb } from '../../db/db';
import { DEADLINE_REFRESH_LOCK, refreshDeadlines } from './deadline-refresh';
import { notifyWorkItemsChanged, runExclusive } from './lapse-sweep';
import { useReviewContext } from './useReviewContext';

/**
 * Mounted once, in the shell, for every role: when the window's calendar changes (an import here
 * or in another window, or the first load after an update), deadlines waiting for it are counted
 * at once and every worklist reloads. See deadline-refresh.ts.
 */
export function useDeadlineRefresh(): void {
  const ctx = useReviewContext();
  const pack = ctx?.pack;
  const calendar = ctx?.calendar;
  useEffect(() => {
    if (!pack || !calendar) return;
    let stopped = false;
    void runExclusive(DEADLINE_REFRESH_LOCK, () => refreshDeadlines(getDb(), { pack, calendar }, new Date()))
      .then((moved) => {
        if (moved && !stopped) notifyWorkItemsChanged(moved);
      })
      .catch((e: unknown) => console.warn('办结时限重算失败，下次日历变化或启动时重试', e));
    return () => {
      stopped = true;
    };
  }, [pack, calendar]);
}

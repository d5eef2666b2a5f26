import { useEffect, useRef } from 'react';
import { getDb } from '../../db/db';
import { notifyWorkItemsChanged, runExclusive, sweepAll, SWEEP_FIRST_DELAY_MS, SWEEP_INTERVAL_MS, SWEEP_LOCK } from './lapse-sweep';
import { useReviewContext } from './useReviewContext';
import { worksThroughServer } from '../../hospital/desk-session';

/**
 * Offers past their acceptance window go to another physician (002: 48 h). Whoever is logged
 * in (any role: a lapsed offer belongs to someone else) sweeps them once a minute, the first
 * time a few seconds after login so the first worklist query goes first. Mounted once, in the
 * shell; with several windows open only the one holding the Web Lock sweeps. Worklists reload
 * through onWorkItemsChanged.
 */
export function useLapseSweeper(): void {
  const ctx = useReviewContext();
  // The loop reads the latest context (a pack or settings change) without restarting its timer.
  const latest = useRef(ctx);
  useEffect(() => {
    latest.current = ctx;
  }, [ctx]);
  const ready = ctx !== undefined;

  useEffect(() => {
    // Through the hospital server, lapses and redraws are the server's alone.
    if (!ready || worksThroughServer()) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const current = latest.current;
      if (current) {
        const moved = await runExclusive(SWEEP_LOCK, () => sweepAll(getDb(), current, new Date(), { stopped: () => stopped })).catch(() => null);
        if (moved && !stopped) notifyWorkItemsChanged(moved);
      }
      if (!stopped) timer = setTimeout(() => void tick(), SWEEP_INTERVAL_MS);
    };
    timer = setTimeout(() => void tick(), SWEEP_FIRST_DELAY_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ready]);
}

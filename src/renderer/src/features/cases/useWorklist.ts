import { useCallback, useEffect, useRef, useState } from 'react';
import type { WorkItem } from '../../../../shared/domain/work-item';
import type { Calendar } from '../../../../shared/policy/calendar';
import type { WorklistQuery } from '../../../../shared/review/worklist';
import { getDb } from '../../db/db';
import { countWorklist, queryWorklist } from './worklist-repo';

// The first page fills a screen several times over; the table asks for more as it scrolls.
const PAGE = 100;

export interface WorklistState {
  rows: WorkItem[];
  total: number | null;
  more: boolean;
  loading: boolean;
  /** Milliseconds the last query took (shown small, and read by the benchmark). */
  tookMs: number | null;
  loadMore: () => void;
  reload: () => void;
}

/**
 * The worklist rows for a query, a page at a time: the first page on every query change, the
 * next when the table scrolls near its end. A stale answer (the query changed meanwhile) is dropped.
 */
export function useWorklist(query: WorklistQuery, calendar: Calendar | undefined): WorklistState {
  const [version, setVersion] = useState(0);
  // The answer is kept with the request it answers: a different key means "loading".
  const [result, setResult] = useState<{ key: string; rows: WorkItem[]; total: number | null; more: boolean; tookMs: number | null; busy: boolean } | null>(null);
  const ticket = useRef(0);
  const key = `${JSON.stringify(query)}#${version}`;

  useEffect(() => {
    if (!calendar) return;
    const mine = ++ticket.current;
    const started = performance.now();
    const now = new Date();
    queryWorklist(getDb(), query, { now, calendar, limit: PAGE, count: false }).then(
      (page) => {
        if (mine !== ticket.current) return;
        setResult({ key, ...page, tookMs: performance.now() - started, busy: false });
        // Rows first, then the total: counting never delays what the physician sees.
        void countWorklist(getDb(), query, { now, calendar }).then((total) => setResult((r) => (r && r.key === key ? { ...r, total } : r)));
      },
      () => mine === ticket.current && setResult({ key, rows: [], total: 0, more: false, tookMs: null, busy: false }),
    );
  }, [key, query, calendar]);

  const current = result?.key === key ? result : null;
  const loadMore = useCallback(() => {
    if (!calendar || !current || current.busy || !current.more) return;
    const mine = ++ticket.current;
    setResult({ ...current, busy: true });
    queryWorklist(getDb(), query, { now: new Date(), calendar, offset: current.rows.length, limit: PAGE }).then(
      (page) => mine === ticket.current && setResult({ ...current, rows: [...current.rows, ...page.rows], more: page.more, busy: false }),
      () => mine === ticket.current && setResult({ ...current, busy: false }),
    );
  }, [calendar, current, query]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return {
    rows: current?.rows ?? result?.rows ?? [],
    total: current?.total ?? null,
    more: current?.more ?? false,
    loading: current === null || current.busy,
    tookMs: current?.tookMs ?? null,
    loadMore,
    reload,
  };
}

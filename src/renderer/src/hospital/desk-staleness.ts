/**
 * How long this desk has gone without reaching its hospital server. A township desk may work
 * offline for days; past a number of days (a desk setting, 3 by default) the 同步 page shows it in
 * a warning colour, so someone takes the desk to the network before its queue grows stale. The last
 * success is kept in the desk's settings as well, since the sync engine's status starts empty at
 * every start of the app.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import { z } from 'zod';
import { chinaDateOf, daysBetween } from '../../../shared/time';
import { getDb, getSetting, putSetting } from '../db/db';
import { useDeskStatus } from './useDeskStatus';

export const STALE_DAYS_KEY = 'desk.staleDays';
export const STALE_DAYS_DEFAULT = 3;
export const staleDaysSchema = z.number({ error: '请填写天数' }).int('天数应为整数').min(1, '至少 1 天').max(60, '最多 60 天');
/** The last time this desk's sync reached the server (ISO instant), as the sync status last said. */
export const LAST_REACHED_KEY = 'desk.lastReachedAt';

export interface Staleness {
  /** When the desk last reached the server; null when it never has (as far as this desk knows). */
  lastAt: string | null;
  /** China calendar days since then (0: today); null without a last time. */
  days: number | null;
  /** More than the allowed days have passed (or the desk never reached the server). */
  stale: boolean;
}

/** How stale the desk is at `now`, counted in China calendar days (as every deadline here is). */
export function staleness(lastAt: string | null, now: Date, allowedDays: number): Staleness {
  if (!lastAt) return { lastAt: null, days: null, stale: true };
  const days = Math.max(0, daysBetween(chinaDateOf(lastAt), chinaDateOf(now)));
  return { lastAt, days, stale: days > allowedDays };
}

/** The later of two ISO instants (either may be missing). */
export const laterOf = (a: string | null | undefined, b: string | null | undefined): string | null => {
  if (!a) return b ?? null;
  if (!b) return a;
  return new Date(a).getTime() >= new Date(b).getTime() ? a : b;
};

/** The allowed days, live; the default until someone changes it in 设置. */
export const useStaleDays = (): number => useLiveQuery(() => getSetting(getDb(), STALE_DAYS_KEY, STALE_DAYS_DEFAULT), []) ?? STALE_DAYS_DEFAULT;

export const saveStaleDays = async (days: number): Promise<void> => putSetting(getDb(), STALE_DAYS_KEY, staleDaysSchema.parse(days));

/** When this desk last reached its server: the sync status's lastSyncAt, remembered across starts. */
export function useLastReached(): string | null {
  const desk = useDeskStatus();
  const stored = useLiveQuery(() => getSetting<string | null>(getDb(), LAST_REACHED_KEY, null), []);
  const live = desk?.lastSyncAt ?? null;
  useEffect(() => {
    if (!live || stored === undefined) return;
    if (laterOf(live, stored) === live && live !== stored) void putSetting(getDb(), LAST_REACHED_KEY, live).catch(() => undefined);
  }, [live, stored]);
  return laterOf(live, stored);
}

/**
 * Working-day arithmetic for deadlines (002/004: ≤ 20 working days; 003: 5, 30, 60 and 3 working
 * days, supplement time not counted). The start day itself never counts — counting begins the
 * next day — and paused intervals (inclusive) are skipped.
 */
import { dayInfo, type Calendar, type CalendarError } from './calendar';
import { addDays, isIsoDate, type IsoDate } from '../time';

export interface DateInterval {
  from: IsoDate;
  to: IsoDate;
}

export interface WorkingDayOptions {
  /** Days that do not count, e.g. while the applicant completes materials (003 第八条). */
  paused?: readonly DateInterval[];
}

export type WorkingDateResult =
  | { ok: true; date: IsoDate; warnings: string[] }
  /**
   * `reached`: where the count stopped for want of a calendar — the first day it could not judge
   * and the working days still to count from there (that day included), so a caller can tell the
   * earliest the date could fall.
   */
  | { ok: false; error: CalendarError; reached?: { date: IsoDate; left: number } };

export type WorkingCountResult = { ok: true; days: number; warnings: string[] } | { ok: false; error: CalendarError };

const invalid = (message: string): { ok: false; error: CalendarError } => ({
  ok: false,
  error: { code: 'invalid-argument', message },
});

function validate(dates: IsoDate[], paused: readonly DateInterval[]): { ok: false; error: CalendarError } | null {
  for (const d of dates) if (!isIsoDate(d)) return { ok: false, error: { code: 'invalid-date', message: `日期无效：${d}` } };
  for (const p of paused) {
    if (!isIsoDate(p.from) || !isIsoDate(p.to)) return invalid(`暂停区间日期无效：${p.from}～${p.to}`);
    if (p.to < p.from) return invalid(`暂停区间结束早于开始：${p.from}～${p.to}`);
  }
  return null;
}

const isPaused = (paused: readonly DateInterval[], date: IsoDate): boolean =>
  paused.some((p) => p.from <= date && date <= p.to);

/** Working-day check of one date, collecting a warning once per provisional year. */
function counts(calendar: Calendar, date: IsoDate, paused: readonly DateInterval[], warnings: Set<string>) {
  const info = dayInfo(calendar, date);
  if (!info.ok) return info;
  if (info.provisional) warnings.add(`${date.slice(0, 4)} 年节假日安排为暂定，结果可能变化`);
  return { ok: true as const, counts: info.working && !isPaused(paused, date) };
}

/**
 * The date on which the n-th working day after `date` falls (n = 0 gives `date` itself).
 * Fails, naming the year, when the count reaches a year that has no calendar.
 */
export function addWorkingDays(calendar: Calendar, date: IsoDate, n: number, options: WorkingDayOptions = {}): WorkingDateResult {
  const paused = options.paused ?? [];
  const bad = validate([date], paused);
  if (bad) return bad;
  if (!Number.isInteger(n) || n < 0) return invalid(`工作日数须为非负整数：${n}`);
  const warnings = new Set<string>();
  let current = date;
  let left = n;
  while (left > 0) {
    current = addDays(current, 1);
    const c = counts(calendar, current, paused, warnings);
    if (!c.ok) return { ...c, reached: { date: current, left } };
    if (c.counts) left -= 1;
  }
  return { ok: true, date: current, warnings: [...warnings] };
}

/**
 * Working days after `from` up to and including `to`; negative when `to` is before `from`
 * (the days after `to` up to and including `from`, counted the same way).
 */
export function workingDaysBetween(calendar: Calendar, from: IsoDate, to: IsoDate, options: WorkingDayOptions = {}): WorkingCountResult {
  const paused = options.paused ?? [];
  const bad = validate([from, to], paused);
  if (bad) return bad;
  const [start, end, sign] = from <= to ? [from, to, 1] : [to, from, -1];
  const warnings = new Set<string>();
  let days = 0;
  for (let d = addDays(start, 1); d <= end; d = addDays(d, 1)) {
    const c = counts(calendar, d, paused, warnings);
    if (!c.ok) return c;
    if (c.counts) days += 1;
  }
  return { ok: true, days: days === 0 ? 0 : sign * days, warnings: [...warnings] };
}

/** Whether `date` is a working day; fails for a year without a calendar. */
export function isWorkingDay(calendar: Calendar, date: IsoDate): { ok: true; working: boolean } | { ok: false; error: CalendarError } {
  const info = dayInfo(calendar, date);
  return info.ok ? { ok: true, working: info.working } : info;
}

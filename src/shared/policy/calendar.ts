/**
 * The public-holiday calendar that working-day deadlines are counted on: one JSON file per
 * year (resources/calendars/<year>.json, generated from chinese-days; later years imported by
 * an administrator once the State Council publishes them each winter). A year without a file
 * is unknown, never silently "weekends only".
 */
import { z } from 'zod';
import { chinaMonthOf, chinaYearOf, parseIsoDate, weekday, yearOf, type IsoDate } from '../time';
import { formatIssues, fromJsonText, zhErrors } from './issues';
import { isoDateSchema } from './schema';

export const CALENDAR_FORMAT = 'opsp-holiday-calendar/1';

const dayEntrySchema = z.strictObject({ date: isoDateSchema, name: z.string().min(1) });

export const calendarFileSchema = z.strictObject({
  format: z.literal(CALENDAR_FORMAT),
  year: z.number().int().min(1949).max(2200),
  /** official: as published by the State Council; provisional: entered before publication. */
  status: z.enum(['official', 'provisional']),
  source: z.strictObject({
    kind: z.enum(['chinese-days', 'state-council', 'other']),
    /** e.g. "chinese-days@1.5.7" or "国办发明电〔2025〕7号". */
    reference: z.string().min(1),
  }),
  /** Days off (weekend days inside a holiday block may be listed too). */
  holidays: z.array(dayEntrySchema),
  /** Make-up working days (调休上班): Saturdays or Sundays that are worked. */
  workdays: z.array(dayEntrySchema),
});

export type CalendarFile = z.infer<typeof calendarFileSchema>;

export interface CalendarYear {
  year: number;
  status: CalendarFile['status'];
  source: CalendarFile['source'];
  holidays: ReadonlyMap<IsoDate, string>;
  workdays: ReadonlyMap<IsoDate, string>;
}

export interface Calendar {
  years: ReadonlyMap<number, CalendarYear>;
}

function crossCheck(file: CalendarFile): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const [list, entries] of [['holidays', file.holidays], ['workdays', file.workdays]] as const) {
    entries.forEach((e, i) => {
      if (yearOf(e.date) !== file.year) errors.push(`${list}[${i}]：${e.date} 不属于 ${file.year} 年`);
      if (seen.has(e.date)) errors.push(`${list}[${i}]：${e.date} 重复出现`);
      seen.add(e.date);
      const wd = weekday(e.date);
      if (list === 'workdays' && wd !== 0 && wd !== 6) errors.push(`workdays[${i}]：${e.date} 不是周六或周日，无需列为调休上班日`);
    });
  }
  return errors;
}

/** Parses one calendar file (object or JSON text); never throws. */
export function parseCalendarFile(json: unknown): { ok: true; file: CalendarFile } | { ok: false; errors: string[] } {
  const text = fromJsonText(json);
  if (!text.ok) return text;
  const parsed = calendarFileSchema.safeParse(text.value, { error: zhErrors });
  if (!parsed.success) return { ok: false, errors: formatIssues(parsed.error.issues, text.value) };
  const errors = crossCheck(parsed.data);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, file: parsed.data };
}

/** Builds a calendar from parsed year files; a later file for the same year replaces an earlier one. */
export function buildCalendar(files: readonly CalendarFile[]): Calendar {
  const years = new Map<number, CalendarYear>();
  for (const f of files) {
    years.set(f.year, {
      year: f.year,
      status: f.status,
      source: f.source,
      holidays: new Map(f.holidays.map((e) => [e.date, e.name])),
      workdays: new Map(f.workdays.map((e) => [e.date, e.name])),
    });
  }
  return { years };
}

/** Parses and builds in one step, collecting every file's errors with its position. */
export function loadCalendar(jsons: readonly unknown[]): { ok: true; calendar: Calendar } | { ok: false; errors: string[] } {
  const files: CalendarFile[] = [];
  const errors: string[] = [];
  jsons.forEach((json, i) => {
    const r = parseCalendarFile(json);
    if (r.ok) files.push(r.file);
    else errors.push(...r.errors.map((e) => `第 ${i + 1} 个日历文件：${e}`));
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, calendar: buildCalendar(files) };
}

export const coveredYears = (calendar: Calendar): number[] => [...calendar.years.keys()].sort((a, b) => a - b);

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup-workday';

export type DayInfo =
  | { ok: true; date: IsoDate; working: boolean; kind: DayKind; name?: string; provisional: boolean }
  | { ok: false; error: CalendarError };

export type CalendarError =
  | { code: 'calendar-missing'; year: number; message: string }
  | { code: 'invalid-date' | 'invalid-argument'; message: string };

export const missingYear = (year: number): CalendarError => ({
  code: 'calendar-missing',
  year,
  message: `缺少 ${year} 年节假日日历，暂无法计算工作日；国务院办公厅每年秋季公布次年安排，导入该年日历后自动计算`,
});

/**
 * From this month on, next year's calendar is needed: a 20-working-day limit counted from early
 * November already ends in December, and one counted from late November reaches January.
 */
export const CALENDAR_NEEDED_FROM_MONTH = 11;

/**
 * The year whose holiday calendar the workstation needs and lacks at `now`: the current year
 * (China time) if it is missing, else next year from 1 November on; null when nothing is missing.
 */
export function missingCalendarYear(calendar: Calendar, now: Date): number | null {
  const year = chinaYearOf(now);
  if (!calendar.years.has(year)) return year;
  if (chinaMonthOf(now) >= CALENDAR_NEEDED_FROM_MONTH && !calendar.years.has(year + 1)) return year + 1;
  return null;
}

/**
 * What the deadlines computed from a calendar depend on: each year with its status and the size
 * of its lists. Deadlines are recomputed when this changes (an import, an official year replacing
 * a provisional one).
 */
export function calendarFingerprint(calendar: Calendar): string {
  return coveredYears(calendar)
    .map((y) => {
      const c = calendar.years.get(y)!;
      return `${y}${c.status === 'official' ? '' : 'p'}:${c.holidays.size}/${c.workdays.size}`;
    })
    .join(',');
}

/** Whether a date is a working day, and why. */
export function dayInfo(calendar: Calendar, date: IsoDate): DayInfo {
  const p = parseIsoDate(date);
  if (!p) return { ok: false, error: { code: 'invalid-date', message: `日期无效：${date}` } };
  const y = calendar.years.get(p.year);
  if (!y) return { ok: false, error: missingYear(p.year) };
  const provisional = y.status !== 'official';
  const makeup = y.workdays.get(date);
  if (makeup !== undefined) return { ok: true, date, working: true, kind: 'makeup-workday', name: makeup, provisional };
  const holiday = y.holidays.get(date);
  if (holiday !== undefined) return { ok: true, date, working: false, kind: 'holiday', name: holiday, provisional };
  const wd = weekday(date);
  const weekend = wd === 0 || wd === 6;
  return { ok: true, date, working: !weekend, kind: weekend ? 'weekend' : 'workday', provisional };
}

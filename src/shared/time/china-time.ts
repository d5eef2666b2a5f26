/**
 * Instants read as China Standard Time (UTC+8, no daylight saving), whatever the zone of the
 * machine: "today" for a deadline, the end of a due day, and every time the national interface
 * writes. dayjs's fixed-offset mode (`utcOffset(480)`) reads the wall clock in China; the local
 * zone never leaks in.
 */
import dayjs from 'dayjs';
// The .js ending: dayjs has no exports map, and Node's ESM loader (Playwright's specs) wants the file.
import utc from 'dayjs/plugin/utc.js';
import { formatIsoDate, isIsoDate, parseIsoDate, type IsoDate } from './dates';

dayjs.extend(utc);

/** China is UTC+8 all year: minutes east of UTC. */
const CHINA_OFFSET_MINUTES = 480;

const inChina = (instant: Date | string | number): dayjs.Dayjs => dayjs(instant).utcOffset(CHINA_OFFSET_MINUTES);

export interface ChinaTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

export function chinaParts(date: Date): ChinaTimeParts {
  const d = inChina(date);
  return { year: d.year(), month: d.month() + 1, day: d.date(), hour: d.hour(), minute: d.minute(), second: d.second(), millisecond: d.millisecond() };
}

/** The China calendar date of an instant: what "today" is for the hospital at `now`. */
export function chinaDateOf(instant: string | Date): IsoDate {
  return inChina(instant).format('YYYY-MM-DD');
}

/** The China year of an instant. */
export const chinaYearOf = (instant: string | Date): number => inChina(instant).year();

/** The China month (1–12) of an instant. */
export const chinaMonthOf = (instant: string | Date): number => inChina(instant).month() + 1;

/** The first instant of a China calendar day: 2025-05-06 → 2025-05-05T16:00:00.000Z. */
export function startOfChinaDay(date: IsoDate): Date {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`Not an ISO date: ${date}`);
  return new Date(Date.UTC(p.year, p.month - 1, p.day) - CHINA_OFFSET_MINUTES * 60_000);
}

/** The end of a China calendar day as an instant: 2025-05-06 → 2025-05-06T15:59:59.999Z. */
export function endOfChinaDay(date: IsoDate): string {
  return dayjs(startOfChinaDay(date)).add(1, 'day').subtract(1, 'millisecond').toISOString();
}

/** `yyyy-MM-dd HH:mm:ss` — the envelope's `inf_time` and every 日期时间型 field. */
export function formatInfTime(date: Date | string): string {
  return inChina(date).format('YYYY-MM-DD HH:mm:ss');
}

/** `yyyy-MM-dd` — every 日期型 field (begndate, hosp_ide_date …). */
export function formatChinaDate(date: Date): string {
  return chinaDateOf(date);
}

/** `yyyyMMddHHmmss` — the time inside `msgid` and `inf_refmsgid`. */
export function formatCompactTime(date: Date): string {
  return inChina(date).format('YYYYMMDDHHmmss');
}

/** `yyyyMMddHHmmssSSS` — the response's `refmsg_time` and `respond_time`. */
export function formatRespondTime(date: Date): string {
  return inChina(date).format('YYYYMMDDHHmmssSSS');
}

function fromChinaFields(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): Date | null {
  if (h > 23 || mi > 59 || s > 59) return null;
  const date = formatIsoDate(y, mo, d);
  if (!isIsoDate(date)) return null;
  return new Date(startOfChinaDay(date).getTime() + ((h * 60 + mi) * 60 + s) * 1000 + ms);
}

const INF_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const COMPACT_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})?$/;

/** Parses `yyyy-MM-dd HH:mm:ss` (China time); null when malformed or not a real time. */
export function parseInfTime(value: string): Date | null {
  const m = INF_TIME.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return fromChinaFields(y, mo, d, h, mi, s);
}

/** Parses `yyyyMMddHHmmss` or `yyyyMMddHHmmssSSS` (China time); null when malformed. */
export function parseCompactTime(value: string): Date | null {
  const m = COMPACT_TIME.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return fromChinaFields(y, mo, d, h, mi, s, m[7] ? Number(m[7]) : 0);
}

/** True for a real calendar date written `yyyy-MM-dd`. */
export function isChinaDate(value: string): boolean {
  return isIsoDate(value);
}

/**
 * An instant as a person reads it on screen, in China time, with a dayjs pattern
 * (`YYYY-MM-DD HH:mm`, `MM-DD HH:mm:ss` …).
 */
export function formatChina(instant: Date | string, pattern: string): string {
  return inChina(instant).format(pattern);
}

/**
 * A date as antd's DatePicker holds it (midnight of that day on the machine's clock): the picker
 * shows and returns calendar days, so its zone never changes the date a person chose.
 */
export const pickerDay = (date: IsoDate): dayjs.Dayjs => dayjs(date);

/**
 * Calendar dates as `YYYY-MM-DD` strings: the 受理 date, a deadline's last day, a term's end.
 * They are China dates with no time of day. Arithmetic runs on dayjs in UTC mode, where a day is
 * always 24 hours and no local time zone or daylight saving can move a date; China has no DST,
 * but the machine running the code may be anywhere (a laptop set to UTC shifts `new Date()`
 * arithmetic by a day every afternoon, which is the fault this module exists to prevent).
 */
import dayjs from 'dayjs';
// The .js ending: dayjs has no exports map, and Node's ESM loader (Playwright's specs) wants the file.
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FORMAT = 'YYYY-MM-DD';

export type IsoDate = string;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Year, month (1–12) and day of a valid ISO date, or null for anything else (2025-02-29 too). */
export function parseIsoDate(value: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isIsoDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && parseIsoDate(value) !== null;
}

function mustParse(value: string): { year: number; month: number; day: number } {
  const p = parseIsoDate(value);
  if (!p) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${value}`);
  return p;
}

/** The date as a dayjs value at UTC midnight (throws on anything but a real date). */
function utcDay(value: IsoDate): dayjs.Dayjs {
  const { year, month, day } = mustParse(value);
  return dayjs.utc(formatIsoDate(year, month, day));
}

export function formatIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addDays(value: IsoDate, days: number): IsoDate {
  return utcDay(value).add(days, 'day').format(FORMAT);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return utcDay(to).diff(utcDay(from), 'day');
}

/**
 * Calendar-month arithmetic that clamps to the month's last day: 2024-02-29 + 12 months is
 * 2025-02-28, 2025-08-31 − 6 months is 2025-02-28.
 */
export function addMonths(value: IsoDate, months: number): IsoDate {
  return utcDay(value).add(months, 'month').format(FORMAT);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(value: IsoDate): number {
  return utcDay(value).day();
}

export function yearOf(value: IsoDate): number {
  return mustParse(value).year;
}

/** Whole calendar months from `from` to `to` (negative when `to` is earlier). */
export function monthsBetween(from: IsoDate, to: IsoDate): number {
  const a = mustParse(from);
  const b = mustParse(to);
  let months = (b.year - a.year) * 12 + (b.month - a.month);
  if (months > 0 && addMonths(from, months) > to) months -= 1;
  if (months < 0 && addMonths(from, months) < to) months += 1;
  return months;
}

/** Whole years of age on `on` for someone born on `birthDate`. */
export const ageOn = (birthDate: IsoDate, on: IsoDate): number => Math.floor(monthsBetween(birthDate, on) / 12);

export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);
export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);

/**
 * Last day of a term of `months` that starts on (and includes) `from`: the day before the
 * corresponding day, or the month's last day when there is none (2024-02-29 + 12 → 2025-02-28).
 */
export function termEnd(from: IsoDate, months: number): IsoDate {
  const target = addMonths(from, months);
  return mustParse(target).day < mustParse(from).day ? target : addDays(target, -1);
}

/**
 * Times as the national interface writes them: always China Standard Time (UTC+8, no daylight
 * saving), whatever the time zone of the machine. Arithmetic shifts the instant by 8 hours and
 * reads the UTC fields, so the local zone never leaks in.
 */

const CHINA_OFFSET_MS = 8 * 3_600_000;

export interface ChinaTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function chinaParts(date: Date): ChinaTimeParts {
  const d = new Date(date.getTime() + CHINA_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/** `yyyy-MM-dd HH:mm:ss` — the envelope's `inf_time` and every 日期时间型 field. */
export function formatInfTime(date: Date): string {
  const p = chinaParts(date);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** `yyyy-MM-dd` — every 日期型 field (begndate, hosp_ide_date …). */
export function formatChinaDate(date: Date): string {
  const p = chinaParts(date);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `yyyyMMddHHmmss` — the time inside `msgid` and `inf_refmsgid`. */
export function formatCompactTime(date: Date): string {
  const p = chinaParts(date);
  return `${p.year}${pad(p.month)}${pad(p.day)}${pad(p.hour)}${pad(p.minute)}${pad(p.second)}`;
}

/** `yyyyMMddHHmmssSSS` — the response's `refmsg_time` and `respond_time`. */
export function formatRespondTime(date: Date): string {
  return `${formatCompactTime(date)}${pad(chinaParts(date).millisecond, 3)}`;
}

function fromChinaFields(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(utc);
  // Date.UTC rolls 2025-02-30 over to March; a real calendar date survives the round trip.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return new Date(utc - CHINA_OFFSET_MS);
}

const INF_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const COMPACT_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})?$/;
const CHINA_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

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
  const m = CHINA_DATE.exec(value);
  if (!m) return false;
  return fromChinaFields(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0) !== null;
}

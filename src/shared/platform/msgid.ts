/**
 * Message ids of the national envelope (domain.md §5).
 *
 * - request `msgid` (30) = institution code (12) + `yyyyMMddHHmmss` China time (14) + sequence (4)
 * - response `inf_refmsgid` (30) = region code (6) + `yyyyMMddHHmmss` (14) + serial (10)
 */
import { formatCompactTime, parseCompactTime } from '../time';

export const MSGID_LENGTH = 30;
export const FIXMEDINS_CODE_LENGTH = 12;
export const MSGID_SEQ_MAX = 9999;

const MSGID = /^(.{12})(\d{14})(\d{4})$/;

/** Builds a request msgid. Throws on a code that is not 12 characters or a sequence outside 0–9999. */
export function buildMsgid(fixmedinsCode: string, date: Date, seq: number): string {
  if (fixmedinsCode.length !== FIXMEDINS_CODE_LENGTH) {
    throw new RangeError(`定点医药机构编号应为 12 位，实际 ${fixmedinsCode.length} 位`);
  }
  if (!Number.isInteger(seq) || seq < 0 || seq > MSGID_SEQ_MAX) {
    throw new RangeError(`msgid 顺序号应为 0–9999 的整数，实际 ${seq}`);
  }
  return `${fixmedinsCode}${formatCompactTime(date)}${String(seq).padStart(4, '0')}`;
}

export interface ParsedMsgid {
  fixmedinsCode: string;
  /** The `yyyyMMddHHmmss` part as written. */
  time: string;
  date: Date;
  seq: number;
}

/** Splits a msgid into its parts; null when it is not 12 + 14 digits of a real time + 4 digits. */
export function parseMsgid(msgid: string): ParsedMsgid | null {
  const m = MSGID.exec(msgid);
  if (!m) return null;
  const date = parseCompactTime(m[2]!);
  if (!date) return null;
  return { fixmedinsCode: m[1]!, time: m[2]!, date, seq: Number(m[3]) };
}

/** A 26-character msgid without the sequence (institution code + yyyyMMddHHmmss), as some clients send. */
export function parseShortMsgid(msgid: string): Omit<ParsedMsgid, 'seq'> | null {
  const m = /^(.{12})(\d{14})$/.exec(msgid);
  if (!m) return null;
  const date = parseCompactTime(m[2]!);
  return date ? { fixmedinsCode: m[1]!, time: m[2]!, date } : null;
}

/**
 * Two workstations of one hospital share the institution code, so each takes its own slice of the
 * 4-digit sequence (domain.md §5): workstation i of n uses [start, start + size).
 */
export interface MsgidSlice {
  start: number;
  size: number;
}

/** The slice for workstation `index` (0-based) of `count` sharing one institution code. */
export function msgidSlice(index: number, count: number): MsgidSlice {
  if (!Number.isInteger(count) || count < 1 || count > MSGID_SEQ_MAX + 1) throw new RangeError('工作站数量应为 1–10000');
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError('工作站序号超出范围');
  const size = Math.floor((MSGID_SEQ_MAX + 1) / count);
  return { start: index * size, size };
}

/**
 * Hands out msgids that never repeat: the sequence restarts every second (the time part changes)
 * and stays inside the workstation's slice. Returns null when the slice is used up for the current
 * second; the caller waits for the next second.
 */
export function createMsgidSequencer(fixmedinsCode: string, slice: MsgidSlice = { start: 0, size: MSGID_SEQ_MAX + 1 }) {
  let lastTime = '';
  let used = 0;
  return {
    next(date: Date): string | null {
      const time = formatCompactTime(date);
      if (time < lastTime) return null; // the clock stepped back: never reuse an id
      if (time !== lastTime) {
        lastTime = time;
        used = 0;
      }
      if (used >= slice.size) return null;
      const seq = slice.start + used;
      used += 1;
      return buildMsgid(fixmedinsCode, date, seq);
    },
  };
}

export const REFMSGID_LENGTH = 30;

/** Builds a response `inf_refmsgid`: region (6) + time (14) + serial (10, taken modulo 10^10). */
export function buildRefMsgid(regionCode: string, date: Date, serial: number): string {
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError(`医保区划应为 6 位数字：${regionCode}`);
  const s = String(Math.abs(Math.trunc(serial)) % 10_000_000_000).padStart(10, '0');
  return `${regionCode}${formatCompactTime(date)}${s}`;
}

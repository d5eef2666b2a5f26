import { describe, expect, it } from 'vitest';
import { formatChinaDate, formatInfTime, formatRespondTime, isChinaDate, parseCompactTime, parseInfTime } from '../time';
import { buildMsgid, buildRefMsgid, createMsgidSequencer, msgidSlice, parseMsgid } from './msgid';

// 2025-03-01 01:02:03.045 in China is 2025-02-28 17:02:03.045 UTC.
const instant = new Date(Date.UTC(2025, 1, 28, 17, 2, 3, 45));

describe('China time', () => {
  it('formats in UTC+8 whatever the machine zone', () => {
    expect(formatInfTime(instant)).toBe('2025-03-01 01:02:03');
    expect(formatChinaDate(instant)).toBe('2025-03-01');
    expect(formatRespondTime(instant)).toBe('20250301010203045');
  });

  it('parses back to the same instant and refuses impossible times', () => {
    expect(parseInfTime('2025-03-01 01:02:03')?.getTime()).toBe(instant.getTime() - 45);
    expect(parseCompactTime('20250301010203045')?.getTime()).toBe(instant.getTime());
    expect(parseInfTime('2025-02-29 00:00:00')).toBeNull();
    expect(parseInfTime('2025-03-01T01:02:03')).toBeNull();
    expect(isChinaDate('2024-02-29')).toBe(true);
    expect(isChinaDate('2025-02-29')).toBe(false);
    expect(isChinaDate('2025-1-01')).toBe(false);
  });
});

describe('msgid', () => {
  it('is institution code 12 + China time 14 + sequence 4', () => {
    const id = buildMsgid('H14010500001', instant, 7);
    expect(id).toBe('H14010500001202503010102030007');
    expect(id).toHaveLength(30);
    expect(parseMsgid(id)).toEqual({
      fixmedinsCode: 'H14010500001',
      time: '20250301010203',
      date: new Date(instant.getTime() - 45),
      seq: 7,
    });
  });

  it('refuses a code that is not 12 characters or a sequence out of range', () => {
    expect(() => buildMsgid('H1401', instant, 1)).toThrow(/12/);
    expect(() => buildMsgid('H14010500001', instant, 10_000)).toThrow(/0–9999/);
    expect(parseMsgid('H14010500001202513010102030007')).toBeNull();
    expect(parseMsgid('short')).toBeNull();
  });

  it('gives each workstation its own slice of the sequence and never repeats an id', () => {
    expect(msgidSlice(0, 4)).toEqual({ start: 0, size: 2500 });
    expect(msgidSlice(3, 4)).toEqual({ start: 7500, size: 2500 });
    const a = createMsgidSequencer('H14010500001', msgidSlice(0, 2));
    const b = createMsgidSequencer('H14010500001', msgidSlice(1, 2));
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i += 1) {
      seen.add(a.next(instant)!);
      seen.add(b.next(instant)!);
    }
    expect(seen.size).toBe(10_000);
    expect(a.next(instant)).toBeNull(); // slice used up within this second
    expect(a.next(new Date(instant.getTime() + 1000))).toMatch(/0000$/);
    expect(a.next(instant)).toBeNull(); // the clock stepped back
  });

  it('builds a 30-character inf_refmsgid: region + time + serial', () => {
    expect(buildRefMsgid('140100', instant, 42)).toBe('140100202503010102030000000042');
    expect(() => buildRefMsgid('1401', instant, 1)).toThrow();
  });
});

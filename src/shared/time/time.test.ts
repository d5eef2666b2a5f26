import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  ageOn,
  chinaDateOf,
  chinaMonthOf,
  chinaYearOf,
  daysBetween,
  endOfChinaDay,
  formatChina,
  formatCompactTime,
  formatInfTime,
  formatRespondTime,
  monthsBetween,
  parseCompactTime,
  parseInfTime,
  startOfChinaDay,
  termEnd,
  weekday,
} from '.';

// Every expectation here holds in any zone the machine is set to: the suite also runs with TZ and
// the clock faked (scripts/test-faked-clock.sh), and these functions never read either.
describe('China dates of instants', () => {
  it('"today" turns at midnight in China, which is 16:00 UTC the day before', () => {
    expect(chinaDateOf(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31');
    expect(chinaDateOf(new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01');
    expect(chinaYearOf('2026-12-31T16:00:00.000Z')).toBe(2027);
    expect(chinaMonthOf('2026-10-31T16:30:00.000Z')).toBe(11);
    expect(chinaDateOf('2026-06-16T10:00:00+08:00')).toBe('2026-06-16');
  });

  it('a China day starts and ends at fixed instants', () => {
    expect(startOfChinaDay('2025-05-06').toISOString()).toBe('2025-05-05T16:00:00.000Z');
    expect(endOfChinaDay('2025-05-06')).toBe('2025-05-06T15:59:59.999Z');
    expect(() => endOfChinaDay('2025-02-30')).toThrow(RangeError);
  });

  it('formats and parses the national interface times in China time', () => {
    const t = new Date('2025-05-06T01:02:03.045Z');
    expect(formatInfTime(t)).toBe('2025-05-06 09:02:03');
    expect(formatCompactTime(t)).toBe('20250506090203');
    expect(formatRespondTime(t)).toBe('20250506090203045');
    expect(formatChina(t, 'MM-DD HH:mm')).toBe('05-06 09:02');
    expect(parseInfTime('2025-05-06 09:02:03')?.toISOString()).toBe('2025-05-06T01:02:03.000Z');
    expect(parseCompactTime('20250506090203045')?.toISOString()).toBe('2025-05-06T01:02:03.045Z');
    expect(parseInfTime('2025-02-29 00:00:00')).toBeNull();
    expect(parseInfTime('2025-05-06 24:00:00')).toBeNull();
  });
});

describe('calendar-date arithmetic', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2026-12-25', '2027-01-05')).toBe(11);
    expect(daysBetween('2027-01-05', '2026-12-25')).toBe(-11);
  });

  it('adds months clamping to the month end; terms end the day before', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2025-08-31', -6)).toBe('2025-02-28');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(termEnd('2025-03-01', 24)).toBe('2027-02-28');
    expect(termEnd('2024-02-29', 12)).toBe('2025-02-28');
    expect(monthsBetween('2025-01-31', '2025-02-27')).toBe(0);
    expect(monthsBetween('2025-01-31', '2025-02-28')).toBe(1); // the month's last day stands for the 31st
    expect(monthsBetween('2025-01-31', '2025-03-01')).toBe(1);
  });

  it('knows weekdays and ages', () => {
    expect(weekday('1970-01-01')).toBe(4);
    expect(weekday('2027-01-01')).toBe(5);
    expect(ageOn('1960-03-01', '2026-02-28')).toBe(65);
    expect(ageOn('1960-03-01', '2026-03-01')).toBe(66);
  });
});

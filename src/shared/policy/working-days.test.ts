import { describe, expect, it } from 'vitest';
import y2024 from '../../../resources/calendars/2024.json';
import y2025 from '../../../resources/calendars/2025.json';
import y2026 from '../../../resources/calendars/2026.json';
import { loadCalendar, type Calendar } from './calendar';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from './working-days';

function calendarOf(...files: unknown[]): Calendar {
  const r = loadCalendar(files);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.calendar;
}
const cal = calendarOf(y2024, y2025, y2026);

const add = (date: string, n: number, paused?: { from: string; to: string }[]) => {
  const r = addWorkingDays(cal, date, n, { paused });
  if (!r.ok) throw new Error(r.error.message);
  return r.date;
};
const between = (from: string, to: string, paused?: { from: string; to: string }[]) => {
  const r = workingDaysBetween(cal, from, to, { paused });
  if (!r.ok) throw new Error(r.error.message);
  return r.days;
};

describe('addWorkingDays', () => {
  it('counts from the day after the start; n = 0 is the start itself', () => {
    expect(add('2026-11-23', 0)).toBe('2026-11-23');
    expect(add('2026-11-20', 1)).toBe('2026-11-23'); // Friday → Monday
  });

  it('004/002: 20 working days from acceptance, across the 2026 National Day block and its make-up Saturday', () => {
    // 10-01..07 off; 09-20 (Sun) and 10-10 (Sat) worked.
    expect(add('2026-09-28', 20)).toBe('2026-10-30');
    expect(between('2026-09-28', '2026-10-30')).toBe(20);
  });

  it('skips a holiday span: the day before National Day plus one is 10-08', () => {
    expect(add('2026-09-30', 1)).toBe('2026-10-08');
  });

  it('make-up Saturdays and Sundays count as working days', () => {
    expect(add('2026-10-09', 1)).toBe('2026-10-10'); // Saturday worked
    expect(add('2026-02-13', 1)).toBe('2026-02-14'); // Saturday before Spring Festival
    expect(add('2026-02-14', 1)).toBe('2026-02-24'); // 02-15..23 off
    expect(between('2026-09-18', '2026-09-21')).toBe(2); // Sunday 09-20 worked, Saturday 09-19 not
  });

  it('crosses a year end into a holiday block ending with a make-up Sunday', () => {
    // 2026-01-01..03 off, 2026-01-04 (Sunday) worked.
    expect(add('2025-12-31', 1)).toBe('2026-01-04');
    expect(between('2025-12-30', '2026-01-05')).toBe(3);
  });

  it('handles a leap day like any other weekday', () => {
    expect(add('2024-02-28', 1)).toBe('2024-02-29');
    expect(add('2024-02-29', 1)).toBe('2024-03-01');
    expect(between('2024-02-27', '2024-03-04')).toBe(4);
  });

  it('003: supplement time is not counted (paused interval, inclusive)', () => {
    const plain = add('2026-03-02', 30);
    const paused = add('2026-03-02', 30, [{ from: '2026-03-05', to: '2026-03-11' }]);
    expect(plain).toBe('2026-04-14'); // 04-04..06 Qingming off
    expect(between('2026-03-02', paused, [{ from: '2026-03-05', to: '2026-03-11' }])).toBe(30);
    expect(between(plain, paused)).toBe(5); // 03-05, 06, 09, 10, 11 were paused
  });

  it('says so when the count reaches a year with no calendar, instead of assuming weekends only', () => {
    const r = addWorkingDays(cal, '2026-12-10', 20);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: 'calendar-missing', year: 2027 });
      expect(r.error.message).toContain('2027');
    }
    expect(addWorkingDays(cal, '2026-11-23', 20)).toMatchObject({ ok: true, date: '2026-12-21' });
    expect(workingDaysBetween(cal, '2026-12-30', '2027-01-04')).toMatchObject({ ok: false, error: { year: 2027 } });
  });

  it('rejects a negative or fractional count and an invalid date', () => {
    expect(addWorkingDays(cal, '2026-01-05', -1)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(addWorkingDays(cal, '2026-01-05', 1.5)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(addWorkingDays(cal, '2025-02-29', 1)).toMatchObject({ ok: false, error: { code: 'invalid-date' } });
    expect(addWorkingDays(cal, '2026-01-05', 1, { paused: [{ from: '2026-02-01', to: '2026-01-01' }] })).toMatchObject({ ok: false });
  });
});

describe('workingDaysBetween', () => {
  it('is 0 for the same day and negative when reversed', () => {
    expect(between('2026-11-23', '2026-11-23')).toBe(0);
    expect(between('2026-11-27', '2026-11-23')).toBe(-4);
    expect(between('2026-11-22', '2026-11-21')).toBe(0); // Sunday back to Saturday
  });

  it('2025 Spring Festival: 01-28..02-04 off, Sunday 01-26 and Saturday 02-08 worked', () => {
    expect(between('2025-01-24', '2025-02-09')).toBe(1 + 1 + 3 + 1); // 01-26, 01-27, 02-05..07, 02-08
  });
});

describe('isWorkingDay', () => {
  it('knows holidays, weekends, make-up days and missing years', () => {
    expect(isWorkingDay(cal, '2026-10-01')).toEqual({ ok: true, working: false });
    expect(isWorkingDay(cal, '2026-10-10')).toEqual({ ok: true, working: true });
    expect(isWorkingDay(cal, '2026-11-22')).toEqual({ ok: true, working: false });
    expect(isWorkingDay(cal, '2027-01-04')).toMatchObject({ ok: false, error: { code: 'calendar-missing' } });
  });
});

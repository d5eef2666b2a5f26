import { describe, expect, it } from 'vitest';
import y2026 from '../../../resources/calendars/2026.json';
import { buildCalendar, calendarFingerprint, coveredYears, dayInfo, loadCalendar, missingCalendarYear, parseCalendarFile, type CalendarFile } from './calendar';
import { addWorkingDays } from './working-days';

/** A test fixture only: 2027 is not published, so no such file ships. */
const provisional2027: CalendarFile = {
  format: 'opsp-holiday-calendar/1',
  year: 2027,
  status: 'provisional',
  source: { kind: 'other', reference: '测试用暂定安排' },
  holidays: [{ date: '2027-01-01', name: '元旦' }],
  workdays: [],
};

describe('parseCalendarFile', () => {
  it('accepts the generated 2026 file (chinese-days) with its make-up days', () => {
    const r = parseCalendarFile(y2026);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.file.workdays.map((d) => d.date)).toEqual([
        '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10',
      ]);
      expect(r.file.holidays).toHaveLength(33);
    }
  });

  it('accepts JSON text, as an administrator imports it', () => {
    expect(parseCalendarFile(JSON.stringify(provisional2027)).ok).toBe(true);
    expect(parseCalendarFile('{')).toMatchObject({ ok: false });
  });

  it('lists every problem in readable Chinese', () => {
    const bad = {
      ...provisional2027,
      holidays: [{ date: '2026-12-31', name: '跨年' }, { date: '2027-02-30', name: '无效' }],
      workdays: [{ date: '2027-01-05', name: '周二' }],
    };
    const r = parseCalendarFile(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain('holidays[1]（无效）.date');

    const r2 = parseCalendarFile({ ...provisional2027, holidays: [{ date: '2026-12-31', name: '跨年' }], workdays: [{ date: '2027-01-05', name: '周二' }, { date: '2027-01-05', name: '周二' }] });
    expect(r2.ok).toBe(false);
    if (!r2.ok) {
      expect(r2.errors).toEqual(expect.arrayContaining([
        'holidays[0]：2026-12-31 不属于 2027 年',
        'workdays[0]：2027-01-05 不是周六或周日，无需列为调休上班日',
        'workdays[1]：2027-01-05 重复出现',
      ]));
    }
    expect(parseCalendarFile({ ...provisional2027, format: 'other' })).toMatchObject({ ok: false });
  });
});

describe('buildCalendar / loadCalendar', () => {
  it('a later file for a year replaces an earlier one', () => {
    const official = { ...provisional2027, status: 'official' as const, holidays: [] };
    const cal = buildCalendar([provisional2027, official]);
    expect(coveredYears(cal)).toEqual([2027]);
    expect(dayInfo(cal, '2027-01-01')).toMatchObject({ ok: true, working: true, kind: 'workday', provisional: false });
  });

  it('reports which file is broken', () => {
    const r = loadCalendar([y2026, { ...provisional2027, year: 'x' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^第 2 个日历文件：year/);
  });

  it('results that use a provisional year carry a warning', () => {
    const r = loadCalendar([y2026, provisional2027]);
    if (!r.ok) throw new Error(r.errors.join());
    const res = addWorkingDays(r.calendar, '2026-12-31', 1);
    expect(res).toMatchObject({ ok: true, date: '2027-01-04' });
    if (res.ok) expect(res.warnings).toEqual(['2027 年节假日安排为暂定，结果可能变化']);
  });

  it('describes each day', () => {
    const parsed = parseCalendarFile(y2026);
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const cal = buildCalendar([parsed.file]);
    expect(dayInfo(cal, '2026-10-01')).toMatchObject({ kind: 'holiday', name: '国庆节' });
    expect(dayInfo(cal, '2026-10-10')).toMatchObject({ kind: 'makeup-workday', working: true });
    expect(dayInfo(cal, '2026-11-21')).toMatchObject({ kind: 'weekend', working: false });
    expect(dayInfo(cal, '2026-13-01')).toMatchObject({ ok: false, error: { code: 'invalid-date' } });
  });
});

describe('missingCalendarYear', () => {
  const only2026 = buildCalendar([parseOk(y2026)]);
  it('from 1 November (China time) next year is needed; before that nothing is missing', () => {
    expect(missingCalendarYear(only2026, new Date('2026-10-31T23:59:00+08:00'))).toBeNull();
    expect(missingCalendarYear(only2026, new Date('2026-11-01T00:00:00+08:00'))).toBe(2027);
    expect(missingCalendarYear(only2026, new Date('2026-12-31T23:59:00+08:00'))).toBe(2027);
    expect(missingCalendarYear(buildCalendar([parseOk(y2026), provisional2027]), new Date('2026-12-07T09:00:00+08:00'))).toBeNull();
  });

  it('a current year without a calendar is missing at once', () => {
    expect(missingCalendarYear(only2026, new Date('2027-01-01T00:30:00+08:00'))).toBe(2027);
    expect(missingCalendarYear(only2026, new Date('2031-06-01T20:00:00Z'))).toBe(2031);
  });

  it('the fingerprint changes with an import and with a provisional year made official', () => {
    const provisional = calendarFingerprint(buildCalendar([parseOk(y2026), provisional2027]));
    expect(calendarFingerprint(only2026)).not.toBe(provisional);
    expect(calendarFingerprint(buildCalendar([parseOk(y2026), { ...provisional2027, status: 'official' }]))).not.toBe(provisional);
  });
});

function parseOk(json: unknown): CalendarFile {
  const r = parseCalendarFile(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.file;
}

import { describe, expect, it } from 'vitest';
import y2025 from '../../../resources/calendars/2025.json';
import y2026 from '../../../resources/calendars/2026.json';
import { calendar2027 } from '../../../test/fixtures/calendars';
import { cal, chainPack, randomPack } from '../../../test/fixtures/review-packs';
import type { CaseRow } from '../domain/case';
import { NO_DEADLINE } from '../domain/case';
import { endOfChinaDay } from '../time';
import { buildCalendar, parseCalendarFile, type CalendarFile } from '../policy/calendar';
import {
  acceptByFor,
  acceptanceLeftMs,
  completionDue,
  deadlineAtFor,
  dueFields,
  dueOfRow,
  dueReason,
  dueSoonCutoff,
  dueState,
  dueText,
  PROVISIONAL_DUE,
  recomputeDue,
  workingDaysLeft,
} from './deadlines';

const y2027 = calendar2027;
const file = (json: unknown): CalendarFile => {
  const r = parseCalendarFile(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.file;
};
const with2027 = (status: CalendarFile['status']) => buildCalendar([file(y2025), file(y2026), y2027(status)]);

describe('acceptance window (002: 48 hours)', () => {
  it('002: 48 h after the offer in the Kaifeng pack; 000 (Jilin) sets none', () => {
    expect(acceptByFor(randomPack, '2025-06-03T01:00:00.000Z')).toBe('2025-06-05T01:00:00.000Z');
    expect(acceptByFor(chainPack, '2025-06-03T01:00:00.000Z')).toBeNull();
    expect(acceptanceLeftMs('2025-06-05T01:00:00.000Z', new Date('2025-06-05T00:00:00.000Z'))).toBe(3_600_000);
  });
});

describe('completion limit (002/004: 20 working days, supplement time not counted)', () => {
  it('002: 20 working days across the 2025 National Day holiday and its make-up days', () => {
    // Received Fri 26 Sep: 28 Sep (make-up Sunday), 29–30 Sep, 9–11 Oct (11th a make-up Saturday), then weekdays.
    expect(completionDue(randomPack, cal, '2025-09-26')).toEqual({ kind: 'date', dueOn: '2025-10-30', provisional: false });
    expect(completionDue(chainPack, cal, '2025-09-26')).toEqual({ kind: 'none' }); // 000 sets no limit
  });

  it('003 第八条: a supplement pause of a working week moves the due day by five working days', () => {
    const plain = completionDue(randomPack, cal, '2025-03-03');
    const paused = completionDue(randomPack, cal, '2025-03-03', [{ from: '2025-03-10', to: '2025-03-14' }]);
    expect(plain).toMatchObject({ dueOn: '2025-03-31' });
    expect(paused).toMatchObject({ dueOn: '2025-04-08' }); // 4–6 April 2025 is the Qingming holiday
  });

  it('a deadline reaching a year without a calendar awaits it, with the earliest day it could fall, never a weekends-only date', () => {
    // Received Thu 10 Dec 2026: 11–31 Dec hold 15 working days, so 5 are left on 1 Jan 2027.
    const due = completionDue(randomPack, cal, '2026-12-10');
    expect(due).toEqual({ kind: 'awaiting-calendar', year: 2027, earliest: '2027-01-05' });
    expect(dueFields(due)).toEqual({ dueOn: null, dueAwaits: 2027, dueProvisional: false, deadlineAt: '2027-01-05T15:59:59.999Z' });
    expect(dueText(due)).toBe('时限待定：待导入 2027 年节假日日历');
    expect(dueReason(due)).toContain('缺少 2027 年节假日日历');
    expect(dueReason(due)).toContain('设置 → 政策 → 节假日日历');
    // Within 2026 nothing changes: received 1 Dec, due 29 Dec.
    expect(completionDue(randomPack, cal, '2026-12-01')).toEqual({ kind: 'date', dueOn: '2026-12-29', provisional: false });
  });

  it('once 2027 is imported the same case gets its date; a provisional year says so in one phrase', () => {
    // 1–3 Jan 2027 off, then Mon 4 … Fri 8 Jan: the fifth working day is 8 Jan.
    const official = completionDue(randomPack, with2027('official'), '2026-12-10');
    expect(official).toEqual({ kind: 'date', dueOn: '2027-01-08', provisional: false });
    expect(dueText(official)).toBe('2027-01-08');
    const provisional = completionDue(randomPack, with2027('provisional'), '2026-12-10');
    expect(provisional).toEqual({ kind: 'date', dueOn: '2027-01-08', provisional: true });
    expect(dueText(provisional)).toBe(`2027-01-08（${PROVISIONAL_DUE}）`);
    expect(dueReason(provisional)).toBeNull();
  });

  it('reads a row back as the deadline it records: date, awaiting, paused, none (rows stored before the new fields included)', () => {
    expect(dueOfRow({ dueOn: '2025-10-30', dueAwaits: null, dueProvisional: true, deadlineAt: '2025-10-30T15:59:59.999Z', paused: [] })).toEqual({ kind: 'date', dueOn: '2025-10-30', provisional: true });
    expect(dueOfRow({ dueOn: null, dueAwaits: 2027, dueProvisional: false, deadlineAt: '2027-01-05T15:59:59.999Z', paused: [] })).toEqual({ kind: 'awaiting-calendar', year: 2027, earliest: '2027-01-05' });
    expect(dueOfRow({ dueOn: null, deadlineAt: NO_DEADLINE, paused: [{ from: '2025-06-03', to: '2025-06-03' }] })).toEqual({ kind: 'paused' });
    expect(dueOfRow({ dueOn: null, deadlineAt: NO_DEADLINE, paused: [{ from: '2025-06-03', to: '2025-06-05' }] })).toEqual({ kind: 'none' });
    expect(dueOfRow({ dueOn: '2025-10-30', deadlineAt: '2025-10-30T15:59:59.999Z', paused: [] })).toEqual({ kind: 'date', dueOn: '2025-10-30', provisional: false });
  });
  it('counts working days left from the China date of now', () => {
    // 2025-10-27 Mon 09:00 China → 27, 28, 29, 30 Oct: three working days after today.
    expect(workingDaysLeft(cal, '2025-10-30', new Date('2025-10-27T01:00:00.000Z'))).toBe(3);
    expect(workingDaysLeft(cal, '2025-10-30', new Date('2025-10-30T15:00:00.000Z'))).toBe(0);
    expect(workingDaysLeft(cal, '2025-10-30', new Date('2025-10-31T02:00:00.000Z'))).toBe(-1);
    expect(workingDaysLeft(cal, null, new Date('2025-10-27T01:00:00.000Z'))).toBeNull();
  });
});

describe('deadlineAt and due soon', () => {
  it('sorts an offer by its nearer deadline, an accepted item by its case\'s deadline (China time)', () => {
    expect(deadlineAtFor({ state: 'offered', acceptBy: '2025-06-05T01:00:00.000Z', dueAt: '2025-07-01T15:59:59.999Z' })).toBe('2025-06-05T01:00:00.000Z');
    expect(deadlineAtFor({ state: 'offered', acceptBy: '2025-06-05T01:00:00.000Z', dueAt: '2025-06-04T15:59:59.999Z' })).toBe('2025-06-04T15:59:59.999Z');
    expect(deadlineAtFor({ state: 'accepted', acceptBy: null, dueAt: '2025-07-01T15:59:59.999Z' })).toBe('2025-07-01T15:59:59.999Z');
    expect(deadlineAtFor({ state: 'accepted', acceptBy: null, dueAt: NO_DEADLINE })).toBe('9999-12-31T23:59:59.999Z');
  });

  it('classifies offers by hours left and accepted cases by working days left', () => {
    const now = new Date('2025-06-03T00:00:00.000Z');
    const offer = (acceptBy: string) => ({ state: 'offered' as const, acceptBy, dueOn: '2025-07-01', paused: [] });
    expect(dueState(cal, offer('2025-06-04T12:00:00.000Z'), now)).toBe('on-time');
    expect(dueState(cal, offer('2025-06-03T10:00:00.000Z'), now)).toBe('due-soon');
    expect(dueState(cal, offer('2025-06-02T23:00:00.000Z'), now)).toBe('overdue');
    const accepted = (dueOn: string) => ({ state: 'accepted' as const, acceptBy: null, dueOn, paused: [] });
    expect(dueState(cal, accepted('2025-06-06'), now)).toBe('due-soon'); // Tue → Fri: 3 working days
    expect(dueState(cal, accepted('2025-06-09'), now)).toBe('on-time');
    expect(dueState(cal, accepted('2025-06-02'), now)).toBe('overdue');
    expect(dueState(cal, { state: 'accepted', acceptBy: null, dueOn: null, paused: [] }, now)).toBe('none');
  });

  it('the due-soon cutoff bounds every due-soon item', () => {
    const now = new Date('2025-06-03T00:00:00.000Z');
    const cutoff = dueSoonCutoff(cal, now);
    // The 4th working day after Tue 3 June is Mon 9 June; everything due up to Sunday is due soon.
    expect(cutoff).toBe('2025-06-08T15:59:59.999Z');
    expect(deadlineAtFor({ state: 'accepted', acceptBy: null, dueAt: endOfChinaDay('2025-06-06') }) <= cutoff).toBe(true);
    expect(deadlineAtFor({ state: 'accepted', acceptBy: null, dueAt: endOfChinaDay('2025-06-09') }) <= cutoff).toBe(false);
  });
});

describe('recomputing deadlines after a calendar import', () => {
  const now = new Date('2026-12-15T10:00:00+08:00');
  const base: CaseRow = {
    id: 'c1', personId: 'p1', personName: '林演示', certNo: '14010519800101901X', psnNo: '', insutype: '310', regionCode: '140105', diseaseCode: 'M01600', diseaseName: '糖尿病',
    kind: 'first', channel: 'assisted', submittedAt: '2026-12-10T01:00:00.000Z', receivedOn: '2026-12-10', status: 'in-review', stage: 'first', stageLabel: '初审', tieBreak: false,
    ...dueFields(completionDue(randomPack, cal, '2026-12-10')), paused: [], result: null, decidedAt: null, updatedAt: '2026-12-10T01:00:00.000Z',
  };

  it('an awaiting case gets its date, sorted by it; nothing changes while the year is still missing', () => {
    expect(recomputeDue(randomPack, cal, base, now)).toBeNull();
    const next = recomputeDue(randomPack, with2027('official'), base, now);
    expect(next).toMatchObject({ dueOn: '2027-01-08', dueAwaits: null, dueProvisional: false, deadlineAt: '2027-01-08T15:59:59.999Z', updatedAt: now.toISOString() });
  });

  it('a provisional date is counted again on the official year; a firm date, a decided or a paused case is left alone', () => {
    const provisional = recomputeDue(randomPack, with2027('provisional'), base, now)!;
    expect(provisional.dueProvisional).toBe(true);
    const official = buildCalendar([file(y2025), file(y2026), { ...y2027('official'), holidays: [...y2027('official').holidays, { date: '2027-01-04', name: '元旦' }] }]);
    expect(recomputeDue(randomPack, official, provisional, now)).toMatchObject({ dueOn: '2027-01-11', dueProvisional: false });
    const firm = recomputeDue(randomPack, with2027('official'), base, now)!;
    expect(recomputeDue(randomPack, official, firm, now)).toBeNull();
    expect(recomputeDue(randomPack, with2027('official'), { ...base, status: 'decided' }, now)).toBeNull();
    expect(recomputeDue(randomPack, with2027('official'), { ...base, status: 'supplementing' }, now)).toBeNull();
  });

  it('a case stored as "no deadline" before deadlines could await a calendar is computed at last', () => {
    const legacy = { ...base, dueOn: null, dueAwaits: null, deadlineAt: NO_DEADLINE } as CaseRow;
    expect(recomputeDue(randomPack, cal, legacy, now)).toMatchObject({ dueAwaits: 2027, deadlineAt: '2027-01-05T15:59:59.999Z' });
    expect(recomputeDue(chainPack, cal, legacy, now)).toBeNull(); // a pack without a limit: still none
  });
});

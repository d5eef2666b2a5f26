import { describe, expect, it } from 'vitest';
import { cal, chainPack, randomPack } from '../../../test/fixtures/review-packs';
import { acceptByFor, acceptanceLeftMs, completionDueOn, deadlineAtFor, dueSoonCutoff, dueState, workingDaysLeft } from './deadlines';

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
    expect(completionDueOn(randomPack, cal, '2025-09-26')).toEqual({ dueOn: '2025-10-30', warning: null });
    expect(completionDueOn(chainPack, cal, '2025-09-26')).toEqual({ dueOn: null, warning: null }); // 000 sets no limit
  });

  it('003 第八条: a supplement pause of a working week moves the due day by five working days', () => {
    const plain = completionDueOn(randomPack, cal, '2025-03-03').dueOn;
    const paused = completionDueOn(randomPack, cal, '2025-03-03', [{ from: '2025-03-10', to: '2025-03-14' }]).dueOn;
    expect(plain).toBe('2025-03-31');
    expect(paused).toBe('2025-04-08'); // 4–6 April 2025 is the Qingming holiday
  });

  it('says so when the calendar lacks the year instead of inventing a date', () => {
    const r = completionDueOn(randomPack, cal, '2026-12-20');
    expect(r.dueOn).toBeNull();
    expect(r.warning).toContain('2027');
  });

  it('counts working days left from the China date of now', () => {
    // 2025-10-27 Mon 09:00 China → 27, 28, 29, 30 Oct: three working days after today.
    expect(workingDaysLeft(cal, '2025-10-30', new Date('2025-10-27T01:00:00.000Z'))).toBe(3);
    expect(workingDaysLeft(cal, '2025-10-30', new Date('2025-10-30T15:00:00.000Z'))).toBe(0);
    expect(workingDaysLeft(cal, '2025-10-30', new Date('2025-10-31T02:00:00.000Z'))).toBe(-1);
    expect(workingDaysLeft(cal, null, new Date())).toBeNull();
  });
});

describe('deadlineAt and due soon', () => {
  it('sorts an offer by its nearer deadline, an accepted item by the end of its due day (China time)', () => {
    expect(deadlineAtFor({ state: 'offered', acceptBy: '2025-06-05T01:00:00.000Z', dueOn: '2025-07-01' })).toBe('2025-06-05T01:00:00.000Z');
    expect(deadlineAtFor({ state: 'offered', acceptBy: '2025-06-05T01:00:00.000Z', dueOn: '2025-06-04' })).toBe('2025-06-04T15:59:59.999Z');
    expect(deadlineAtFor({ state: 'accepted', acceptBy: null, dueOn: '2025-07-01' })).toBe('2025-07-01T15:59:59.999Z');
    expect(deadlineAtFor({ state: 'accepted', acceptBy: null, dueOn: null })).toBe('9999-12-31T23:59:59.999Z');
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
    expect(deadlineAtFor({ state: 'accepted', acceptBy: null, dueOn: '2025-06-06' }) <= cutoff).toBe(true);
    expect(deadlineAtFor({ state: 'accepted', acceptBy: null, dueOn: '2025-06-09' }) <= cutoff).toBe(false);
  });
});

/**
 * Live deadlines of a work item: the acceptance window (002: 48 hours) and the completion limit
 * in working days (002/004: 20), with the applicant's supplement time not counted (003 第八条).
 */
import { chinaDateOf, endOfChinaDay, NO_DEADLINE } from '../domain/case';
import type { Calendar } from '../policy/calendar';
import type { DateInterval } from '../policy/working-days';
import { addWorkingDays, workingDaysBetween } from '../policy/working-days';
import { addDays } from '../policy/dates';
import { acceptanceDeadline, completionDeadline } from '../policy/review';
import type { PolicyPack } from '../policy/schema';

/**
 * When a deadline counts as "due soon". Not in any source document: a workstation choice, kept
 * here so the filter and the badge agree. 12 h is a quarter of 002's 48 h acceptance window.
 */
export const DUE_SOON = { acceptanceHours: 12, completionWorkingDays: 3 } as const;

export type DueState = 'overdue' | 'due-soon' | 'on-time' | 'none';

/** The completion limit's last day for a case received on `receivedOn`, or null (no limit, or no calendar: the message says). */
export function completionDueOn(pack: PolicyPack, calendar: Calendar, receivedOn: string, paused: readonly DateInterval[] = []): { dueOn: string | null; warning: string | null } {
  const r = completionDeadline(pack, calendar, receivedOn, { paused });
  if (r === null) return { dueOn: null, warning: null };
  if (!r.ok) return { dueOn: null, warning: r.error.message };
  return { dueOn: r.date, warning: r.warnings[0] ?? null };
}

/** The acceptance deadline for an offer made at `offeredAt`, or null when the pack sets none. */
export function acceptByFor(pack: PolicyPack, offeredAt: string): string | null {
  return acceptanceDeadline(pack, offeredAt);
}

/**
 * The instant a work item sorts by: its nearest deadline — the acceptance deadline while offered
 * or the end of the due day, whichever comes first.
 */
export function deadlineAtFor(item: { state: 'offered' | 'accepted'; acceptBy: string | null; dueOn: string | null }): string {
  const due = item.dueOn ? endOfChinaDay(item.dueOn) : NO_DEADLINE;
  if (item.state === 'offered' && item.acceptBy && item.acceptBy < due) return item.acceptBy;
  return due;
}

/**
 * An instant no due-soon or overdue item's `deadlineAt` exceeds: the worklist's "due soon"
 * filter reads the index up to here, then refines each row with `dueState`. Falls back to the
 * acceptance bound alone when the calendar lacks the year.
 */
export function dueSoonCutoff(calendar: Calendar, now: Date): string {
  const acceptance = new Date(now.getTime() + DUE_SOON.acceptanceHours * 3_600_000).toISOString();
  const r = addWorkingDays(calendar, chinaDateOf(now), DUE_SOON.completionWorkingDays + 1);
  if (!r.ok) return acceptance;
  const completion = endOfChinaDay(addDays(r.date, -1));
  return completion > acceptance ? completion : acceptance;
}

/** Milliseconds left to accept (negative once lapsed), or null. */
export function acceptanceLeftMs(acceptBy: string | null, now: Date): number | null {
  return acceptBy === null ? null : Date.parse(acceptBy) - now.getTime();
}

/**
 * Working days left until `dueOn`, counted from today (China date): 0 on the due day itself,
 * negative once past. Null when there is no due date or no calendar for the years involved.
 */
export function workingDaysLeft(calendar: Calendar, dueOn: string | null, now: Date, paused: readonly DateInterval[] = []): number | null {
  if (dueOn === null) return null;
  const r = workingDaysBetween(calendar, chinaDateOf(now), dueOn, { paused });
  return r.ok ? r.days : null;
}

/** The worse of the two deadlines of an item. */
export function dueState(
  calendar: Calendar,
  item: { state: 'offered' | 'accepted'; acceptBy: string | null; dueOn: string | null; paused: readonly DateInterval[] },
  now: Date,
): DueState {
  const states: DueState[] = [];
  if (item.state === 'offered') {
    const ms = acceptanceLeftMs(item.acceptBy, now);
    if (ms !== null) states.push(ms < 0 ? 'overdue' : ms <= DUE_SOON.acceptanceHours * 3_600_000 ? 'due-soon' : 'on-time');
  }
  if (item.dueOn !== null) {
    const today = chinaDateOf(now);
    if (today > item.dueOn) states.push('overdue');
    else {
      const left = workingDaysLeft(calendar, item.dueOn, now, item.paused);
      states.push(left !== null && left <= DUE_SOON.completionWorkingDays ? 'due-soon' : 'on-time');
    }
  }
  if (states.includes('overdue')) return 'overdue';
  if (states.includes('due-soon')) return 'due-soon';
  return states.length > 0 ? 'on-time' : 'none';
}

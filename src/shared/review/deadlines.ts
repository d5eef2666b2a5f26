/**
 * Live deadlines of a work item: the acceptance window (002: 48 hours) and the completion limit
 * in working days (002/004: 20), with the applicant's supplement time not counted (003 第八条).
 */
import { NO_DEADLINE, type CaseRow } from '../domain/case';
import { addDays, chinaDateOf, endOfChinaDay, type IsoDate } from '../time';
import type { Calendar } from '../policy/calendar';
import type { DateInterval } from '../policy/working-days';
import { addWorkingDays, workingDaysBetween } from '../policy/working-days';
import { acceptanceDeadline, completionDeadline } from '../policy/review';
import type { PolicyPack } from '../policy/schema';

/**
 * When a deadline counts as "due soon". Not in any source document: a workstation choice, kept
 * here so the filter and the badge agree. 12 h is a quarter of 002's 48 h acceptance window.
 */
export const DUE_SOON = { acceptanceHours: 12, completionWorkingDays: 3 } as const;

export type DueState = 'overdue' | 'due-soon' | 'on-time' | 'none';

/**
 * A case's completion deadline (002/004: ≤ 20 working days after 受理), as it stands:
 * - `date`: the last day, counted on the holiday calendar; `provisional` when a year it crossed
 *   was entered before the State Council published it (the date may still move);
 * - `awaiting-calendar`: the count reaches `year`, whose calendar is not imported, so the date
 *   cannot be computed yet; it falls on `earliest` at the soonest (every day of that year counted
 *   as a working day), which is what the worklist sorts by until the calendar arrives;
 * - `none`: the pack sets no completion limit;
 * - `paused`: the applicant is completing materials and the clock stands (003 第八条).
 * Never a silent weekends-only date, never a bare null.
 */
export type CompletionDue =
  | { kind: 'date'; dueOn: IsoDate; provisional: boolean }
  | { kind: 'awaiting-calendar'; year: number; earliest: IsoDate }
  | { kind: 'none' }
  | { kind: 'paused' };

/** The completion deadline of a case received on `receivedOn`, its supplement pauses not counted. */
export function completionDue(pack: PolicyPack, calendar: Calendar, receivedOn: IsoDate, paused: readonly DateInterval[] = []): CompletionDue {
  const r = completionDeadline(pack, calendar, receivedOn, { paused });
  if (r === null) return { kind: 'none' };
  if (r.ok) return { kind: 'date', dueOn: r.date, provisional: r.warnings.length > 0 };
  if (r.error.code === 'calendar-missing' && r.reached) return { kind: 'awaiting-calendar', year: r.error.year, earliest: addDays(r.reached.date, r.reached.left - 1) };
  throw new RangeError(r.error.message);
}

/** The fields a case row (and its work items) records for a completion deadline. */
export interface DueFields {
  /** The last day; null when there is none or it cannot be computed yet. */
  dueOn: IsoDate | null;
  /** The year whose holiday calendar the deadline waits for; null otherwise. */
  dueAwaits: number | null;
  /** The date was counted over a provisional calendar year. */
  dueProvisional: boolean;
  /** What lists sort by: the end of the due day, of the earliest possible day, or NO_DEADLINE. */
  deadlineAt: string;
}

export function dueFields(due: CompletionDue): DueFields {
  switch (due.kind) {
    case 'date':
      return { dueOn: due.dueOn, dueAwaits: null, dueProvisional: due.provisional, deadlineAt: endOfChinaDay(due.dueOn) };
    case 'awaiting-calendar':
      return { dueOn: null, dueAwaits: due.year, dueProvisional: false, deadlineAt: endOfChinaDay(due.earliest) };
    case 'none':
    case 'paused':
      return { dueOn: null, dueAwaits: null, dueProvisional: false, deadlineAt: NO_DEADLINE };
  }
}

/** A row's deadline fields; rows stored before a field existed read as its default. */
export interface DueRow {
  dueOn: IsoDate | null;
  dueAwaits?: number | null;
  dueProvisional?: boolean;
  deadlineAt: string;
  paused: readonly DateInterval[];
}

/** The completion deadline a case or work item records (the case's status not needed). */
export function dueOfRow(row: DueRow): CompletionDue {
  if (row.dueOn !== null) return { kind: 'date', dueOn: row.dueOn, provisional: row.dueProvisional ?? false };
  if (row.dueAwaits != null) return { kind: 'awaiting-calendar', year: row.dueAwaits, earliest: chinaDateOf(row.deadlineAt) };
  // An open supplement pause (shared/review/supplement.ts): its last interval starts and ends on the pause day.
  const last = row.paused.at(-1);
  if (last !== undefined && last.from === last.to) return { kind: 'paused' };
  return { kind: 'none' };
}

/** The one phrase for a deadline counted on a provisional calendar, wherever a deadline shows. */
export const PROVISIONAL_DUE = '按暂定日历计算，可能变化';
/** The short word for a deadline that waits for a calendar (worklist tags, filters). */
export const AWAITING_DUE = '时限待定';

/** The deadline in a few words, for headers, receipts and lists. */
export function dueText(due: CompletionDue): string {
  switch (due.kind) {
    case 'date':
      return due.provisional ? `${due.dueOn}（${PROVISIONAL_DUE}）` : due.dueOn;
    case 'awaiting-calendar':
      return `${AWAITING_DUE}：待导入 ${due.year} 年节假日日历`;
    case 'none':
      return '无办结时限';
    case 'paused':
      return '补充材料中，暂停计时';
  }
}

/** Why a deadline cannot be computed yet, and what makes it computable; null for every other kind. */
export function dueReason(due: CompletionDue): string | null {
  if (due.kind !== 'awaiting-calendar') return null;
  return `办结时限要数到 ${due.year} 年，缺少 ${due.year} 年节假日日历，暂无法计算（最早 ${due.earliest}）。国务院办公厅每年秋季公布次年节假日安排；管理员或医保办在 设置 → 政策 → 节假日日历 导入后，时限自动算出。`;
}

/**
 * The case with its completion deadline computed again on `calendar` (after an import), or null
 * when nothing changes. Only open cases whose deadline is missing, awaiting a calendar or
 * provisional are touched; a paused case is recomputed when it resumes.
 */
export function recomputeDue(pack: PolicyPack, calendar: Calendar, c: CaseRow, now: Date): CaseRow | null {
  if (c.status === 'decided' || c.status === 'supplementing') return null;
  const current = dueOfRow(c);
  if (current.kind === 'date' && !current.provisional) return null;
  const fields = dueFields(completionDue(pack, calendar, c.receivedOn, c.paused));
  if (fields.dueOn === c.dueOn && fields.dueAwaits === (c.dueAwaits ?? null) && fields.dueProvisional === (c.dueProvisional ?? false) && fields.deadlineAt === c.deadlineAt) return null;
  return { ...c, ...fields, updatedAt: now.toISOString() };
}

/** The acceptance deadline for an offer made at `offeredAt`, or null when the pack sets none. */
export function acceptByFor(pack: PolicyPack, offeredAt: string): string | null {
  return acceptanceDeadline(pack, offeredAt);
}

/**
 * The instant a work item sorts by: its nearest deadline — the acceptance deadline while offered
 * or the case's own (`dueAt`: its deadlineAt), whichever comes first.
 */
export function deadlineAtFor(item: { state: 'offered' | 'accepted'; acceptBy: string | null; dueAt: string }): string {
  const due = item.dueAt;
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

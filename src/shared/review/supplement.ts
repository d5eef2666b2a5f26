/**
 * Supplement time (补充材料): while the applicant completes materials the completion clock
 * stops (003 第八条: supplement time is not counted). The pause is the case's last `paused`
 * interval, open while the status is `supplementing` (its `to` then equals its `from`); the due
 * day is unknown meanwhile and recomputed, pause excluded, when the materials are complete.
 */
import { type CaseRow } from '../domain/case';
import type { Calendar } from '../policy/calendar';
import type { PolicyPack } from '../policy/schema';
import { completionDue, dueFields, dueReason, dueText } from './deadlines';

export type SupplementResult = { ok: true; caseRow: CaseRow; warning: string | null } | { ok: false; message: string };

/** Stops the clock on `onDate` (that day no longer counts). */
export function startSupplement(c: CaseRow, onDate: string, now: Date): SupplementResult {
  if (c.status === 'decided') return { ok: false, message: '案件已办结' };
  if (c.status === 'supplementing') return { ok: false, message: '已在补充材料中' };
  if (onDate < c.receivedOn) return { ok: false, message: '暂停日期早于受理日期' };
  return {
    ok: true,
    caseRow: { ...c, status: 'supplementing', paused: [...c.paused, { from: onDate, to: onDate }], ...dueFields({ kind: 'paused' }), updatedAt: now.toISOString() },
    warning: null,
  };
}

/**
 * The materials are complete on `onDate` (that day does not count either): the pause closes,
 * the due day is recomputed and the case returns to `resumeStatus` (its stage's status).
 */
export function endSupplement(pack: PolicyPack, calendar: Calendar, c: CaseRow, onDate: string, resumeStatus: 'in-review' | 'office-review' | 'unassigned', now: Date): SupplementResult {
  if (c.status !== 'supplementing') return { ok: false, message: '案件不在补充材料中' };
  const open = c.paused.at(-1);
  if (!open || onDate < open.from) return { ok: false, message: '补齐日期早于暂停日期' };
  const paused = [...c.paused.slice(0, -1), { from: open.from, to: onDate }];
  const due = completionDue(pack, calendar, c.receivedOn, paused);
  return {
    ok: true,
    caseRow: { ...c, status: resumeStatus, paused, ...dueFields(due), updatedAt: now.toISOString() },
    warning: dueReason(due) ?? (due.kind === 'date' && due.provisional ? `办结期限 ${dueText(due)}` : null),
  };
}

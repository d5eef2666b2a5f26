/**
 * Deadlines counted again when the holiday calendar changes. A case whose completion limit
 * reached a year without a calendar waits for it (shared/review/deadlines.ts: awaiting-calendar);
 * one counted over a provisional year may move. When an administrator or the 医保办 imports a
 * year, every such open case gets its date at once, its work items with it, so each worklist,
 * review header and case file shows it. Whichever window notices the new calendar first does the
 * work, under a Web Lock; the calendar's fingerprint, stored once done, keeps the others (and the
 * next start) from doing it again.
 */
import Dexie from 'dexie';
import { calendarFingerprint } from '../../../../shared/policy/calendar';
import { refreshWorkItem } from '../../../../shared/review/offers';
import { recomputeDue } from '../../../../shared/review/deadlines';
import type { CaseRow } from '../../../../shared/domain/case';
import { appendAudit } from '../../db/audit';
import type { WorkstationDb } from '../../db/db';
import type { ReviewContext } from './assignment-repo';

export const DEADLINE_REFRESH_LOCK = 'opsp-deadline-refresh';
/** The fingerprint of the calendar the stored deadlines were last counted on. */
export const DEADLINES_COUNTED_ON_KEY = 'deadlines.calendarFingerprint';

const OPEN: CaseRow['status'][] = ['unassigned', 'in-review', 'office-review'];

/**
 * Counts again the deadline of every open case that lacks one, awaits a calendar or rests on a
 * provisional year, when the calendar differs from the one they were counted on. Returns how
 * many cases changed (0 when the calendar is the same as last time).
 */
export async function refreshDeadlines(db: WorkstationDb, ctx: Pick<ReviewContext, 'pack' | 'calendar'>, now: Date): Promise<number> {
  const fingerprint = calendarFingerprint(ctx.calendar);
  if ((await db.settings.get(DEADLINES_COUNTED_ON_KEY))?.value === fingerprint) return 0;
  return db.transaction('rw', [db.cases, db.workItems, db.settings, db.audit], async () => {
    const rows = (await Promise.all(OPEN.map((s) => db.cases.where('[status+deadlineAt]').between([s, Dexie.minKey], [s, Dexie.maxKey]).toArray()))).flat();
    const changed = rows.flatMap((c) => {
      const next = recomputeDue(ctx.pack, ctx.calendar, c, now);
      return next ? [next] : [];
    });
    if (changed.length > 0) {
      await db.cases.bulkPut(changed);
      const byCase = new Map(changed.map((c) => [c.id, c]));
      const items = await db.workItems.where('caseId').anyOf([...byCase.keys()]).toArray();
      await db.workItems.bulkPut(items.map((w) => refreshWorkItem(w, byCase.get(w.caseId)!)));
      await appendAudit(db, {
        kind: 'deadlines.recomputed',
        actorId: null,
        at: now.toISOString(),
        subject: fingerprint,
        detail: { cases: changed.map((c) => ({ id: c.id, dueOn: c.dueOn, dueAwaits: c.dueAwaits, dueProvisional: c.dueProvisional })) },
      });
    }
    await db.settings.put({ key: DEADLINES_COUNTED_ON_KEY, value: fingerprint });
    return changed.length;
  });
}

/**
 * Deadlines counted again when the holiday calendar changes. A case whose completion limit
 * reached a year without a calendar waits for it (shared/review/deadlines.ts: awaiting-calendar);
 * one counted over a provisional year may move. When an administrator or the 医保办 imports a
 * year, every such open case gets its date at once, its work items with it, so each worklist,
 * review header and case file shows it. Whichever window notices the new calendar first does the
 * work, under a Web Lock; the calendar's fingerprint, stored once done, keeps the others (and the
 * next start) from doing it again.
 */
import { calendarFingerprint } from '../../../../shared/policy/calendar';
import { recomputeDeadlines } from '../../../../shared/cases/deadlines';
import { dexieStore } from '../../db/dexie-store';
import type { WorkstationDb } from '../../db/db';
import type { ReviewContext } from './assignment-repo';

export const DEADLINE_REFRESH_LOCK = 'opsp-deadline-refresh';
/** The fingerprint of the calendar the stored deadlines were last counted on. */
export const DEADLINES_COUNTED_ON_KEY = 'deadlines.calendarFingerprint';


/**
 * Counts again the deadline of every open case that lacks one, awaits a calendar or rests on a
 * provisional year, when the calendar differs from the one they were counted on. Returns how
 * many cases changed (0 when the calendar is the same as last time).
 */
export async function refreshDeadlines(db: WorkstationDb, ctx: Pick<ReviewContext, 'pack' | 'calendar'>, now: Date): Promise<number> {
  const fingerprint = calendarFingerprint(ctx.calendar);
  if ((await db.settings.get(DEADLINES_COUNTED_ON_KEY))?.value === fingerprint) return 0;
  return db.transaction('rw', [db.cases, db.workItems, db.settings, db.audit], async () => {
    const changed = await recomputeDeadlines(dexieStore(db), { ...ctx, now }, fingerprint);
    await db.settings.put({ key: DEADLINES_COUNTED_ON_KEY, value: fingerprint });
    return changed.length;
  });
}

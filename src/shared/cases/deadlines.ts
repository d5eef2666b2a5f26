/**
 * Deadlines counted again over any `Store` when the holiday calendar changes: every open case
 * whose completion limit awaited a year's calendar or rested on a provisional year gets its date
 * now, and its work items with it (the desk after an import it made; the server after
 * `calendar.import`).
 */
import type { CaseRow } from '../domain/case';
import { recomputeDue } from '../review/deadlines';
import { refreshWorkItem } from '../review/offers';
import type { Store } from '../store/store';
import type { ReviewContext, RuleContext } from './context';

const OPEN: CaseRow['status'][] = ['unassigned', 'in-review', 'office-review'];

/** Answers the cases whose deadline changed (already written, with one audit entry for them all). */
export async function recomputeDeadlines(store: Store, cx: Pick<ReviewContext, 'pack' | 'calendar'> & Pick<RuleContext, 'now'>, subject: string): Promise<CaseRow[]> {
  const rows = await store.find('cases', 'status', OPEN);
  const changed = rows.flatMap((c) => {
    const next = recomputeDue(cx.pack, cx.calendar, c, cx.now);
    return next ? [next] : [];
  });
  if (changed.length === 0) return changed;
  for (const c of changed) await store.put('cases', c);
  const byCase = new Map(changed.map((c) => [c.id, c]));
  for (const w of await store.find('workItems', 'caseId', [...byCase.keys()])) await store.put('workItems', refreshWorkItem(w, byCase.get(w.caseId)!));
  await store.audit({
    kind: 'deadlines.recomputed',
    actorId: null,
    at: cx.now.toISOString(),
    subject,
    detail: { cases: changed.map((c) => ({ id: c.id, dueOn: c.dueOn, dueAwaits: c.dueAwaits, dueProvisional: c.dueProvisional })) },
  });
  return changed;
}

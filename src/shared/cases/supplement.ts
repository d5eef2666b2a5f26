/**
 * Supplement time over any `Store`: the case's completion clock stops while the applicant
 * completes materials and restarts when they are complete; its work items' deadlines move with it.
 */
import type { CaseRow } from '../domain/case';
import { refreshWorkItem } from '../review/offers';
import { assignmentMode } from '../review/stages';
import { endSupplement, startSupplement, type SupplementResult } from '../review/supplement';
import type { Store } from '../store/store';
import { chinaDateOf } from '../time';
import type { ReviewContext, RuleContext, RuleResult } from './context';

async function apply(store: Store, now: Date, caseId: string, actorId: string, kind: string, change: (c: CaseRow) => SupplementResult): Promise<RuleResult<{ warning: string | null }>> {
  const c = await store.get('cases', caseId);
  if (!c) return { ok: false, message: '案件不存在' };
  const r = change(c);
  if (!r.ok) return r;
  await store.put('cases', r.caseRow);
  for (const w of await store.find('workItems', 'caseId', [caseId])) await store.put('workItems', refreshWorkItem(w, r.caseRow));
  await store.audit({ kind, actorId, at: now.toISOString(), subject: caseId, detail: { paused: r.caseRow.paused.at(-1), dueOn: r.caseRow.dueOn } });
  return { ok: true, value: { warning: r.warning } };
}

/** The applicant is asked for more materials: the clock stops today (China date). */
export function pauseForSupplement(store: Store, cx: Pick<RuleContext, 'now'>, caseId: string, actorId: string): Promise<RuleResult<{ warning: string | null }>> {
  const { now } = cx;
  return apply(store, now, caseId, actorId, 'case.supplement-started', (c) => startSupplement(c, chinaDateOf(now), now));
}

/** The materials are complete: the clock restarts and the due day moves by the paused working days. */
export function resumeAfterSupplement(store: Store, cx: Pick<ReviewContext, 'pack' | 'calendar'> & Pick<RuleContext, 'now'>, caseId: string, actorId: string): Promise<RuleResult<{ warning: string | null }>> {
  const { now } = cx;
  return apply(store, now, caseId, actorId, 'case.supplement-ended', (c) => {
    const stage = cx.pack.process.stages.find((s) => s.id === c.stage);
    const status = !stage ? 'unassigned' : assignmentMode(stage) === 'office' ? 'office-review' : 'in-review';
    return endSupplement(cx.pack, cx.calendar, c, chinaDateOf(now), status, now);
  });
}

import { type CaseRow } from '../../../../shared/domain/case';
import { chinaDateOf } from '../../../../shared/time';
import { refreshWorkItem } from '../../../../shared/review/offers';
import { assignmentMode } from '../../../../shared/review/stages';
import { endSupplement, startSupplement, type SupplementResult } from '../../../../shared/review/supplement';
import { appendAudit } from '../../db/audit';
import type { WorkstationDb } from '../../db/db';
import type { RepoResult, ReviewContext } from './assignment-repo';

/**
 * Stops or restarts a case's completion clock for supplement time and moves its work items'
 * deadlines with it, in one transaction with its audit entry.
 */
async function apply(db: WorkstationDb, caseId: string, actorId: string, kind: string, now: Date, change: (c: CaseRow) => SupplementResult): Promise<RepoResult<{ warning: string | null }>> {
  return db.transaction('rw', [db.cases, db.workItems, db.audit], async () => {
    const c = await db.cases.get(caseId);
    if (!c) return { ok: false, message: '案件不存在' };
    const r = change(c);
    if (!r.ok) return r;
    await db.cases.put(r.caseRow);
    const items = await db.workItems.where('caseId').equals(caseId).toArray();
    await db.workItems.bulkPut(items.map((w) => refreshWorkItem(w, r.caseRow)));
    await appendAudit(db, { kind, actorId, at: now.toISOString(), subject: caseId, detail: { paused: r.caseRow.paused.at(-1), dueOn: r.caseRow.dueOn } });
    return { ok: true, value: { warning: r.warning } };
  });
}

/** The applicant is asked for more materials: the clock stops today (China date). */
export function pauseForSupplement(db: WorkstationDb, caseId: string, actorId: string, now = new Date()): Promise<RepoResult<{ warning: string | null }>> {
  return apply(db, caseId, actorId, 'case.supplement-started', now, (c) => startSupplement(c, chinaDateOf(now), now));
}

/** The materials are complete: the clock restarts and the due day moves by the paused working days. */
export function resumeAfterSupplement(db: WorkstationDb, ctx: ReviewContext, caseId: string, actorId: string, now = new Date()): Promise<RepoResult<{ warning: string | null }>> {
  return apply(db, caseId, actorId, 'case.supplement-ended', now, (c) => {
    const stage = ctx.pack.process.stages.find((s) => s.id === c.stage);
    const status = !stage ? 'unassigned' : assignmentMode(stage) === 'office' ? 'office-review' : 'in-review';
    return endSupplement(ctx.pack, ctx.calendar, c, chinaDateOf(now), status, now);
  });
}

import type { Conclusion } from '../../../../shared/domain/review';
import { concludeReview } from '../../../../shared/review/conclude';
import { appendAudit } from '../../db/audit';
import type { WorkstationDb } from '../../db/db';
import { assignmentTables, freshSeed, newId, offerNext, type RepoResult, type ReviewContext } from './assignment-repo';

export interface ConcludeRequest {
  assignmentId: string;
  reviewer: { id: string; name: string; role?: string };
  conclusion: Conclusion;
  criteriaMet: readonly string[];
}

/**
 * Records a reviewer's conclusion in one transaction: the review (immutable), the completed
 * assignment, the audit entry that seals it, then either the next stage's offers (002: two
 * 终审 after 初审, a third when they disagree; 000: the 医保办's re-check) or the final result
 * with the certification ready to file. The caller has confirmed the reviewer's password.
 */
export async function concludeAssignment(db: WorkstationDb, ctx: ReviewContext, req: ConcludeRequest, now = new Date(), seed = freshSeed()): Promise<RepoResult<{ decided: boolean }>> {
  return db.transaction('rw', [...assignmentTables(db), db.certifications], async () => {
    const assignment = await db.assignments.get(req.assignmentId);
    const caseRow = assignment && (await db.cases.get(assignment.caseId));
    if (!assignment || !caseRow) return { ok: false, message: '该分配不存在' };
    const reviews = await db.reviews.where('caseId').equals(caseRow.id).toArray();
    const open = (await db.assignments.where('caseId').equals(caseRow.id).toArray()).filter((a) => a.id !== assignment.id && (a.state === 'offered' || a.state === 'accepted'));
    const r = concludeReview({ pack: ctx.pack, caseRow, assignment, reviews, openReviewers: open.map((a) => a.reviewerId), reviewer: req.reviewer, conclusion: req.conclusion, criteriaMet: req.criteriaMet, now, reviewId: newId('rev') });
    if (!r.ok) return r;
    await db.assignments.put(r.assignment);
    await db.workItems.delete(assignment.id);
    await appendAudit(db, { kind: 'review.concluded', actorId: req.reviewer.id, at: r.review.at, subject: caseRow.id, detail: { reviewId: r.review.id, stage: r.review.stage, tieBreak: r.review.tieBreak, conclusion: r.review.conclusion, criteriaMet: r.review.criteriaMet } });
    const sealed = await db.audit.orderBy('seq').last();
    await db.reviews.add({ ...r.review, auditSeq: sealed?.seq ?? null });
    await db.cases.put(r.caseRow);
    if (r.next.kind === 'decided') {
      if (r.certification) await db.certifications.put(r.certification);
      await appendAudit(db, { kind: 'case.decided', actorId: null, at: r.review.at, subject: caseRow.id, detail: { result: r.next.result, stage: r.next.stage } });
      return { ok: true, value: { decided: true } };
    }
    await offerNext(db, ctx, r.caseRow, now, seed, null);
    return { ok: true, value: { decided: false } };
  });
}

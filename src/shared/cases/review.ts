/**
 * A reviewer's conclusion over any `Store`: the review (immutable, sealed by its audit entry), the
 * completed assignment, then the next stage's offers or the case's result and its certification.
 */
import type { Conclusion } from '../domain/review';
import { concludeReview } from '../review/conclude';
import type { Store } from '../store/store';
import { offerNext } from './assignment';
import type { CaseContext, RuleResult } from './context';

export interface ConcludeRequest {
  assignmentId: string;
  reviewer: { id: string; name: string; role?: string };
  conclusion: Conclusion;
  criteriaMet: readonly string[];
  /** The desk's time of a conclusion it sent later (the server passes its command's `at`). */
  madeAt?: string;
}

/**
 * Records a reviewer's conclusion: the review, the completed assignment, the audit entry that
 * seals it, then either the next stage's offers (002: two 终审 after 初审, a third when they
 * disagree; 000: the 医保办's re-check) or the final result with the certification ready to
 * file. The caller has confirmed the reviewer's password.
 */
export async function concludeAssignment(store: Store, cx: CaseContext, req: ConcludeRequest): Promise<RuleResult<{ decided: boolean }>> {
  const { now } = cx;
  const assignment = await store.get('assignments', req.assignmentId);
  const caseRow = assignment && (await store.get('cases', assignment.caseId));
  if (!assignment || !caseRow) return { ok: false, message: '该分配不存在' };
  const [reviews, history] = await Promise.all([store.find('reviews', 'caseId', [caseRow.id]), store.find('assignments', 'caseId', [caseRow.id])]);
  const open = history.filter((a) => a.id !== assignment.id && (a.state === 'offered' || a.state === 'accepted'));
  const r = concludeReview({ pack: cx.pack, caseRow, assignment, reviews, openReviewers: open.map((a) => a.reviewerId), reviewer: req.reviewer, conclusion: req.conclusion, criteriaMet: req.criteriaMet, now, reviewId: cx.newId('rev'), ...(req.madeAt ? { madeAt: req.madeAt } : {}) });
  if (!r.ok) return r;
  await store.put('assignments', r.assignment);
  await store.delete('workItems', assignment.id);
  await store.audit({ kind: 'review.concluded', actorId: req.reviewer.id, at: r.review.at, subject: caseRow.id, detail: { reviewId: r.review.id, stage: r.review.stage, tieBreak: r.review.tieBreak, conclusion: r.review.conclusion, criteriaMet: r.review.criteriaMet, ...(r.review.madeAt ? { madeAt: r.review.madeAt } : {}) } });
  await store.put('reviews', { ...r.review, auditSeq: await store.lastAuditSeq() });
  await store.put('cases', r.caseRow);
  if (r.next.kind === 'decided') {
    if (r.certification) await store.put('certifications', r.certification);
    await store.audit({ kind: 'case.decided', actorId: null, at: r.review.at, subject: caseRow.id, detail: { result: r.next.result, stage: r.next.stage } });
    return { ok: true, value: { decided: true } };
  }
  await offerNext(store, cx, r.caseRow, null);
  return { ok: true, value: { decided: false } };
}

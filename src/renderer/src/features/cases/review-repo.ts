import { concludeAssignment as conclude, type ConcludeRequest } from '../../../../shared/cases/review';
import type { WorkstationDb } from '../../db/db';
import { dexieStore } from '../../db/dexie-store';
import { assignmentTables, commandContext, deskContext, freshSeed, type RepoResult, type ReviewContext } from './assignment-repo';
import { withCommand } from '../../hospital/desk-commands';
import { worksThroughServer } from '../../hospital/desk-session';

export type { ConcludeRequest };

/**
 * Records a reviewer's conclusion in one transaction (shared/cases/review.ts): the review, the
 * completed assignment, the audit entry that seals it, then the next stage's offers or the final
 * result with the certification ready to file. The caller has confirmed the reviewer's password.
 */
export async function concludeAssignment(db: WorkstationDb, ctx: ReviewContext, req: ConcludeRequest, now = new Date(), seed = freshSeed()): Promise<RepoResult<{ decided: boolean }>> {
  if (worksThroughServer()) {
    // The desk records what the reviewer concluded at once; the next stage's draw is the server's.
    const r = await withCommand(
      db,
      [...assignmentTables(db), db.certifications],
      { kind: 'case.conclude', payload: { assignmentId: req.assignmentId, conclusion: req.conclusion, criteriaMet: [...req.criteriaMet] }, userId: req.reviewer.id, now },
      async (ids) => {
        const caseId = (await db.assignments.get(req.assignmentId))?.caseId ?? null;
        const done = await conclude(dexieStore(db), commandContext(ctx, now, ids), req);
        return done.ok ? { ok: true, value: { ...done.value, caseId } } : done;
      },
      (v) => v.caseId,
    );
    return r.ok ? { ok: true, value: { decided: r.value.decided } } : r;
  }
  return db.transaction('rw', [...assignmentTables(db), db.certifications], async () => conclude(dexieStore(db), deskContext(ctx, now, seed), req));
}

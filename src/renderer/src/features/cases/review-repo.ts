import { concludeAssignment as conclude, type ConcludeRequest } from '../../../../shared/cases/review';
import type { WorkstationDb } from '../../db/db';
import { dexieStore } from '../../db/dexie-store';
import { assignmentTables, deskContext, freshSeed, type RepoResult, type ReviewContext } from './assignment-repo';

export type { ConcludeRequest };

/**
 * Records a reviewer's conclusion in one transaction (shared/cases/review.ts): the review, the
 * completed assignment, the audit entry that seals it, then the next stage's offers or the final
 * result with the certification ready to file. The caller has confirmed the reviewer's password.
 */
export function concludeAssignment(db: WorkstationDb, ctx: ReviewContext, req: ConcludeRequest, now = new Date(), seed = freshSeed()): Promise<RepoResult<{ decided: boolean }>> {
  return db.transaction('rw', [...assignmentTables(db), db.certifications], async () => conclude(dexieStore(db), deskContext(ctx, now, seed), req));
}

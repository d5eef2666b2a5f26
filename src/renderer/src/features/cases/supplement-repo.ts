import * as rules from '../../../../shared/cases/supplement';
import type { WorkstationDb } from '../../db/db';
import { dexieStore } from '../../db/dexie-store';
import type { RepoResult, ReviewContext } from './assignment-repo';

/** The tables a pause or resume writes, with its audit entry (shared/cases/supplement.ts). */
const tables = (db: WorkstationDb) => [db.cases, db.workItems, db.audit];

/** The applicant is asked for more materials: the clock stops today (China date). */
export function pauseForSupplement(db: WorkstationDb, caseId: string, actorId: string, now = new Date()): Promise<RepoResult<{ warning: string | null }>> {
  return db.transaction('rw', tables(db), async () => rules.pauseForSupplement(dexieStore(db), { now }, caseId, actorId));
}

/** The materials are complete: the clock restarts and the due day moves by the paused working days. */
export function resumeAfterSupplement(db: WorkstationDb, ctx: ReviewContext, caseId: string, actorId: string, now = new Date()): Promise<RepoResult<{ warning: string | null }>> {
  return db.transaction('rw', tables(db), async () => rules.resumeAfterSupplement(dexieStore(db), { ...ctx, now }, caseId, actorId));
}

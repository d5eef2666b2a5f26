import * as rules from '../../../../shared/cases/assignment';
import type { CaseContext, ReviewContext, RuleResult } from '../../../../shared/cases/context';
import type { Assignment } from '../../../../shared/domain/review';
import type { WorkstationDb } from '../../db/db';
import { dexieStore } from '../../db/dexie-store';

export type { ReviewContext };
export type RepoResult<T = void> = RuleResult<T>;

/** A uint32 seed from the platform CSPRNG: unpredictable to whoever is drawn, recorded for replay. */
export function freshSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!;
}

export const newId = (prefix: string) => `${prefix}-${globalThis.crypto.randomUUID()}`;

/** The rules' context on this desk: the clock, random UUIDs, and the seed(s) for the draws. */
export function deskContext(ctx: ReviewContext, now: Date, seed: number | (() => number)): CaseContext {
  return { ...ctx, now, newId, seed: typeof seed === 'number' ? () => seed : seed };
}

/** The tables an assignment change touches; callers add their own. */
export const assignmentTables = (db: WorkstationDb) => [db.cases, db.workItems, db.assignments, db.reviews, db.physicians, db.audit];

/** Starts or continues a case: offers whatever its next stage needs (shared/cases/assignment.ts). */
export function assignNext(db: WorkstationDb, ctx: ReviewContext, caseId: string, now = new Date(), seed = freshSeed()): Promise<RepoResult<Assignment[]>> {
  return db.transaction('rw', assignmentTables(db), async () => rules.assignNext(dexieStore(db), deskContext(ctx, now, seed), caseId));
}

/** The physician accepts an offer inside its window. */
export function acceptAssignment(db: WorkstationDb, assignmentId: string, actorId: string, now = new Date()): Promise<RepoResult> {
  return db.transaction('rw', assignmentTables(db), async () => rules.acceptAssignment(dexieStore(db), { now }, assignmentId, actorId));
}

/** The physician refuses an offer, with a reason; the case is drawn again. */
export function refuseAssignment(db: WorkstationDb, ctx: ReviewContext, assignmentId: string, actorId: string, reason: string, now = new Date(), seed = freshSeed()): Promise<RepoResult<{ flagged: boolean }>> {
  return db.transaction('rw', assignmentTables(db), async () => rules.refuseAssignment(dexieStore(db), deskContext(ctx, now, seed), assignmentId, actorId, reason));
}

/**
 * Lapses offers whose acceptance window has passed and redraws each (run on a timer), at most
 * `limit` per call so one transaction never holds the worklist's tables for long; a caller that
 * gets `limit` back calls again.
 */
export function sweepLapsedOffers(db: WorkstationDb, ctx: ReviewContext, now = new Date(), seed = freshSeed, limit = 25): Promise<number> {
  return db.transaction('rw', assignmentTables(db), async () => rules.sweepLapsedOffers(dexieStore(db), deskContext(ctx, now, seed), limit));
}

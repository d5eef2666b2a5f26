import * as rules from '../../../../shared/cases/assignment';
import type { CaseContext, ReviewContext, RuleResult } from '../../../../shared/cases/context';
import type { Assignment } from '../../../../shared/domain/review';
import type { WorkstationDb } from '../../db/db';
import { dexieStore } from '../../db/dexie-store';
import { withCommand } from '../../hospital/desk-commands';
import { deskSync, worksThroughServer } from '../../hospital/desk-session';

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

/**
 * What a rule on this desk may decide when the desk works through the hospital server: the
 * effect on its own copy, never a draw or a flag (the server's, when the command reaches it).
 */
export function commandContext(ctx: ReviewContext, now: Date, ids: (prefix: string) => string): CaseContext {
  return { ...ctx, now, newId: ids, seed: freshSeed, authority: 'desk' };
}

/** The case an assignment belongs to (for the command that changes it). */
const caseOf = async (db: WorkstationDb, assignmentId: string) => (await db.assignments.get(assignmentId))?.caseId ?? null;

/** The physician accepts an offer inside its window. */
export async function acceptAssignment(db: WorkstationDb, assignmentId: string, actorId: string, now = new Date()): Promise<RepoResult> {
  if (worksThroughServer()) {
    const r = await withCommand(db, assignmentTables(db), { kind: 'offer.accept', payload: { assignmentId }, userId: actorId, now }, async () => {
      const caseId = await caseOf(db, assignmentId);
      const done = await rules.acceptAssignment(dexieStore(db), { now }, assignmentId, actorId);
      return done.ok ? { ok: true, value: caseId } : done;
    }, (caseId) => caseId);
    return r.ok ? { ok: true, value: undefined } : r;
  }
  return db.transaction('rw', assignmentTables(db), async () => rules.acceptAssignment(dexieStore(db), { now }, assignmentId, actorId));
}

/** The physician refuses an offer, with a reason; the case is drawn again (by the server, when there is one). */
export async function refuseAssignment(db: WorkstationDb, ctx: ReviewContext, assignmentId: string, actorId: string, reason: string, now = new Date(), seed = freshSeed()): Promise<RepoResult<{ flagged: boolean }>> {
  if (worksThroughServer()) {
    const r = await withCommand(db, assignmentTables(db), { kind: 'offer.refuse', payload: { assignmentId, reason }, userId: actorId, now }, async (ids) => {
      const caseId = await caseOf(db, assignmentId);
      const done = await rules.refuseAssignment(dexieStore(db), commandContext(ctx, now, ids), assignmentId, actorId, reason);
      return done.ok ? { ok: true, value: { ...done.value, caseId } } : done;
    }, (v) => v.caseId);
    if (!r.ok) return r;
    // Whether this refusal reached the limit is the server's count: wait for its answer (at once on a link).
    await deskSync()?.sync().catch(() => undefined);
    const answered = (await db.deskCommands.where('caseId').equals(r.value.caseId ?? '').toArray()).filter((c) => c.kind === 'offer.refuse').at(-1);
    const flagged = answered?.state === 'applied' && (answered.value as { flagged?: boolean } | undefined)?.flagged === true;
    return { ok: true, value: { flagged } };
  }
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

import type { CaseRow } from '../../../../shared/domain/case';
import type { Assignment, DrawRecord } from '../../../../shared/domain/review';
import { OFFICE_ASSIGNEE } from '../../../../shared/domain/work-item';
import type { Calendar } from '../../../../shared/policy/calendar';
import type { InstitutionFacts } from '../../../../shared/policy/physician';
import type { PolicyPack } from '../../../../shared/policy/schema';
import { chinaDateOf } from '../../../../shared/time';
import { drawReviewers } from '../../../../shared/review/draw';
import { acceptOffer, declineOffer, makeOffer } from '../../../../shared/review/offers';
import { declinedBy, lapsedOffers, refusalVerdict } from '../../../../shared/review/refusals';
import { nextStep } from '../../../../shared/review/stages';
import { appendAudit } from '../../db/audit';
import type { WorkstationDb } from '../../db/db';

/** What assignment needs besides the database: the active pack, the calendar, this hospital. */
export interface ReviewContext {
  pack: PolicyPack;
  calendar: Calendar;
  institution: InstitutionFacts;
}

export type RepoResult<T = void> = { ok: true; value: T } | { ok: false; message: string };

/** A uint32 seed from the platform CSPRNG: unpredictable to whoever is drawn, recorded for replay. */
export function freshSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!;
}

export const newId = (prefix: string) => `${prefix}-${globalThis.crypto.randomUUID()}`;

/** The tables an assignment change touches; callers add their own. */
export const assignmentTables = (db: WorkstationDb) => [db.cases, db.workItems, db.assignments, db.reviews, db.physicians, db.audit];
const tables = assignmentTables;

/**
 * Offers the case's next stage to whoever the pack's process says: drawn at random among the
 * eligible physicians (excluding all who reviewed, hold or declined it), or the 医保办's queue.
 * Marks the case `unassigned` when nobody eligible is left. Call inside a transaction on `tables`.
 */
export async function offerNext(db: WorkstationDb, ctx: ReviewContext, caseRow: CaseRow, now: Date, seed: number, replaces: string | null): Promise<Assignment[]> {
  const reviews = await db.reviews.where('caseId').equals(caseRow.id).toArray();
  const history = await db.assignments.where('caseId').equals(caseRow.id).toArray();
  const open = history.filter((a) => a.state === 'offered' || a.state === 'accepted');
  const step = nextStep(ctx.pack, reviews, open.map((a) => a.reviewerId));
  if (step.kind !== 'assign' || step.count === 0) return [];
  let draw: DrawRecord;
  if (step.mode === 'office') draw = { mode: 'office', chosen: [OFFICE_ASSIGNEE] };
  else {
    const profiles = await db.physicians.toArray();
    const result = drawReviewers({
      pack: ctx.pack,
      physicians: profiles,
      institution: ctx.institution,
      diseaseCode: caseRow.diseaseCode,
      onDate: chinaDateOf(now),
      count: step.count,
      exclude: [...step.exclude, ...declinedBy(history, step.stage)],
      flagged: profiles.filter((p) => p.flag !== null).map((p) => p.id),
      seed,
    });
    if (!result.ok) {
      await db.cases.put({ ...caseRow, status: 'unassigned', stage: step.stage, stageLabel: step.label, tieBreak: step.tieBreak, updatedAt: now.toISOString() });
      await appendAudit(db, { kind: 'case.unassigned', actorId: null, at: now.toISOString(), subject: caseRow.id, detail: { stage: step.stage, draw: result.record, message: result.message } });
      return [];
    }
    draw = result.record;
  }
  const made = draw.chosen.map((reviewerId) => makeOffer({ pack: ctx.pack, caseRow, stage: step.stage, stageLabel: step.label, tieBreak: step.tieBreak, reviewerId, draw, now, id: newId('asg'), replaces }));
  await db.assignments.bulkPut(made.map((m) => m.assignment));
  await db.workItems.bulkPut(made.map((m) => m.workItem));
  await db.cases.put({ ...caseRow, status: step.mode === 'office' ? 'office-review' : 'in-review', stage: step.stage, stageLabel: step.label, tieBreak: step.tieBreak, updatedAt: now.toISOString() });
  await appendAudit(db, { kind: 'case.assigned', actorId: null, at: now.toISOString(), subject: caseRow.id, detail: { stage: step.stage, tieBreak: step.tieBreak, draw, replaces } });
  return made.map((m) => m.assignment);
}

/** Starts or continues a case: offers whatever its next stage needs. */
export async function assignNext(db: WorkstationDb, ctx: ReviewContext, caseId: string, now = new Date(), seed = freshSeed()): Promise<RepoResult<Assignment[]>> {
  return db.transaction('rw', tables(db), async () => {
    const caseRow = await db.cases.get(caseId);
    if (!caseRow) return { ok: false, message: '案件不存在' };
    return { ok: true, value: await offerNext(db, ctx, caseRow, now, seed, null) };
  });
}

/** The physician accepts an offer inside its window. */
export async function acceptAssignment(db: WorkstationDb, assignmentId: string, actorId: string, now = new Date()): Promise<RepoResult> {
  return db.transaction('rw', tables(db), async () => {
    const a = await db.assignments.get(assignmentId);
    const c = a && (await db.cases.get(a.caseId));
    const item = await db.workItems.get(assignmentId);
    if (!a || !c || !item) return { ok: false, message: '该分配不存在或已被收回' };
    if (a.reviewerId !== actorId) return { ok: false, message: '只能受理分配给本人的案件' };
    const t = acceptOffer(a, c, item.stageLabel, now);
    if (!t.ok) return t;
    await db.assignments.put(t.assignment);
    await db.workItems.put(t.workItem!);
    await appendAudit(db, { kind: 'assignment.accepted', actorId, at: now.toISOString(), subject: c.id, detail: { assignmentId, stage: a.stage } });
    return { ok: true, value: undefined };
  });
}

/**
 * Closes an offer as refused or lapsed, flags the physician at the pack's refusal limit (002:
 * three in a row) and offers the case to another eligible physician.
 */
async function decline(db: WorkstationDb, ctx: ReviewContext, a: Assignment, kind: 'refused' | 'lapsed', now: Date, reason: string | null, seed: number): Promise<RepoResult<{ flagged: boolean }>> {
  const t = declineOffer(a, kind, now, reason);
  if (!t.ok) return t;
  await db.assignments.put(t.assignment);
  await db.workItems.delete(a.id);
  await appendAudit(db, { kind: `assignment.${kind}`, actorId: kind === 'refused' ? a.reviewerId : null, at: now.toISOString(), subject: a.caseId, detail: { assignmentId: a.id, stage: a.stage, reason } });
  const history = await db.assignments.where('[reviewerId+offeredAt]').between([a.reviewerId, ''], [a.reviewerId, '\uffff']).toArray();
  const profile = await db.physicians.get(a.reviewerId);
  const verdict = refusalVerdict(ctx.pack, history, profile?.streakFrom);
  let flagged = false;
  if (verdict.flag && profile && profile.flag === null) {
    flagged = true;
    await db.physicians.put({ ...profile, flag: { kind: 'refusal-limit', at: now.toISOString(), streak: verdict.streak, message: verdict.message }, updatedAt: now.toISOString() });
    await appendAudit(db, { kind: 'physician.flagged', actorId: null, at: now.toISOString(), subject: a.reviewerId, detail: { streak: verdict.streak, limit: verdict.limit } });
  }
  const c = await db.cases.get(a.caseId);
  if (c) await offerNext(db, ctx, c, now, seed, a.id);
  return { ok: true, value: { flagged } };
}

/** The physician refuses an offer, with a reason. */
export async function refuseAssignment(db: WorkstationDb, ctx: ReviewContext, assignmentId: string, actorId: string, reason: string, now = new Date(), seed = freshSeed()): Promise<RepoResult<{ flagged: boolean }>> {
  return db.transaction('rw', tables(db), async () => {
    const a = await db.assignments.get(assignmentId);
    if (!a) return { ok: false, message: '该分配不存在' };
    if (a.reviewerId !== actorId) return { ok: false, message: '只能拒绝分配给本人的案件' };
    return decline(db, ctx, a, 'refused', now, reason, seed);
  });
}

/**
 * Lapses offers whose acceptance window has passed and redraws each (run on a timer), at most
 * `limit` per call so one transaction never holds the worklist's tables for long; a caller that
 * gets `limit` back calls again.
 */
export async function sweepLapsedOffers(db: WorkstationDb, ctx: ReviewContext, now = new Date(), seed = freshSeed, limit = 25): Promise<number> {
  return db.transaction('rw', tables(db), async () => {
    const due = await db.assignments.where('[state+acceptBy]').between(['offered', ''], ['offered', now.toISOString()], true, true).limit(limit).toArray();
    let n = 0;
    for (const a of lapsedOffers(due, now)) {
      const r = await decline(db, ctx, a, 'lapsed', now, null, seed());
      if (r.ok) n += 1;
    }
    return n;
  });
}

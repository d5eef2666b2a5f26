/**
 * Who works a case's stage, over any `Store`: the draw (or the 医保办's queue), accepting an offer,
 * refusing it or letting it lapse, the refusal limit (002: three in a row) and the redraw that
 * follows. The hospital server applies these for real; a desk runs the same code on its copy.
 * Every function runs inside one transaction the caller opened over the case tables.
 */
import type { CaseRow } from '../domain/case';
import type { Assignment, DrawRecord } from '../domain/review';
import { OFFICE_ASSIGNEE } from '../domain/work-item';
import { drawReviewers } from '../review/draw';
import { acceptOffer, declineOffer, makeOffer } from '../review/offers';
import { declinedBy, lapsedOffers, refusalVerdict } from '../review/refusals';
import { nextStep } from '../review/stages';
import type { Store } from '../store/store';
import { chinaDateOf } from '../time';
import type { CaseContext, RuleContext, RuleResult } from './context';

/** Why nobody was drawn when the pack names no stage that needs a reviewer now. */
export const NO_NEXT_STAGE = '政策包没有给出下一审核环节';

/** What offering a case's next stage came to. */
export interface OfferOutcome {
  /** The offers made (one for the 医保办's queue), in draw order. */
  offered: Assignment[];
  /** Why nobody was offered it; null when someone was, or when the server will decide (a desk). */
  unassignedReason: string | null;
  /** True on a desk: the draw is the server's, and its answer will bring the offers. */
  pending?: boolean;
}

/**
 * Offers the case's next stage to whoever the pack's process says: drawn at random among the
 * eligible physicians (excluding all who reviewed, hold or declined it), or the 医保办's queue.
 * Marks the case `unassigned` when nobody eligible is left.
 */
export async function offerNext(store: Store, cx: CaseContext, caseRow: CaseRow, replaces: string | null): Promise<OfferOutcome> {
  const { now } = cx;
  // A desk never draws: the server does, with its own seed, when the command reaches it.
  if (cx.authority === 'desk') return { offered: [], unassignedReason: null, pending: true };
  const [reviews, history] = await Promise.all([store.find('reviews', 'caseId', [caseRow.id]), store.find('assignments', 'caseId', [caseRow.id])]);
  const open = history.filter((a) => a.state === 'offered' || a.state === 'accepted');
  const step = nextStep(cx.pack, reviews, open.map((a) => a.reviewerId));
  if (step.kind !== 'assign' || step.count === 0) return { offered: [], unassignedReason: NO_NEXT_STAGE };
  let draw: DrawRecord;
  if (step.mode === 'office') draw = { mode: 'office', chosen: [OFFICE_ASSIGNEE] };
  else {
    const profiles = await store.all('physicians');
    const result = drawReviewers({
      pack: cx.pack,
      physicians: profiles,
      institution: cx.institution,
      diseaseCode: caseRow.diseaseCode,
      onDate: chinaDateOf(now),
      count: step.count,
      exclude: [...step.exclude, ...declinedBy(history, step.stage)],
      flagged: profiles.filter((p) => p.flag !== null).map((p) => p.id),
      seed: cx.seed(),
    });
    if (!result.ok) {
      await store.put('cases', { ...caseRow, status: 'unassigned', stage: step.stage, stageLabel: step.label, tieBreak: step.tieBreak, updatedAt: now.toISOString() });
      await store.audit({ kind: 'case.unassigned', actorId: null, at: now.toISOString(), subject: caseRow.id, detail: { stage: step.stage, draw: result.record, message: result.message } });
      return { offered: [], unassignedReason: result.message };
    }
    draw = result.record;
  }
  const made = draw.chosen.map((reviewerId) => makeOffer({ pack: cx.pack, caseRow, stage: step.stage, stageLabel: step.label, tieBreak: step.tieBreak, reviewerId, draw, now, id: cx.newId('asg'), replaces }));
  for (const m of made) await store.put('assignments', m.assignment);
  for (const m of made) await store.put('workItems', m.workItem);
  await store.put('cases', { ...caseRow, status: step.mode === 'office' ? 'office-review' : 'in-review', stage: step.stage, stageLabel: step.label, tieBreak: step.tieBreak, updatedAt: now.toISOString() });
  await store.audit({ kind: 'case.assigned', actorId: null, at: now.toISOString(), subject: caseRow.id, detail: { stage: step.stage, tieBreak: step.tieBreak, draw, replaces } });
  return { offered: made.map((m) => m.assignment), unassignedReason: null };
}

/** Starts or continues a case: offers whatever its next stage needs. */
export async function assignNext(store: Store, cx: CaseContext, caseId: string): Promise<RuleResult<Assignment[]>> {
  const caseRow = await store.get('cases', caseId);
  if (!caseRow) return { ok: false, message: '案件不存在' };
  return { ok: true, value: (await offerNext(store, cx, caseRow, null)).offered };
}

/** The physician accepts an offer inside its window. */
export async function acceptAssignment(store: Store, cx: Pick<RuleContext, 'now'>, assignmentId: string, actorId: string): Promise<RuleResult> {
  const { now } = cx;
  const a = await store.get('assignments', assignmentId);
  const c = a && (await store.get('cases', a.caseId));
  const item = await store.get('workItems', assignmentId);
  if (!a || !c || !item) return { ok: false, message: '该分配不存在或已被收回' };
  if (a.reviewerId !== actorId) return { ok: false, message: '只能受理分配给本人的案件' };
  const t = acceptOffer(a, c, item.stageLabel, now);
  if (!t.ok) return t;
  await store.put('assignments', t.assignment);
  await store.put('workItems', t.workItem!);
  await store.audit({ kind: 'assignment.accepted', actorId, at: now.toISOString(), subject: c.id, detail: { assignmentId, stage: a.stage } });
  // An accepted offer ends a run of refusals: the count every desk reads starts again.
  const profile = await store.get('physicians', actorId);
  if (profile?.refusalStreak) await store.put('physicians', { ...profile, refusalStreak: 0, updatedAt: now.toISOString() });
  return { ok: true, value: undefined };
}

/**
 * Closes an offer as refused or lapsed, flags the physician at the pack's refusal limit (002:
 * three in a row) and offers the case to another eligible physician.
 */
async function decline(store: Store, cx: CaseContext, a: Assignment, kind: 'refused' | 'lapsed', reason: string | null): Promise<RuleResult<{ flagged: boolean }>> {
  const { now } = cx;
  const t = declineOffer(a, kind, now, reason);
  if (!t.ok) return t;
  await store.put('assignments', t.assignment);
  await store.delete('workItems', a.id);
  await store.audit({ kind: `assignment.${kind}`, actorId: kind === 'refused' ? a.reviewerId : null, at: now.toISOString(), subject: a.caseId, detail: { assignmentId: a.id, stage: a.stage, reason } });
  const history = await store.find('assignments', 'reviewerId', [a.reviewerId]);
  const profile = await store.get('physicians', a.reviewerId);
  const verdict = refusalVerdict(cx.pack, history, profile?.streakFrom);
  let flagged = false;
  // The refusal limit is counted on the server, over every desk's refusals and lapses.
  if (cx.authority !== 'desk' && verdict.flag && profile && profile.flag === null) {
    flagged = true;
    await store.put('physicians', { ...profile, refusalStreak: verdict.streak, flag: { kind: 'refusal-limit', at: now.toISOString(), streak: verdict.streak, message: verdict.message }, updatedAt: now.toISOString() });
    await store.audit({ kind: 'physician.flagged', actorId: null, at: now.toISOString(), subject: a.reviewerId, detail: { streak: verdict.streak, limit: verdict.limit } });
  } else if (cx.authority !== 'desk' && profile && profile.refusalStreak !== verdict.streak) {
    await store.put('physicians', { ...profile, refusalStreak: verdict.streak, updatedAt: now.toISOString() });
  }
  const c = await store.get('cases', a.caseId);
  if (c) await offerNext(store, cx, c, a.id);
  return { ok: true, value: { flagged } };
}

/** The physician refuses an offer, with a reason. */
export async function refuseAssignment(store: Store, cx: CaseContext, assignmentId: string, actorId: string, reason: string): Promise<RuleResult<{ flagged: boolean }>> {
  const a = await store.get('assignments', assignmentId);
  if (!a) return { ok: false, message: '该分配不存在' };
  if (a.reviewerId !== actorId) return { ok: false, message: '只能拒绝分配给本人的案件' };
  return decline(store, cx, a, 'refused', reason);
}

/**
 * Lapses offers whose acceptance window has passed at `cx.now` and redraws each, at most `limit`
 * per call so one transaction never holds the worklist's tables for long; a caller that gets
 * `limit` back calls again. Answers how many lapsed.
 */
export async function sweepLapsedOffers(store: Store, cx: CaseContext, limit: number): Promise<number> {
  const due = await store.offersDue(cx.now, limit);
  let n = 0;
  for (const a of lapsedOffers(due, cx.now)) {
    const r = await decline(store, cx, a, 'lapsed', null);
    if (r.ok) n += 1;
  }
  return n;
}

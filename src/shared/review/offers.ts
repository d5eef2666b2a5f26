/**
 * An assignment's life as pure transitions: offered → accepted → completed, or offered →
 * refused / lapsed (then redrawn). Each returns the new assignment row and what the worklist
 * row becomes (null: it leaves the worklist).
 */
import type { CaseRow } from '../domain/case';
import type { Assignment, DrawRecord } from '../domain/review';
import { OFFICE_ASSIGNEE, type WorkItem } from '../domain/work-item';
import type { PolicyPack } from '../policy/schema';
import { acceptByFor, deadlineAtFor } from './deadlines';

export interface OfferInput {
  pack: PolicyPack;
  caseRow: CaseRow;
  stage: string;
  stageLabel: string;
  tieBreak: boolean;
  reviewerId: string;
  draw: DrawRecord;
  now: Date;
  id: string;
  replaces?: string | null;
}

export type Transition = { ok: true; assignment: Assignment; workItem: WorkItem | null } | { ok: false; message: string };

function workItemFor(a: Assignment, c: CaseRow, stageLabel: string): WorkItem {
  const state = a.state === 'offered' ? 'offered' : 'accepted';
  return {
    id: a.id,
    caseId: c.id,
    personId: c.personId,
    assigneeId: a.reviewerId,
    stage: a.stage,
    stageLabel,
    tieBreak: a.tieBreak,
    state,
    personName: c.personName,
    certNo: c.certNo,
    psnNo: c.psnNo,
    diseaseCode: c.diseaseCode,
    diseaseName: c.diseaseName,
    caseKind: c.kind,
    offeredAt: a.offeredAt,
    acceptBy: state === 'offered' ? a.acceptBy : null,
    receivedOn: c.receivedOn,
    dueOn: c.dueOn,
    dueAwaits: c.dueAwaits ?? null,
    dueProvisional: c.dueProvisional ?? false,
    paused: c.paused,
    deadlineAt: deadlineAtFor({ state, acceptBy: a.acceptBy, dueAt: c.deadlineAt }),
  };
}

/**
 * Offers a stage of a case to one reviewer. The 医保办's queue needs no acceptance: its item
 * starts accepted. Physicians get the pack's acceptance window (none in a chain without one).
 */
export function makeOffer(input: OfferInput): { assignment: Assignment; workItem: WorkItem } {
  const at = input.now.toISOString();
  const office = input.reviewerId === OFFICE_ASSIGNEE;
  const assignment: Assignment = {
    id: input.id,
    caseId: input.caseRow.id,
    stage: input.stage,
    tieBreak: input.tieBreak,
    reviewerId: input.reviewerId,
    draw: input.draw,
    offeredAt: at,
    acceptBy: office ? null : acceptByFor(input.pack, at),
    state: office ? 'accepted' : 'offered',
    acceptedAt: office ? at : null,
    closedAt: null,
    refusalReason: null,
    replaces: input.replaces ?? null,
  };
  return { assignment, workItem: workItemFor(assignment, input.caseRow, input.stageLabel) };
}

/** The physician accepts within the window; after it the offer has lapsed and cannot be taken. */
export function acceptOffer(a: Assignment, c: CaseRow, stageLabel: string, now: Date): Transition {
  if (a.state !== 'offered') return { ok: false, message: '该分配已不在待受理状态' };
  if (a.acceptBy !== null && Date.parse(a.acceptBy) <= now.getTime()) return { ok: false, message: '已超过受理时限，案件将重新分配' };
  const assignment: Assignment = { ...a, state: 'accepted', acceptedAt: now.toISOString() };
  return { ok: true, assignment, workItem: workItemFor(assignment, c, stageLabel) };
}

/** Refused (with a reason) or lapsed: the offer closes and leaves the worklist. */
export function declineOffer(a: Assignment, kind: 'refused' | 'lapsed', now: Date, reason: string | null = null): Transition {
  if (a.state !== 'offered') return { ok: false, message: '该分配已不在待受理状态' };
  if (kind === 'refused' && !reason?.trim()) return { ok: false, message: '请填写拒绝受理的理由' };
  const closedAt = kind === 'lapsed' && a.acceptBy ? a.acceptBy : now.toISOString();
  return { ok: true, assignment: { ...a, state: kind, closedAt, refusalReason: kind === 'refused' ? reason!.trim() : null }, workItem: null };
}

/** The reviewer concluded: the assignment completes and leaves the worklist. */
export function completeAssignment(a: Assignment, now: Date): Transition {
  if (a.state !== 'accepted') return { ok: false, message: '须先受理才能作出结论' };
  return { ok: true, assignment: { ...a, state: 'completed', closedAt: now.toISOString() }, workItem: null };
}

/** A work item refreshed from its case (due date moved by a pause, psn_no learned). */
export function refreshWorkItem(item: WorkItem, c: CaseRow): WorkItem {
  const next = { ...item, personName: c.personName, certNo: c.certNo, psnNo: c.psnNo, dueOn: c.dueOn, dueAwaits: c.dueAwaits ?? null, dueProvisional: c.dueProvisional ?? false, paused: c.paused };
  return { ...next, deadlineAt: deadlineAtFor({ state: next.state, acceptBy: next.acceptBy, dueAt: c.deadlineAt }) };
}

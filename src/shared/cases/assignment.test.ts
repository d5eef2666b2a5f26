import { describe, expect, it } from 'vitest';
import { memoryStore, sequentialIds, type MemoryStore } from '../../../test/fixtures/memory-store';
import { cal, chainPack, institution, physician, randomPack } from '../../../test/fixtures/review-packs';
import { caseRow } from '../../../test/fixtures/review-rows';
import { verifyChain } from '../audit/chain';
import type { CaseRow } from '../domain/case';
import { physicianProfileSchema, type PhysicianProfile } from '../domain/physician';
import type { Assignment } from '../domain/review';
import { verifyDraw } from '../review/draw';
import { acceptAssignment, assignNext, offerNext, refuseAssignment, sweepLapsedOffers } from './assignment';
import type { CaseContext } from './context';

// Fixed instants (Friday 20 June 2025, 10:00 in China): nothing here reads the machine's clock or zone.
const T0 = new Date('2025-06-20T02:00:00.000Z');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);
const profile = (id: string, over: Partial<PhysicianProfile> = {}): PhysicianProfile => physicianProfileSchema.parse({ ...physician(id), flag: null, updatedAt: T0.toISOString(), ...over });
const caseOf = (id: string): CaseRow => ({ ...caseRow, id, personId: `p-${id}`, receivedOn: '2025-06-20', dueOn: '2025-07-18', deadlineAt: '2025-07-18T15:59:59.999Z', submittedAt: T0.toISOString(), updatedAt: T0.toISOString() });

const newId = sequentialIds();
/** The Kaifeng pack (002: one random 初审 expert, 48 h to accept, three refusals in a row) at `now`, drawing with `seed`. */
const kaifeng = (now: Date, seed = 1): CaseContext => ({ pack: randomPack, calendar: cal, institution, now, newId, seed: () => seed });

function kaifengStore(physicians = ['d1', 'd2', 'd3', 'd4', 'd5'], cases = ['c1']): MemoryStore {
  return memoryStore({ physicians: physicians.map((id) => profile(id)), cases: cases.map(caseOf) });
}
const openOffers = (store: MemoryStore, caseId?: string) => store.rows('assignments').filter((a) => a.state === 'offered' && (!caseId || a.caseId === caseId));

describe('offerNext and assignNext (002 Kaifeng)', () => {
  it('offers 初审 to one random expert, with a replayable draw, a work item and the audit entry', async () => {
    const store = kaifengStore();
    const r = await assignNext(store, kaifeng(T0, 777), 'c1');
    if (!r.ok) throw new Error(r.message);
    const [a] = r.value;
    expect(a!.draw).toMatchObject({ mode: 'random', seed: 777, candidates: ['d1', 'd2', 'd3', 'd4', 'd5'] });
    expect(a!.draw.mode === 'random' && verifyDraw(a!.draw)).toBe(true);
    expect(await store.get('workItems', a!.id)).toMatchObject({ state: 'offered', assigneeId: a!.reviewerId, stage: 'first', acceptBy: hours(48).toISOString() });
    expect(await store.get('cases', 'c1')).toMatchObject({ status: 'in-review', stage: 'first', stageLabel: '初审' });
    expect(store.auditKinds()).toEqual(['case.assigned']);
    expect(verifyChain(store.auditLog).ok).toBe(true);
  });

  it('answers why nobody was drawn and marks the case unassigned', async () => {
    const store = kaifengStore([]);
    const c = (await store.get('cases', 'c1'))!;
    expect(await offerNext(store, kaifeng(T0), c, null)).toEqual({ offered: [], unassignedReason: '符合条件的认定医师不足：需要 1 名，仅有 0 名' });
    expect(await store.get('cases', 'c1')).toMatchObject({ status: 'unassigned', stage: 'first' });
    expect(store.auditKinds()).toEqual(['case.unassigned']);
    expect(await assignNext(store, kaifeng(T0), 'nope')).toEqual({ ok: false, message: '案件不存在' });
  });

  it('000 (Jilin): a physician without an acceptance window first; the 医保办 queue needs no acceptance', async () => {
    const store = kaifengStore(['d1']);
    const r = await assignNext(store, { ...kaifeng(T0), pack: chainPack }, 'c1');
    expect(r.ok && r.value).toMatchObject([{ reviewerId: 'd1', stage: 'initial', acceptBy: null, state: 'offered' }]);
  });
});

describe('acceptAssignment', () => {
  it('only the assignee, only inside the window', async () => {
    const store = kaifengStore();
    const [a] = (await assignNext(store, kaifeng(T0), 'c1')).ok ? store.rows('assignments') : [];
    expect(await acceptAssignment(store, { now: T0 }, a!.id, 'someone-else')).toEqual({ ok: false, message: '只能受理分配给本人的案件' });
    expect(await acceptAssignment(store, { now: hours(48) }, a!.id, a!.reviewerId)).toEqual({ ok: false, message: '已超过受理时限，案件将重新分配' });
    expect(await acceptAssignment(store, { now: T0 }, 'nope', a!.reviewerId)).toEqual({ ok: false, message: '该分配不存在或已被收回' });
    expect(await acceptAssignment(store, { now: hours(1) }, a!.id, a!.reviewerId)).toEqual({ ok: true, value: undefined });
    expect(await store.get('assignments', a!.id)).toMatchObject({ state: 'accepted', acceptedAt: hours(1).toISOString() });
    expect(await store.get('workItems', a!.id)).toMatchObject({ state: 'accepted', acceptBy: null, deadlineAt: '2025-07-18T15:59:59.999Z' });
    expect(store.auditKinds()).toEqual(['case.assigned', 'assignment.accepted']);
    expect(await acceptAssignment(store, { now: hours(2) }, a!.id, a!.reviewerId)).toEqual({ ok: false, message: '该分配已不在待受理状态' });
  });
});

describe('refuseAssignment (002: to another expert; three in a row and they are flagged)', () => {
  it('needs a reason, closes the offer and redraws among the others', async () => {
    const store = kaifengStore();
    await assignNext(store, kaifeng(T0), 'c1');
    const [a] = store.rows('assignments');
    expect(await refuseAssignment(store, kaifeng(hours(1), 2), a!.id, 'someone-else', '有事')).toEqual({ ok: false, message: '只能拒绝分配给本人的案件' });
    expect(await refuseAssignment(store, kaifeng(hours(1), 2), a!.id, a!.reviewerId, ' ')).toEqual({ ok: false, message: '请填写拒绝受理的理由' });
    expect(await refuseAssignment(store, kaifeng(hours(1), 2), a!.id, a!.reviewerId, '近期外出进修')).toEqual({ ok: true, value: { flagged: false } });
    expect(await store.get('assignments', a!.id)).toMatchObject({ state: 'refused', refusalReason: '近期外出进修', closedAt: hours(1).toISOString() });
    expect(await store.get('workItems', a!.id)).toBeUndefined();
    const [next] = openOffers(store);
    expect(next).toMatchObject({ caseId: 'c1', replaces: a!.id, draw: { seed: 2, excluded: [a!.reviewerId] } });
    expect(next!.reviewerId).not.toBe(a!.reviewerId);
    expect(await store.get('workItems', next!.id)).toMatchObject({ state: 'offered', assigneeId: next!.reviewerId });
    expect(store.auditKinds()).toEqual(['case.assigned', 'assignment.refused', 'case.assigned']);
    expect(store.auditLog[1]).toMatchObject({ actorId: a!.reviewerId, detail: { assignmentId: a!.id, reason: '近期外出进修' } });
  });

  it('flags the physician at the third refusal in a row; a flagged physician is no longer drawn', async () => {
    const store = kaifengStore(['d1', 'd2', 'd3'], ['c1', 'c2', 'c3', 'c4']);
    for (const [i, caseId] of ['c1', 'c2', 'c3'].entries()) {
      const t = hours(i);
      const offer: Assignment = { id: `x${i}`, caseId, stage: 'first', tieBreak: false, reviewerId: 'd1', draw: { mode: 'direct', by: 'test', chosen: ['d1'] }, offeredAt: t.toISOString(), acceptBy: hours(i + 48).toISOString(), state: 'offered', acceptedAt: null, closedAt: null, refusalReason: null, replaces: null };
      await store.put('assignments', offer);
      expect(await refuseAssignment(store, kaifeng(t, 10 + i), offer.id, 'd1', '工作安排冲突')).toEqual({ ok: true, value: { flagged: i === 2 } });
    }
    expect(await store.get('physicians', 'd1')).toMatchObject({ flag: { kind: 'refusal-limit', streak: 3, at: hours(2).toISOString() } });
    expect(store.auditKinds().filter((k) => k === 'physician.flagged')).toHaveLength(1);
    const r = await assignNext(store, kaifeng(hours(3), 5), 'c4');
    expect(r.ok && r.value[0]!.draw).toMatchObject({ candidates: ['d2', 'd3'], ineligible: [{ id: 'd1', codes: ['refusal-limit'] }] });
  });
});

describe('sweepLapsedOffers (002: not accepted within 48 hours, the case goes to another expert)', () => {
  it('lapses offers whose window closed, when it closed, and redraws each', async () => {
    const store = kaifengStore(['d1', 'd2', 'd3', 'd4', 'd5'], ['c1', 'c2']);
    await assignNext(store, kaifeng(T0, 1), 'c1');
    await assignNext(store, kaifeng(hours(2), 2), 'c2');
    const before = store.rows('assignments');
    expect(await sweepLapsedOffers(store, kaifeng(hours(47)), 25)).toBe(0);
    expect(await sweepLapsedOffers(store, kaifeng(hours(49), 3), 25)).toBe(1);
    const first = before.find((a) => a.caseId === 'c1')!;
    expect(await store.get('assignments', first.id)).toMatchObject({ state: 'lapsed', closedAt: first.acceptBy });
    const [redrawn] = openOffers(store, 'c1');
    expect(redrawn).toMatchObject({ replaces: first.id, offeredAt: hours(49).toISOString(), acceptBy: hours(97).toISOString() });
    expect(redrawn!.reviewerId).not.toBe(first.reviewerId);
    expect(store.auditLog.find((e) => e.kind === 'assignment.lapsed')).toMatchObject({ actorId: null, subject: 'c1' });
    // The second case's window closes two hours later.
    expect(await sweepLapsedOffers(store, kaifeng(hours(51), 4), 25)).toBe(1);
    expect(openOffers(store)).toHaveLength(2);
    expect(store.rows('workItems').map((w) => w.id).sort()).toEqual(openOffers(store).map((a) => a.id).sort());
  });

  it('takes at most `limit` offers a call, earliest window first', async () => {
    const store = kaifengStore(['d1', 'd2', 'd3', 'd4', 'd5'], ['c1', 'c2', 'c3']);
    for (const [i, id] of ['c3', 'c1', 'c2'].entries()) await assignNext(store, kaifeng(hours(i), 1), id);
    const after = hours(60);
    expect(await sweepLapsedOffers(store, kaifeng(after, 3), 2)).toBe(2);
    expect(store.rows('assignments').filter((a) => a.state === 'lapsed').map((a) => a.caseId).sort()).toEqual(['c1', 'c3']);
    expect(await sweepLapsedOffers(store, kaifeng(after, 3), 2)).toBe(1);
    expect(await sweepLapsedOffers(store, kaifeng(after, 3), 2)).toBe(0);
  });

  it('leaves the case unassigned, with the reason, when nobody eligible is left', async () => {
    const store = kaifengStore(['d1']);
    await assignNext(store, kaifeng(T0), 'c1');
    expect(await sweepLapsedOffers(store, kaifeng(hours(49)), 25)).toBe(1);
    expect(await store.get('cases', 'c1')).toMatchObject({ status: 'unassigned' });
    expect(store.auditLog.at(-1)).toMatchObject({ kind: 'case.unassigned', detail: { message: '符合条件的认定医师不足：需要 1 名，仅有 0 名' } });
  });
});

import { describe, expect, it } from 'vitest';
import { memoryStore, sequentialIds, type MemoryStore } from '../../../test/fixtures/memory-store';
import { cal, chainPack, institution, physician, randomPack } from '../../../test/fixtures/review-packs';
import { caseRow } from '../../../test/fixtures/review-rows';
import { verifyChain } from '../audit/chain';
import { physicianProfileSchema } from '../domain/physician';
import type { Assignment, Conclusion } from '../domain/review';
import type { PolicyPack } from '../policy/schema';
import { acceptAssignment, assignNext } from './assignment';
import type { CaseContext } from './context';
import { concludeAssignment } from './review';

// Friday 20 June 2025, 10:00 in China; each step a minute later.
const T0 = new Date('2025-06-20T02:00:00.000Z');
const c1 = { ...caseRow, psnNo: '', receivedOn: '2025-06-20', dueOn: '2025-07-18', deadlineAt: '2025-07-18T15:59:59.999Z', submittedAt: T0.toISOString(), updatedAt: T0.toISOString() };
const approve: Conclusion = { verdict: 'approve' };
const reject: Conclusion = { verdict: 'reject', reason: '未见靶器官损害证据' };

/** A store with five eligible physicians and the case, and a clock that moves a minute per step. */
function setup(pack: PolicyPack) {
  const store = memoryStore({ physicians: ['d1', 'd2', 'd3', 'd4', 'd5'].map((id) => physicianProfileSchema.parse({ ...physician(id), flag: null, updatedAt: T0.toISOString() })), cases: [c1] });
  const newId = sequentialIds();
  let minute = 0;
  const cx = (): CaseContext => ({ pack, calendar: cal, institution, now: new Date(T0.getTime() + ++minute * 60_000), newId, seed: () => 100 + minute });
  return { store, cx };
}

/** Every open offer of the case accepted and concluded with the given verdicts, in order; answers the offers. */
async function decideOpen(store: MemoryStore, cx: () => CaseContext, ...verdicts: Conclusion[]): Promise<Assignment[]> {
  const open = (await store.find('assignments', 'caseId', ['c1'])).filter((a) => a.state === 'offered' || a.state === 'accepted').sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(open).toHaveLength(verdicts.length);
  for (const [i, a] of open.entries()) {
    if (a.state === 'offered') expect(await acceptAssignment(store, cx(), a.id, a.reviewerId)).toEqual({ ok: true, value: undefined });
    const reviewer = a.reviewerId === 'office' ? { id: 'clerk1', name: '医保办演示', role: 'office' } : { id: a.reviewerId, name: a.reviewerId, role: 'physician' };
    expect(await concludeAssignment(store, cx(), { assignmentId: a.id, reviewer, conclusion: verdicts[i]!, criteriaMet: [] })).toMatchObject({ ok: true });
  }
  return open;
}

describe('concludeAssignment (002 Kaifeng)', () => {
  it('初审 → two 终审 who disagree → a third expert decides; the certification is ready; each review is sealed in the audit chain', async () => {
    const { store, cx } = setup(randomPack);
    await assignNext(store, cx(), 'c1');
    const [first] = await decideOpen(store, cx, approve);
    expect(await store.get('cases', 'c1')).toMatchObject({ status: 'in-review', stage: 'final', tieBreak: false });
    const finals = await decideOpen(store, cx, approve, reject);
    expect(finals.map((a) => a.reviewerId)).not.toContain(first!.reviewerId);
    expect(await store.get('cases', 'c1')).toMatchObject({ status: 'in-review', stage: 'final', tieBreak: true, stageLabel: '终审（第三名专家）' });
    const [third] = await decideOpen(store, cx, approve);
    expect([first!.reviewerId, ...finals.map((a) => a.reviewerId)]).not.toContain(third!.reviewerId);

    expect(await store.get('cases', 'c1')).toMatchObject({ status: 'decided', result: 'approved', stage: null });
    expect(await store.get('certifications', 'cert-c1')).toMatchObject({ state: 'ready', physicianId: first!.reviewerId, certifiedOn: '2025-06-20' });
    expect(store.rows('workItems')).toEqual([]);
    const reviews = store.rows('reviews');
    expect(reviews).toHaveLength(4);
    for (const r of reviews) expect(store.auditLog[r.auditSeq! - 1]).toMatchObject({ kind: 'review.concluded', detail: { reviewId: r.id } });
    expect(store.auditKinds().at(-1)).toBe('case.decided');
    expect(verifyChain(store.auditLog).ok).toBe(true);
  });

  it('refuses what the rules refuse, writing nothing; materials missing closes the case without a certification', async () => {
    const { store, cx } = setup(randomPack);
    await assignNext(store, cx(), 'c1');
    const [a] = store.rows('assignments');
    const base = { assignmentId: a!.id, reviewer: { id: a!.reviewerId, name: 'x' }, criteriaMet: [] };
    expect(await concludeAssignment(store, cx(), { ...base, conclusion: approve })).toEqual({ ok: false, message: '须先受理才能作出结论' });
    await acceptAssignment(store, cx(), a!.id, a!.reviewerId);
    const audit = store.auditLog.length;
    expect(await concludeAssignment(store, cx(), { ...base, conclusion: { verdict: 'reject', reason: ' ' } })).toEqual({ ok: false, message: '请填写不符合的理由' });
    expect(await concludeAssignment(store, cx(), { ...base, conclusion: { verdict: 'materials-missing', missingItems: ['nope'] } })).toEqual({ ok: false, message: '未知的材料项目：nope' });
    expect(await concludeAssignment(store, cx(), { ...base, reviewer: { id: 'd9', name: 'y' }, conclusion: approve })).toEqual({ ok: false, message: '只能对分配给本人的案件作出结论' });
    expect(await concludeAssignment(store, cx(), { ...base, assignmentId: 'nope', conclusion: approve })).toEqual({ ok: false, message: '该分配不存在' });
    expect(store.auditLog).toHaveLength(audit);
    expect(store.rows('reviews')).toEqual([]);

    expect(await concludeAssignment(store, cx(), { ...base, conclusion: { verdict: 'materials-missing', missingItems: ['medical-record'] } })).toEqual({ ok: true, value: { decided: true } });
    expect(await store.get('cases', 'c1')).toMatchObject({ status: 'decided', result: 'materials-missing' });
    expect(store.rows('certifications')).toEqual([]);
  });
});

describe('concludeAssignment (000 Jilin)', () => {
  it('the physician approves → the 医保办 re-checks in its queue → closed, the physician certifying', async () => {
    const { store, cx } = setup(chainPack);
    await assignNext(store, cx(), 'c1');
    const [doctor] = await decideOpen(store, cx, approve);
    expect(await store.get('cases', 'c1')).toMatchObject({ status: 'office-review', stage: 'recheck' });
    const [office] = (await store.find('assignments', 'caseId', ['c1'])).filter((a) => a.state === 'accepted');
    expect(office).toMatchObject({ reviewerId: 'office', acceptBy: null, draw: { mode: 'office' } });
    expect(await concludeAssignment(store, cx(), { assignmentId: office!.id, reviewer: { id: doctor!.reviewerId, name: 'x', role: 'physician' }, conclusion: approve, criteriaMet: [] })).toEqual({ ok: false, message: '院内复核须由医保办人员作出' });
    await decideOpen(store, cx, approve);
    expect(await store.get('cases', 'c1')).toMatchObject({ status: 'decided', result: 'approved' });
    expect(await store.get('certifications', 'cert-c1')).toMatchObject({ physicianId: doctor!.reviewerId });
    expect(store.rows('reviews').map((r) => r.reviewerId)).toContain('clerk1');
  });
});

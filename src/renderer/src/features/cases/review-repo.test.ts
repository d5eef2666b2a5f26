import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { cal, chainPack, DIABETES, institution, physician, randomPack } from '../../../../../test/fixtures/review-packs';
import type { CaseRow } from '../../../../shared/domain/case';
import { physicianProfileSchema } from '../../../../shared/domain/physician';
import type { Conclusion } from '../../../../shared/domain/review';
import { verifyAudit } from '../../db/audit';
import { withFreshDb } from '../../../../../test/fixtures/fresh-db';
import type { WorkstationDb } from '../../db/db';
import { acceptAssignment, assignNext, type ReviewContext } from './assignment-repo';
import { concludeAssignment } from './review-repo';
import { pauseForSupplement, resumeAfterSupplement } from './supplement-repo';

let db: WorkstationDb;
withFreshDb('review-test', (fresh) => (db = fresh));
beforeEach(async () => {
  await db.physicians.bulkPut(['d1', 'd2', 'd3', 'd4', 'd5'].map((id) => physicianProfileSchema.parse({ ...physician(id), flag: null, updatedAt: T0.toISOString() })));
  await db.cases.put(caseRow);
});

const T0 = new Date('2025-06-20T02:00:00.000Z');
let minute = 0;
const later = () => new Date(T0.getTime() + ++minute * 60_000);
const caseRow: CaseRow = {
  id: 'c1', personId: 'p1', personName: '林演示', certNo: '140105199001011234', psnNo: '', insutype: '310', regionCode: '140105',
  diseaseCode: DIABETES, diseaseName: '糖尿病', kind: 'first', channel: 'assisted', submittedAt: T0.toISOString(), receivedOn: '2025-06-20',
  status: 'in-review', stage: null, stageLabel: '', tieBreak: false, dueOn: '2025-07-18', dueAwaits: null, dueProvisional: false, deadlineAt: '2025-07-18T15:59:59.999Z', paused: [],
  result: null, decidedAt: null, updatedAt: T0.toISOString(),
};

/** Every open offer of the case accepted and concluded with the given verdicts, in order. */
async function decideOpen(ctx: ReviewContext, ...verdicts: Conclusion[]) {
  const open = await db.assignments.where('caseId').equals('c1').filter((a) => a.state === 'offered' || a.state === 'accepted').toArray();
  expect(open).toHaveLength(verdicts.length);
  for (const [i, a] of open.entries()) {
    if (a.state === 'offered') expect(await acceptAssignment(db, a.id, a.reviewerId, later())).toMatchObject({ ok: true });
    const reviewer = a.reviewerId === 'office' ? { id: 'clerk1', name: '医保办演示', role: 'office' } : { id: a.reviewerId, name: a.reviewerId, role: 'physician' };
    const r = await concludeAssignment(db, ctx, { assignmentId: a.id, reviewer, conclusion: verdicts[i]!, criteriaMet: [] }, later(), 100 + minute);
    expect(r).toMatchObject({ ok: true });
  }
  return open;
}

const approve: Conclusion = { verdict: 'approve' };
const reject: Conclusion = { verdict: 'reject', reason: '未见靶器官损害证据' };

describe('concluding (002 Kaifeng)', () => {
  const ctx: ReviewContext = { pack: randomPack, calendar: cal, institution };

  it('初审 approves → two 终审 disagree → 第三名专家 decides; the certification is ready and the audit chain holds', async () => {
    await assignNext(db, ctx, 'c1', T0, 1);
    const [first] = await decideOpen(ctx, approve);
    const finals = await decideOpen(ctx, approve, reject);
    expect(finals.map((a) => a.reviewerId)).not.toContain(first!.reviewerId);
    expect(await db.cases.get('c1')).toMatchObject({ status: 'in-review', stage: 'final', tieBreak: true, stageLabel: '终审（第三名专家）' });
    const [third] = await decideOpen(ctx, approve);
    expect([first!.reviewerId, ...finals.map((a) => a.reviewerId)]).not.toContain(third!.reviewerId);
    expect(await db.cases.get('c1')).toMatchObject({ status: 'decided', result: 'approved', stage: null });
    expect(await db.certifications.get('cert-c1')).toMatchObject({ state: 'ready', physicianId: first!.reviewerId, certifiedOn: '2025-06-20' });
    expect(await db.workItems.count()).toBe(0);
    const reviews = await db.reviews.where('caseId').equals('c1').toArray();
    expect(reviews).toHaveLength(4);
    expect(reviews.every((r) => r.auditSeq !== null)).toBe(true);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('a rejection needs a reason; materials missing needs items from the pack; only the assignee concludes', async () => {
    await assignNext(db, ctx, 'c1', T0, 1);
    const [a] = await db.assignments.toArray();
    await acceptAssignment(db, a!.id, a!.reviewerId, later());
    const base = { assignmentId: a!.id, reviewer: { id: a!.reviewerId, name: 'x' }, criteriaMet: [] };
    expect(await concludeAssignment(db, ctx, { ...base, conclusion: { verdict: 'reject', reason: ' ' } })).toEqual({ ok: false, message: '请填写不符合的理由' });
    expect(await concludeAssignment(db, ctx, { ...base, conclusion: { verdict: 'materials-missing', missingItems: ['nope'] } })).toEqual({ ok: false, message: '未知的材料项目：nope' });
    expect(await concludeAssignment(db, ctx, { ...base, reviewer: { id: 'd9', name: 'y' }, conclusion: approve })).toMatchObject({ ok: false });
    expect(await concludeAssignment(db, ctx, { ...base, conclusion: { verdict: 'materials-missing', missingItems: ['medical-record'] } }, later())).toEqual({ ok: true, value: { decided: true } });
    expect(await db.cases.get('c1')).toMatchObject({ status: 'decided', result: 'materials-missing' });
    expect(await db.certifications.count()).toBe(0);
  });

  it('an offer must be accepted before concluding', async () => {
    await assignNext(db, ctx, 'c1', T0, 1);
    const [a] = await db.assignments.toArray();
    expect(await concludeAssignment(db, ctx, { assignmentId: a!.id, reviewer: { id: a!.reviewerId, name: 'x' }, conclusion: approve, criteriaMet: [] })).toEqual({ ok: false, message: '须先受理才能作出结论' });
  });
});

describe('concluding (000 Jilin)', () => {
  it('the physician approves, the 医保办 re-checks, the certifying physician is the physician', async () => {
    const ctx: ReviewContext = { pack: chainPack, calendar: cal, institution };
    await assignNext(db, ctx, 'c1', T0, 1);
    const [doctor] = await decideOpen(ctx, approve);
    expect(await db.cases.get('c1')).toMatchObject({ status: 'office-review', stage: 'recheck' });
    const [office] = await db.assignments.where('caseId').equals('c1').filter((a) => a.state === 'accepted').toArray();
    expect(await concludeAssignment(db, ctx, { assignmentId: office!.id, reviewer: { id: doctor!.reviewerId, name: 'x', role: 'physician' }, conclusion: approve, criteriaMet: [] })).toEqual({ ok: false, message: '院内复核须由医保办人员作出' });
    await decideOpen(ctx, approve);
    expect(await db.cases.get('c1')).toMatchObject({ status: 'decided', result: 'approved' });
    const cert = await db.certifications.get('cert-c1');
    expect(cert).toMatchObject({ physicianId: doctor!.reviewerId });
    expect((await db.reviews.toArray()).map((r) => r.reviewerId)).toContain('clerk1');
  });
});

describe('supplement time in the database', () => {
  it('pausing hides the due day of the case and its work items; resuming moves it by the paused working days', async () => {
    const ctx: ReviewContext = { pack: randomPack, calendar: cal, institution };
    await assignNext(db, ctx, 'c1', T0, 1);
    const [a] = await db.assignments.toArray();
    await acceptAssignment(db, a!.id, a!.reviewerId, later());
    expect(await pauseForSupplement(db, 'c1', 'clerk1', new Date('2025-06-23T02:00:00.000Z'))).toEqual({ ok: true, value: { warning: null } });
    expect(await db.workItems.get(a!.id)).toMatchObject({ dueOn: null, dueAwaits: null, dueProvisional: false, deadlineAt: '9999-12-31T23:59:59.999Z' });
    expect(await resumeAfterSupplement(db, ctx, 'c1', 'clerk1', new Date('2025-06-27T02:00:00.000Z'))).toMatchObject({ ok: true });
    // Received Fri 20 June → due Fri 18 July; Mon 23 – Fri 27 June paused → Fri 25 July.
    expect(await db.cases.get('c1')).toMatchObject({ status: 'in-review', dueOn: '2025-07-25' });
    expect(await db.workItems.get(a!.id)).toMatchObject({ dueOn: '2025-07-25', dueAwaits: null, dueProvisional: false, deadlineAt: '2025-07-25T15:59:59.999Z' });
    expect((await db.audit.toArray()).map((e) => e.kind)).toEqual(expect.arrayContaining(['case.supplement-started', 'case.supplement-ended']));
  });
});

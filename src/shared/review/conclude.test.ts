import { describe, expect, it } from 'vitest';
import type { CaseRow } from '../domain/case';
import type { Review } from '../domain/review';
import { chainPack, randomPack } from '../../../test/fixtures/review-packs';
import { concludeReview, missingMaterialChoices, type ConcludeInput } from './conclude';
import { acceptOffer, makeOffer } from './offers';

const now = new Date('2025-06-20T02:00:00.000Z');
const caseRow: CaseRow = {
  id: 'c1', personId: 'p1', personName: '林演示', certNo: '140105199001011234', psnNo: '', insutype: '310', regionCode: '140105',
  diseaseCode: 'M01600', diseaseName: '糖尿病', kind: 'first', channel: 'assisted', submittedAt: now.toISOString(), receivedOn: '2025-06-20',
  status: 'in-review', stage: 'first', stageLabel: '初审', tieBreak: false, dueOn: '2025-07-18', dueAwaits: null, dueProvisional: false, deadlineAt: '2025-07-18T15:59:59.999Z', paused: [],
  result: null, decidedAt: null, updatedAt: now.toISOString(),
};
const draw = { mode: 'random' as const, seed: 1, candidates: ['d1'], excluded: [], ineligible: [], chosen: ['d1'] };
const accepted = (stage: string, reviewerId: string, pack = randomPack) => {
  const o = makeOffer({ pack, caseRow, stage, stageLabel: stage, tieBreak: false, reviewerId, draw, now, id: `a-${reviewerId}` });
  if (o.assignment.state === 'accepted') return o.assignment; // the 医保办 queue starts accepted
  const r = acceptOffer(o.assignment, caseRow, stage, now);
  if (!r.ok) throw new Error(r.message);
  return r.assignment;
};
const input = (over: Partial<ConcludeInput>): ConcludeInput => ({
  pack: randomPack, caseRow, assignment: accepted('first', 'd1'), reviews: [], openReviewers: [], reviewer: { id: 'd1', name: '王演示' },
  conclusion: { verdict: 'approve' }, criteriaMet: ['c1'], now, reviewId: 'r1', ...over,
});

describe('concludeReview', () => {
  it('002: an approving 初审 completes the assignment and asks for two 终审 experts', () => {
    const r = concludeReview(input({}));
    expect(r).toMatchObject({ ok: true, assignment: { state: 'completed' }, review: { stage: 'first', conclusion: { verdict: 'approve' }, criteriaMet: ['c1'] }, next: { kind: 'assign', stage: 'final', count: 2, exclude: ['d1'] }, certification: null });
  });

  it('002: two agreeing 终审 decide; approval yields a certification with the re-review date from the disease term', () => {
    const first: Review = { ...(concludeReview(input({})) as Extract<ReturnType<typeof concludeReview>, { ok: true }>).review };
    const second: Review = { ...first, id: 'r2', stage: 'final', reviewerId: 'd2', assignmentId: 'a-d2', at: '2025-06-20T03:00:00.000Z' };
    const r = concludeReview(input({ assignment: accepted('final', 'd3'), reviewer: { id: 'd3', name: '李演示' }, reviews: [first, second], reviewId: 'r3', now: new Date('2025-06-21T02:00:00.000Z') }));
    expect(r.ok && r.caseRow).toMatchObject({ status: 'decided', result: 'approved', decidedAt: '2025-06-21T02:00:00.000Z', deadlineAt: '9999-12-31T23:59:59.999Z' });
    expect(r.ok && r.certification).toMatchObject({ state: 'ready', physicianId: 'd1', physicianName: '王演示', certifiedOn: '2025-06-21', begnDate: '2025-06-21' });
  });

  it('002: a tie-break concluded on a desk whose clock is behind the server\'s still comes after the two 终审 it breaks', () => {
    const first: Review = { ...(concludeReview(input({})) as Extract<ReturnType<typeof concludeReview>, { ok: true }>).review };
    const yes: Review = { ...first, id: 'r2', stage: 'final', reviewerId: 'd2', assignmentId: 'a-d2', at: '2025-06-22T03:00:00.000Z' };
    const no: Review = { ...yes, id: 'r3', reviewerId: 'd3', assignmentId: 'a-d3', conclusion: { verdict: 'reject', reason: '证据不足' }, at: '2025-06-22T03:05:00.000Z' };
    const third = accepted('final', 'd4');
    // The desk's clock reads a minute before the last 终审 was recorded on the server.
    const r = concludeReview(input({ assignment: { ...third, tieBreak: true }, reviewer: { id: 'd4', name: '赵演示' }, reviews: [first, yes, no], reviewId: 'r4', now: new Date('2025-06-22T03:04:00.000Z') }));
    expect(r).toMatchObject({ ok: true, caseRow: { status: 'decided', result: 'approved' } });
    expect(r.ok && r.review.at).toBe('2025-06-22T03:04:00.000Z'); // recorded as this clock says; only the order is fixed
  });

  it('refuses another physician\'s assignment, a reason-less rejection and unknown material items', () => {
    expect(concludeReview(input({ reviewer: { id: 'd2', name: 'x' } }))).toEqual({ ok: false, message: '只能对分配给本人的案件作出结论' });
    expect(concludeReview(input({ conclusion: { verdict: 'reject', reason: '' } }))).toEqual({ ok: false, message: '请填写不符合的理由' });
    expect(concludeReview(input({ conclusion: { verdict: 'materials-missing', missingItems: ['x'] } }))).toEqual({ ok: false, message: '未知的材料项目：x' });
  });

  it('000: the 医保办 stage is concluded by any office user', () => {
    const office = accepted('recheck', 'office', chainPack);
    const physicianReview: Review = { id: 'r0', caseId: 'c1', assignmentId: 'a0', stage: 'initial', tieBreak: false, reviewerId: 'd1', reviewerName: '王演示', conclusion: { verdict: 'approve' }, criteriaMet: [], at: '2025-06-20T01:00:00.000Z', auditSeq: 1 };
    const base = { pack: chainPack, assignment: office, reviews: [physicianReview] };
    expect(concludeReview(input({ ...base, reviewer: { id: 'd1', name: 'x', role: 'physician' } }))).toEqual({ ok: false, message: '院内复核须由医保办人员作出' });
    const r = concludeReview(input({ ...base, reviewer: { id: 'clerk', name: '医保办', role: 'office' } }));
    expect(r.ok && r.certification).toMatchObject({ physicianId: 'd1' });
  });

  it('the missing-materials list: 002\'s general items plus the disease\'s own', () => {
    const ids = missingMaterialChoices(randomPack, 'M01600').map((c) => c.id);
    expect(ids.slice(0, 4)).toEqual(['identity', 'medical-record', 'exam-report', 'stamp']);
  });
});

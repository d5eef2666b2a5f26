import { describe, expect, it } from 'vitest';
import type { CaseRow } from '../domain/case';
import type { Assignment } from '../domain/review';
import { OFFICE_ASSIGNEE } from '../domain/work-item';
import { chainPack, randomPack } from '../../../test/fixtures/review-packs';
import { acceptOffer, completeAssignment, declineOffer, makeOffer, refreshWorkItem } from './offers';
import { assignmentEvents, declinedBy, lapsedOffers, refusalVerdict, validateRefusalReason } from './refusals';

const caseRow: CaseRow = {
  id: 'c1',
  personId: 'p1',
  personName: '林演示',
  certNo: '140105199001011234',
  psnNo: '',
  insutype: '310',
  regionCode: '140100',
  diseaseCode: 'M01600',
  diseaseName: '糖尿病（合并严重并发症）',
  kind: 'first',
  channel: 'assisted',
  submittedAt: '2025-06-02T01:00:00.000Z',
  receivedOn: '2025-06-03',
  status: 'in-review',
  stage: 'first',
  stageLabel: '初审',
  tieBreak: false,
  dueOn: '2025-07-01', dueAwaits: null, dueProvisional: false,
  deadlineAt: '2025-07-01T15:59:59.999Z',
  paused: [],
  result: null,
  decidedAt: null,
  updatedAt: '2025-06-03T01:00:00.000Z',
};
const T0 = new Date('2025-06-03T01:00:00.000Z');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);
const draw = { mode: 'random' as const, seed: 1, candidates: ['e1', 'e2'], excluded: [], ineligible: [], chosen: ['e1'] };
const offer = (reviewerId = 'e1', pack = randomPack) =>
  makeOffer({ pack, caseRow, stage: 'first', stageLabel: '初审', tieBreak: false, reviewerId, draw, now: T0, id: `a-${reviewerId}` });

describe('offers (002: accept within 48 hours or the case goes to another expert)', () => {
  it('an offer carries the 48 h window and sorts by it on the worklist', () => {
    const { assignment, workItem } = offer();
    expect(assignment).toMatchObject({ state: 'offered', acceptBy: '2025-06-05T01:00:00.000Z', draw });
    expect(workItem).toMatchObject({ assigneeId: 'e1', state: 'offered', deadlineAt: '2025-06-05T01:00:00.000Z', personName: '林演示' });
  });

  it('accepting inside the window keeps the item, now sorted by the completion due day', () => {
    const { assignment } = offer();
    const r = acceptOffer(assignment, caseRow, '初审', hours(47));
    expect(r.ok && r.assignment.state).toBe('accepted');
    expect(r.ok && r.workItem).toMatchObject({ state: 'accepted', acceptBy: null, deadlineAt: '2025-07-01T15:59:59.999Z' });
  });

  it('after 48 hours the offer cannot be accepted; it lapses at its deadline', () => {
    const { assignment } = offer();
    expect(acceptOffer(assignment, caseRow, '初审', hours(48))).toEqual({ ok: false, message: '已超过受理时限，案件将重新分配' });
    expect(lapsedOffers([assignment], hours(47.9))).toEqual([]);
    expect(lapsedOffers([assignment], hours(48)).map((a) => a.id)).toEqual(['a-e1']);
    const lapsed = declineOffer(assignment, 'lapsed', hours(60));
    expect(lapsed.ok && lapsed.assignment).toMatchObject({ state: 'lapsed', closedAt: '2025-06-05T01:00:00.000Z' });
  });

  it('a refusal needs a reason and removes the item', () => {
    const { assignment } = offer();
    expect(declineOffer(assignment, 'refused', hours(1), '  ')).toEqual({ ok: false, message: '请填写拒绝受理的理由' });
    const r = declineOffer(assignment, 'refused', hours(1), ' 本人出差 ');
    expect(r).toMatchObject({ ok: true, workItem: null, assignment: { state: 'refused', refusalReason: '本人出差' } });
    expect(validateRefusalReason('')).toBe('请填写拒绝受理的理由');
    expect(validateRefusalReason('x'.repeat(201))).toBe('理由最多 200 个字');
    expect(validateRefusalReason('回避：患者为本人亲属')).toBeNull();
  });

  it('000 chain: the 医保办 queue item starts accepted with no acceptance window', () => {
    const { assignment, workItem } = offer(OFFICE_ASSIGNEE, chainPack);
    expect(assignment).toMatchObject({ state: 'accepted', acceptBy: null });
    expect(workItem.state).toBe('accepted');
    expect(completeAssignment(assignment, hours(2))).toMatchObject({ ok: true, workItem: null, assignment: { state: 'completed' } });
    expect(completeAssignment(offer().assignment, hours(2)).ok).toBe(false);
  });

  it('a pause moves the item\'s due day when the case is refreshed', () => {
    const { workItem } = offer();
    const moved = refreshWorkItem({ ...workItem, state: 'accepted', acceptBy: null }, { ...caseRow, dueOn: '2025-07-08', dueAwaits: null, dueProvisional: false, deadlineAt: '2025-07-08T15:59:59.999Z', paused: [{ from: '2025-06-10', to: '2025-06-16' }] });
    expect(moved).toMatchObject({ dueOn: '2025-07-08', dueAwaits: null, dueProvisional: false, deadlineAt: '2025-07-08T15:59:59.999Z' });
  });
});

describe('refusal limit (002: 3 refusals or lapses in a row lose expert status)', () => {
  const past = (id: string, state: Assignment['state'], day: number): Assignment => ({
    ...offer().assignment,
    id,
    caseId: `c-${id}`,
    state,
    offeredAt: `2025-06-${String(day).padStart(2, '0')}T01:00:00.000Z`,
    acceptBy: `2025-06-${String(day + 2).padStart(2, '0')}T01:00:00.000Z`,
    acceptedAt: state === 'accepted' || state === 'completed' ? `2025-06-${String(day).padStart(2, '0')}T02:00:00.000Z` : null,
    closedAt: state === 'refused' ? `2025-06-${String(day).padStart(2, '0')}T03:00:00.000Z` : null,
  });

  it('two in a row do not flag; a third (refused or lapsed) does', () => {
    const two = [past('a', 'completed', 1), past('b', 'refused', 3), past('c', 'lapsed', 5)];
    expect(refusalVerdict(randomPack, two)).toMatchObject({ streak: 2, limit: 3, flag: false });
    const three = [...two, past('d', 'refused', 8)];
    const v = refusalVerdict(randomPack, three);
    expect(v).toMatchObject({ streak: 3, flag: true });
    expect(v.message).toContain('取消认定专家资格');
  });

  it('an acceptance resets the streak; withdrawn offers count neither way', () => {
    const h = [past('a', 'refused', 1), past('b', 'refused', 3), past('c', 'accepted', 5), past('d', 'withdrawn', 7), past('e', 'refused', 9)];
    expect(assignmentEvents(h).map((e) => e.kind)).toEqual(['refused', 'refused', 'accepted', 'refused']);
    expect(refusalVerdict(randomPack, h)).toMatchObject({ streak: 1, flag: false });
  });

  it('once the 医保办 clears a flag, the refusals it judged no longer count toward the next one', () => {
    const flagged = [past('a', 'refused', 1), past('b', 'refused', 3), past('c', 'refused', 5)];
    expect(refusalVerdict(randomPack, flagged).flag).toBe(true);
    const clearedAt = '2025-06-06T00:00:00.000Z';
    const next = [...flagged, past('d', 'refused', 8)];
    expect(refusalVerdict(randomPack, next)).toMatchObject({ streak: 4, flag: true });
    expect(refusalVerdict(randomPack, next, clearedAt)).toMatchObject({ streak: 1, flag: false });
    expect(refusalVerdict(randomPack, [...next, past('e', 'refused', 10), past('f', 'refused', 12)], clearedAt)).toMatchObject({ streak: 3, flag: true });
  });

  it('000 (Jilin) sets no limit, so nobody is flagged', () => {
    const h = [past('a', 'refused', 1), past('b', 'refused', 3), past('c', 'refused', 5)];
    expect(refusalVerdict(chainPack, h)).toMatchObject({ limit: null, flag: false });
  });

  it('whoever refused or held a stage of the case is not drawn for it again', () => {
    const h = [{ ...past('a', 'refused', 1), reviewerId: 'e1' }, { ...past('b', 'lapsed', 3), reviewerId: 'e2' }, { ...past('c', 'withdrawn', 3), reviewerId: 'e3' }];
    expect(declinedBy(h, 'first')).toEqual(['e1', 'e2']);
    expect(declinedBy(h, 'final')).toEqual([]);
  });
});

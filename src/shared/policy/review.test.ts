import { describe, expect, it } from 'vitest';
import y2026 from '../../../resources/calendars/2026.json';
import jilinJson from '../../../resources/policy/jilin-2025.json';
import kaifengJson from '../../../resources/policy/kaifeng-2023.json';
import shanxiJson from '../../../resources/policy/shanxi-2025.json';
import { loadCalendar } from './calendar';
import { parsePolicyPack, type PolicyPack } from './index';
import { acceptanceDeadline, completionDeadline, isHandledAtOnce, refusalStreak, reviewOutcome, type AssignmentEvent, type ReviewDecision, type Verdict } from './review';

function load(json: unknown): PolicyPack {
  const r = parsePolicyPack(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.pack;
}
const kaifeng = load(kaifengJson);
const jilin = load(jilinJson);
const shanxi = load(shanxiJson);

const d = (stage: string, reviewerId: string, verdict: Verdict): ReviewDecision => ({ stage, reviewerId, verdict });
const first = (v: Verdict = 'approve') => d('first', 'e1', v);

describe('reviewOutcome — 002 random experts', () => {
  it('starts with one first reviewer', () => {
    expect(reviewOutcome(kaifeng, [])).toEqual({
      status: 'pending', stage: 'first', label: '初审', role: 'expert', reviewersNeeded: 1, tieBreak: false, excludeReviewers: [], message: '待初审（还需 1 人）',
    });
  });

  it('002: a first reviewer who finds the criteria unmet, or materials missing, ends the case', () => {
    expect(reviewOutcome(kaifeng, [first('reject')])).toMatchObject({ status: 'decided', result: 'rejected', stage: 'first', message: '初审：不予通过' });
    expect(reviewOutcome(kaifeng, [first('materials-missing')])).toMatchObject({ status: 'decided', result: 'materials-missing' });
  });

  it('002: after the first review, two final reviewers other than the first', () => {
    expect(reviewOutcome(kaifeng, [first()])).toMatchObject({ status: 'pending', stage: 'final', label: '终审', reviewersNeeded: 2, excludeReviewers: ['e1'] });
    expect(reviewOutcome(kaifeng, [first(), d('final', 'e2', 'approve')])).toMatchObject({ status: 'pending', reviewersNeeded: 1, excludeReviewers: ['e1', 'e2'] });
  });

  it('002: two final reviewers who agree decide the case', () => {
    expect(reviewOutcome(kaifeng, [first(), d('final', 'e2', 'approve'), d('final', 'e3', 'approve')])).toEqual({
      status: 'decided', result: 'approved', stage: 'final', label: '终审', message: '终审：认定通过',
    });
    expect(reviewOutcome(kaifeng, [first(), d('final', 'e2', 'reject'), d('final', 'e3', 'reject')])).toMatchObject({ result: 'rejected' });
  });

  it('002: when they disagree a third final reviewer decides', () => {
    const split = [first(), d('final', 'e2', 'approve'), d('final', 'e3', 'reject')];
    expect(reviewOutcome(kaifeng, split)).toEqual({
      status: 'pending', stage: 'final', label: '终审（第三名专家）', role: 'expert', reviewersNeeded: 1, tieBreak: true,
      excludeReviewers: ['e1', 'e2', 'e3'], message: '终审意见不一致，需由终审（第三名专家）决定',
    });
    expect(reviewOutcome(kaifeng, [...split, d('final', 'e4', 'approve')])).toMatchObject({ status: 'decided', result: 'approved' });
    expect(reviewOutcome(kaifeng, [...split, d('final', 'e4', 'reject')])).toMatchObject({ status: 'decided', result: 'rejected' });
  });

  it('refuses decision lists that cannot happen', () => {
    expect(reviewOutcome(kaifeng, [d('appeal', 'e1', 'approve')])).toEqual({ status: 'invalid', errors: ['未知的审核环节“appeal”'] });
    expect(reviewOutcome(kaifeng, [first(), d('final', 'e2', 'approve'), d('final', 'e2', 'approve')])).toMatchObject({ status: 'invalid' });
    expect(reviewOutcome(kaifeng, [d('final', 'e2', 'approve')])).toMatchObject({ status: 'invalid', errors: ['初审尚未完成，却已有后续环节的意见'] });
    expect(reviewOutcome(kaifeng, [first('reject'), d('final', 'e2', 'approve')])).toMatchObject({ status: 'invalid' });
    expect(reviewOutcome(kaifeng, [first(), d('final', 'e2', 'approve'), d('final', 'e3', 'approve'), d('final', 'e4', 'approve')])).toMatchObject({
      status: 'invalid', errors: ['终审的意见多于所需人数'],
    });
  });
});

describe('reviewOutcome — 000 chain: physician, then the 医保办 re-check', () => {
  it('the physician\'s conclusion goes to the office; the office\'s decides', () => {
    expect(reviewOutcome(jilin, [d('initial', 'doc1', 'approve')])).toMatchObject({ status: 'pending', stage: 'recheck', role: 'office', label: '院内复核（医保办）' });
    expect(reviewOutcome(jilin, [d('initial', 'doc1', 'approve'), d('recheck', 'off1', 'approve')])).toMatchObject({ status: 'decided', result: 'approved', stage: 'recheck' });
    expect(reviewOutcome(jilin, [d('initial', 'doc1', 'approve'), d('recheck', 'off1', 'reject')])).toMatchObject({ status: 'decided', result: 'rejected', label: '院内复核（医保办）' });
    expect(reviewOutcome(jilin, [d('initial', 'doc1', 'reject')])).toMatchObject({ status: 'decided', result: 'rejected', stage: 'initial' });
  });
});

describe('deadlines and expert management', () => {
  it('002: the first reviewer must accept within 48 hours', () => {
    expect(acceptanceDeadline(kaifeng, '2026-11-20T09:00:00+08:00')).toBe('2026-11-22T01:00:00.000Z');
    expect(acceptanceDeadline(jilin, '2026-11-20T09:00:00+08:00')).toBeNull();
    expect(() => acceptanceDeadline(kaifeng, 'yesterday')).toThrow(RangeError);
  });

  it('002: three refusals or lapses in a row cost expert status', () => {
    const ev = (...kinds: AssignmentEvent['kind'][]) => kinds.map((kind, i) => ({ kind, at: `2026-11-${10 + i}T09:00:00+08:00` }));
    expect(refusalStreak(kaifeng, ev('refused', 'lapsed', 'accepted', 'refused', 'refused'))).toEqual({
      current: 2, longest: 2, limit: 3, lostStatus: false, message: '当前连续不受理 2 次（上限 3 次）',
    });
    expect(refusalStreak(kaifeng, ev('refused', 'lapsed', 'refused', 'accepted'))).toMatchObject({
      current: 0, longest: 3, lostStatus: true, message: '连续 3 次不受理或拒绝受理，取消认定专家资格（来源：002）',
    });
    expect(refusalStreak(jilin, ev('refused', 'refused', 'refused', 'refused'))).toMatchObject({ limit: null, lostStatus: false });
  });

  it('004: completion within 20 working days of acceptance', () => {
    const cal = loadCalendar([y2026]);
    if (!cal.ok) throw new Error(cal.errors.join());
    expect(completionDeadline(shanxi, cal.calendar, '2026-09-28')).toMatchObject({ ok: true, date: '2026-10-30' });
    expect(completionDeadline(shanxi, cal.calendar, '2026-12-10')).toMatchObject({ ok: false, error: { code: 'calendar-missing', year: 2027 } });
    expect(completionDeadline(jilin, cal.calendar, '2026-09-28')).toBeNull();
  });

  it('004: cancer treatment, transplant and dialysis are handled at once (variants included)', () => {
    const tx = shanxi.diseases.find((x) => x.name === '器官移植抗排异治疗')!;
    expect(isHandledAtOnce(shanxi, tx.code)).toBe(true);
    expect(isHandledAtOnce(shanxi, tx.variants[0]!.code)).toBe(true);
    expect(isHandledAtOnce(shanxi, shanxi.diseases.find((x) => x.name === '尿毒症透析')!.code)).toBe(true);
    expect(isHandledAtOnce(shanxi, shanxi.diseases.find((x) => x.name === '癫痫')!.code)).toBe(false);
    expect(isHandledAtOnce(kaifeng, kaifeng.diseases[0]!.code)).toBe(false);
  });
});

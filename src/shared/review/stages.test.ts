import { describe, expect, it } from 'vitest';
import type { Review } from '../domain/review';
import { chainPack, randomPack } from '../../../test/fixtures/review-packs';
import { assignmentMode, nextStep, stageLabel } from './stages';

let clock = 0;
const review = (stage: string, reviewerId: string, verdict: 'approve' | 'reject', tieBreak = false): Review => ({
  id: `r${++clock}`,
  caseId: 'c1',
  assignmentId: `a${clock}`,
  stage,
  tieBreak,
  reviewerId,
  reviewerName: reviewerId,
  conclusion: verdict === 'approve' ? { verdict } : { verdict, reason: '不符合准入标准' },
  criteriaMet: [],
  at: new Date(Date.UTC(2025, 5, 3, 0, clock)).toISOString(),
  auditSeq: null,
});

describe('nextStep — 002 (Kaifeng): random 初审, two 终审, a third when they disagree', () => {
  it('starts with one random 初审 expert', () => {
    expect(nextStep(randomPack, [])).toMatchObject({ kind: 'assign', stage: 'first', label: '初审', mode: 'random', count: 1, tieBreak: false });
  });

  it('after 初审 approves, draws two 终审 experts excluding the first reviewer', () => {
    const s = nextStep(randomPack, [review('first', 'e1', 'approve')]);
    expect(s).toMatchObject({ kind: 'assign', stage: 'final', count: 2, exclude: ['e1'] });
  });

  it('asks only for the reviewers still missing beyond those holding open assignments', () => {
    const s = nextStep(randomPack, [review('first', 'e1', 'approve')], ['e2']);
    expect(s).toMatchObject({ kind: 'assign', stage: 'final', count: 1, exclude: ['e1', 'e2'] });
  });

  it('two 终审 experts agreeing decide the case', () => {
    const s = nextStep(randomPack, [review('first', 'e1', 'approve'), review('final', 'e2', 'approve'), review('final', 'e3', 'approve')]);
    expect(s).toMatchObject({ kind: 'decided', result: 'approved' });
  });

  it('disagreeing 终审 experts call in 第三位终审, who decides', () => {
    const split = [review('first', 'e1', 'approve'), review('final', 'e2', 'approve'), review('final', 'e3', 'reject')];
    expect(nextStep(randomPack, split)).toMatchObject({ kind: 'assign', stage: 'final', label: '终审（第三名专家）', count: 1, tieBreak: true, exclude: ['e1', 'e2', 'e3'] });
    expect(nextStep(randomPack, [...split, review('final', 'e4', 'reject', true)])).toMatchObject({ kind: 'decided', result: 'rejected' });
  });

  it('a 初审 rejection ends the case', () => {
    expect(nextStep(randomPack, [review('first', 'e1', 'reject')])).toMatchObject({ kind: 'decided', result: 'rejected', stage: 'first' });
  });
});

describe('nextStep — 000 (Jilin): the certifying physician, then the 医保办 re-check', () => {
  it('moves along the chain: physician drawn, then the office queue', () => {
    expect(nextStep(chainPack, [])).toMatchObject({ kind: 'assign', stage: 'initial', mode: 'random', count: 1 });
    expect(nextStep(chainPack, [review('initial', 'd1', 'approve')])).toMatchObject({ kind: 'assign', stage: 'recheck', mode: 'office', count: 1 });
    expect(nextStep(chainPack, [review('initial', 'd1', 'approve'), review('recheck', 'office', 'approve')])).toMatchObject({ kind: 'decided', result: 'approved' });
  });

  it('labels and modes come from the pack', () => {
    expect(stageLabel(chainPack, 'recheck')).toBe('院内复核（医保办）');
    expect(stageLabel(randomPack, 'final', true)).toBe('终审（第三名专家）');
    expect(stageLabel(randomPack, 'unknown')).toBe('unknown');
    expect(assignmentMode({ role: 'office' })).toBe('office');
    expect(assignmentMode({ role: 'expert' })).toBe('random');
  });

  it('reports an invalid history instead of guessing', () => {
    expect(nextStep(chainPack, [review('nope', 'd1', 'approve')])).toMatchObject({ kind: 'invalid' });
  });
});

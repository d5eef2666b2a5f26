import { describe, expect, it } from 'vitest';
import jilinJson from '../../../resources/policy/jilin-2025.json';
import shanxiJson from '../../../resources/policy/shanxi-2025.json';
import wuhuJson from '../../../resources/policy/wuhu-2025.json';
import { monthsBetween, termEnd } from '../time';
import { parsePolicyPack, type PolicyPack } from './index';
import { inactivityFlag, reReviewDue } from './rereview';

function load(json: unknown): PolicyPack {
  const r = parsePolicyPack(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.pack;
}
const shanxi = load(shanxiJson);
const jilin = load(jilinJson);
const wuhu = load(wuhuJson);
const code = (p: PolicyPack, name: string) => p.diseases.find((d) => d.name === name)!.code;

describe('termEnd and monthsBetween', () => {
  it('ends the day before the corresponding day, or at the month end when there is none', () => {
    expect(termEnd('2025-04-01', 24)).toBe('2027-03-31');
    expect(termEnd('2025-01-01', 12)).toBe('2025-12-31');
    expect(termEnd('2024-02-29', 12)).toBe('2025-02-28');
    expect(termEnd('2024-02-29', 48)).toBe('2028-02-28');
    expect(termEnd('2024-03-01', 12)).toBe('2025-02-28');
    expect(termEnd('2023-03-01', 12)).toBe('2024-02-29');
    expect(termEnd('2025-01-31', 1)).toBe('2025-02-28');
    expect(termEnd('2025-03-01', 1)).toBe('2025-03-31');
  });

  it('counts whole months', () => {
    expect(monthsBetween('2024-02-10', '2026-03-01')).toBe(24);
    expect(monthsBetween('2024-03-05', '2026-03-01')).toBe(23);
    expect(monthsBetween('2024-02-29', '2026-02-28')).toBe(24);
    expect(monthsBetween('2026-03-01', '2024-03-01')).toBe(-24);
    expect(monthsBetween('2026-01-31', '2026-02-28')).toBe(1);
  });
});

describe('reReviewDue (000 复审)', () => {
  const copd = code(jilin, '慢性阻塞性肺疾病');
  const cert = { diseaseCode: copd, validFrom: '2025-04-01' };

  it('000: due by the end of the term, with a reminder window before it', () => {
    expect(reReviewDue(jilin, cert)).toEqual({
      kind: 'term', endsOn: '2027-03-31', remindFrom: '2027-01-30', benefitsContinue: false, state: null,
      message: '慢性阻塞性肺疾病复审期限至 2027-03-31，须在此前申请复审', source: '示例',
    });
    expect(reReviewDue(jilin, cert, '2026-11-23')).toMatchObject({ state: 'not-due' });
    expect(reReviewDue(jilin, cert, '2027-01-30')).toMatchObject({ state: 'due-soon' });
    expect(reReviewDue(jilin, cert, '2027-03-31')).toMatchObject({ state: 'due-soon' });
  });

  it('000: applied before the term ends, benefits continue during re-review', () => {
    const r = reReviewDue(jilin, { ...cert, reReviewAppliedOn: '2027-03-31' }, '2027-05-01');
    expect(r).toMatchObject({ state: 'applied', benefitsContinue: true, message: '慢性阻塞性肺疾病已于 2027-03-31 申请复审，复审期间继续享受待遇' });
  });

  it('000: not applied in time, benefits stop at the term end and a new application follows the first-time flow', () => {
    const r = reReviewDue(jilin, { ...cert, reReviewAppliedOn: '2027-04-01' }, '2027-04-02');
    expect(r).toMatchObject({ state: 'lapsed', benefitsContinue: false });
    if (r.kind === 'term') expect(r.message).toBe('慢性阻塞性肺疾病未在 2027-03-31 前申请复审，待遇于期满后停止；再次申请按首次认定流程办理');
    expect(reReviewDue(jilin, cert, '2027-04-01')).toMatchObject({ state: 'lapsed' });
  });

  it('a filed end date wins over the computed term; terms starting on a leap day end on 02-28', () => {
    expect(reReviewDue(jilin, { ...cert, validTo: '2026-12-31' })).toMatchObject({ endsOn: '2026-12-31', source: '000' });
    expect(reReviewDue(jilin, { diseaseCode: copd, validFrom: '2024-02-29' })).toMatchObject({ endsOn: '2026-02-28' });
  });

  it('per-disease terms: none for transplant, 12 months for tuberculosis (Shanxi examples)', () => {
    const tx = code(shanxi, '器官移植抗排异治疗');
    expect(reReviewDue(shanxi, { diseaseCode: tx, validFrom: '2025-04-01' })).toEqual({ kind: 'no-term', message: '器官移植抗排异治疗未设复审期限', source: '示例' });
    expect(reReviewDue(shanxi, { diseaseCode: tx, validFrom: '2025-04-01', validTo: '2030-03-31' })).toMatchObject({ kind: 'term', endsOn: '2030-03-31' });
    expect(reReviewDue(shanxi, { diseaseCode: code(shanxi, '结核病'), validFrom: '2025-04-01' })).toMatchObject({ endsOn: '2026-03-31' });
    expect(reReviewDue(shanxi, { diseaseCode: 'M99999', validFrom: '2025-04-01' })).toMatchObject({ kind: 'unknown-disease' });
  });
});

describe('inactivityFlag (001: each March, 24 months without related cost)', () => {
  const dm = code(wuhu, '糖尿病');
  const cert = { diseaseCode: dm, validFrom: '2023-06-01' };

  it('001: flagged at the March screening after 24 months without cost (24 itself included)', () => {
    const r = inactivityFlag(wuhu, cert, '2024-02-10', '2026-03-15');
    expect(r).toEqual({
      applicable: true, flagged: true, screeningDate: '2026-03-01', monthsWithoutCost: 24, source: '001',
      message: '2026-03-01 筛查：自 2024-02-10 最后一次相关费用起已连续 24 个月未产生相关医疗费用（≥ 24 个月），纳入复审',
    });
    expect(inactivityFlag(wuhu, cert, '2024-03-01', '2026-03-01')).toMatchObject({ flagged: true, monthsWithoutCost: 24 });
    expect(inactivityFlag(wuhu, cert, '2024-03-05', '2026-03-15')).toMatchObject({ flagged: false, monthsWithoutCost: 23 });
    expect(inactivityFlag(wuhu, cert, '2024-02-29', '2026-11-23')).toMatchObject({ flagged: true, screeningDate: '2026-03-01' });
  });

  it('uses the latest screening: before March it is last year\'s', () => {
    expect(inactivityFlag(wuhu, cert, '2024-02-10', '2026-02-28')).toMatchObject({ screeningDate: '2025-03-01', flagged: false, monthsWithoutCost: 12 });
  });

  it('without any cost the count runs from the start of benefits; a cost after the screening does not count for it', () => {
    const r = inactivityFlag(wuhu, { diseaseCode: dm, validFrom: '2024-01-10' }, null, '2026-11-23');
    expect(r).toMatchObject({ flagged: true, monthsWithoutCost: 25 });
    expect(r.message).toContain('自 2024-01-10 享受待遇起');
    expect(inactivityFlag(wuhu, { diseaseCode: dm, validFrom: '2023-01-01' }, '2026-05-01', '2026-11-23')).toMatchObject({ flagged: true });
  });

  it('no screening yet since the certification began', () => {
    expect(inactivityFlag(wuhu, { diseaseCode: dm, validFrom: '2026-04-01' }, null, '2026-11-23')).toMatchObject({ applicable: true, flagged: false, screeningDate: null });
  });

  it('regions without the rule never flag', () => {
    expect(inactivityFlag(shanxi, { diseaseCode: code(shanxi, '癫痫'), validFrom: '2020-01-01' }, null, '2026-11-23')).toMatchObject({ applicable: false, flagged: false });
  });
});

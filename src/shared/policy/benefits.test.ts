import { describe, expect, it } from 'vitest';
import kaifengJson from '../../../resources/policy/kaifeng-2023.json';
import shanxiJson from '../../../resources/policy/shanxi-2025.json';
import wuhuJson from '../../../resources/policy/wuhu-2025.json';
import { adjustedReimbursement, stackBenefitLimits } from './benefits';
import { parsePolicyPack, type PolicyPack } from './index';

function load(json: unknown): PolicyPack {
  const r = parsePolicyPack(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.pack;
}
const shanxi = load(shanxiJson);
const wuhu = load(wuhuJson);
const code = (p: PolicyPack, name: string) => p.diseases.find((d) => d.name === name)!.code;
const sx = (name: string) => code(shanxi, name);
const brief = (r: ReturnType<typeof stackBenefitLimits>) => r.map((x) => [x.name, x.basis, x.limit]);

describe('stackBenefitLimits (004 多病种待遇)', () => {
  it('004: several special diseases share the fund annual cap', () => {
    const r = stackBenefitLimits(shanxi, [sx('恶性肿瘤门诊治疗'), sx('血友病')]);
    expect(r.map((x) => [x.basis, x.period, x.source])).toEqual([['pooled', 'year', '004'], ['pooled', 'year', '004']]);
    expect(r[0]!.message).toBe('恶性肿瘤门诊治疗：特殊疾病合并按居民医保统筹基金年度最高支付限额执行');
  });

  it('004: several chronic — the highest in full, at most two more at 50 %, the rest nothing', () => {
    // Example quarterly limits: 高血压 450, 冠心病 600, 慢阻肺 600, 糖尿病 900.
    const held = [sx('高血压3级（极高危）'), sx('冠状动脉粥样硬化性心脏病'), sx('慢性阻塞性肺疾病'), sx('糖尿病（合并严重并发症）')];
    const r = stackBenefitLimits(shanxi, held);
    expect(brief(r)).toEqual([
      ['高血压3级（极高危）', 'none', 0],
      ['冠状动脉粥样硬化性心脏病', 'share', 300],
      ['慢性阻塞性肺疾病', 'share', 300],
      ['糖尿病（合并严重并发症）', 'full', 900],
    ]);
    expect(r[3]!.message).toBe('糖尿病（合并严重并发症）：按本病种季度限额 900 元全额执行（待遇水平最高的病种）');
    expect(r[1]!.message).toBe('冠状动脉粥样硬化性心脏病：按限额 600 元的 50% 即 300 元叠加');
    expect(r[0]!.message).toBe('高血压3级（极高危）：其他慢性病最多叠加 2 种，本病种不再另计限额');
    expect(r.every((x) => x.period === 'quarter' && x.source === '004')).toBe(true);
  });

  it('004: one chronic disease gets its own limit', () => {
    const [r] = stackBenefitLimits(shanxi, [sx('高血压3级（极高危）')]);
    expect(r).toMatchObject({ basis: 'full', share: 1, limit: 450, message: '高血压3级（极高危）：按本病种季度限额 450 元全额执行' });
  });

  it('004: mixed — specials under the annual cap, one chronic at its own limit, several chronic as above', () => {
    expect(brief(stackBenefitLimits(shanxi, [sx('尿毒症透析'), sx('癫痫')]))).toEqual([
      ['尿毒症透析', 'pooled', null],
      ['癫痫', 'full', 450],
    ]);
    expect(brief(stackBenefitLimits(shanxi, [sx('结核病'), sx('癫痫'), sx('帕金森病')]))).toEqual([
      ['结核病', 'pooled', null],
      ['癫痫', 'share', 225],
      ['帕金森病', 'full', 600],
    ]);
  });

  it('variant codes take their disease category; duplicates and unknown codes are handled', () => {
    const kidneyTx = shanxi.diseases.find((d) => d.name === '器官移植抗排异治疗')!.variants[0]!.code;
    expect(brief(stackBenefitLimits(shanxi, [kidneyTx, kidneyTx, 'M99999']))).toEqual([
      ['器官移植抗排异治疗（肾移植）', 'pooled', null],
      ['M99999', 'unknown-disease', null],
    ]);
    expect(stackBenefitLimits(shanxi, [])).toEqual([]);
  });

  it('a chronic disease with no known amount ranks last', () => {
    const noAmount: PolicyPack = {
      ...shanxi,
      diseases: shanxi.diseases.map((d) => (d.name === '癫痫' ? { ...d, benefitLimit: null } : d)),
    };
    expect(brief(stackBenefitLimits(noAmount, [sx('癫痫'), sx('白癜风')]))).toEqual([
      ['癫痫', 'share', null],
      ['白癜风', 'full', 300],
    ]);
  });

  it('regions without a stacking rule (example): each disease its own limit', () => {
    const kaifeng = load(kaifengJson);
    const r = stackBenefitLimits(kaifeng, [code(kaifeng, '高血压病'), code(kaifeng, '糖尿病'), code(kaifeng, '血友病')]);
    expect(r.map((x) => [x.basis, x.source])).toEqual([['own', '示例'], ['own', '示例'], ['own', '示例']]);
  });
});

describe('adjustedReimbursement (001 异地就医、定点管理)', () => {
  const at70: PolicyPack = { ...wuhu, benefits: { ...wuhu.benefits, reimbursementRatio: { value: 0.7, source: { example: true, note: '测试' } } } };
  const haemo = code(wuhu, '血友病');

  it('001: −5 / −15 points in province, −10 / −20 across provinces, with / without referral', () => {
    expect(adjustedReimbursement(at70, { scope: 'in-province', referral: true }).ratio).toBe(0.65);
    expect(adjustedReimbursement(at70, { scope: 'in-province', referral: false }).ratio).toBe(0.55);
    expect(adjustedReimbursement(at70, { scope: 'cross-province', referral: true }).ratio).toBe(0.6);
    const r = adjustedReimbursement(at70, { scope: 'cross-province', referral: false });
    expect(r).toEqual({ ratio: 0.5, pointsOff: 20, reasons: ['跨省异地就医（未办理转诊）：报销比例下降 20 个百分点（来源：001）'] });
    expect(adjustedReimbursement(at70, { scope: 'local', referral: false })).toEqual({ ratio: 0.7, pointsOff: 0, reasons: [] });
  });

  it('001: long-term residents treated where they registered follow the insured place', () => {
    expect(adjustedReimbursement(at70, { scope: 'cross-province', referral: false, longTermResident: true }).pointsOff).toBe(0);
  });

  it('001: haemophilia off the designated hospital, not an emergency, −5 points', () => {
    expect(adjustedReimbursement(at70, { scope: 'local', referral: false, diseaseCode: haemo, atDesignatedHospital: false }).ratio).toBe(0.65);
    expect(adjustedReimbursement(at70, { scope: 'local', referral: false, diseaseCode: haemo, atDesignatedHospital: false, emergency: true }).ratio).toBe(0.7);
    expect(adjustedReimbursement(at70, { scope: 'in-province', referral: false, diseaseCode: haemo, atDesignatedHospital: false }).pointsOff).toBe(20);
    // Uraemia is designated too, but 001 sets the penalty for haemophilia only.
    const uraemia = code(wuhu, '慢性肾衰竭（尿毒症期）');
    expect(adjustedReimbursement(at70, { scope: 'local', referral: false, diseaseCode: uraemia, atDesignatedHospital: false }).pointsOff).toBe(0);
  });

  it('the ratio stays null where the region gives none, the points still apply', () => {
    expect(adjustedReimbursement(wuhu, { scope: 'in-province', referral: false })).toMatchObject({ ratio: null, pointsOff: 15 });
    expect(adjustedReimbursement(shanxi, { scope: 'cross-province', referral: false })).toEqual({ ratio: 0.7, pointsOff: 0, reasons: [] });
  });
});

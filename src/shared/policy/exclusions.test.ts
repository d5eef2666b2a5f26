import { describe, expect, it } from 'vitest';
import shanxiJson from '../../../resources/policy/shanxi-2025.json';
import { checkExclusions, parsePolicyPack, type PolicyPack } from './index';

function load(json: unknown): PolicyPack {
  const r = parsePolicyPack(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.pack;
}

const shanxi = load(shanxiJson);
const code = (name: string): string => {
  for (const d of shanxi.diseases) {
    if (d.name === name) return d.code;
    const v = d.variants.find((x) => x.name === name);
    if (v) return v.code;
  }
  throw new Error(name);
};

describe('checkExclusions (004 统一互斥病种)', () => {
  it('004: 肺源性心脏病 and 慢性阻塞性肺疾病 exclude each other, in both directions', () => {
    const [c] = checkExclusions(shanxi, [code('慢性阻塞性肺疾病')], code('肺源性心脏病'));
    expect(c).toMatchObject({
      applied: { name: '肺源性心脏病' },
      held: { name: '慢性阻塞性肺疾病' },
      ruleId: 'cor-pulmonale-x-copd',
      source: '004',
      message: '肺源性心脏病 与 慢性阻塞性肺疾病 互斥（来源：004）',
    });
    const back = checkExclusions(shanxi, [code('肺源性心脏病')], code('慢性阻塞性肺疾病'));
    expect(back.map((x) => x.message)).toEqual(['慢性阻塞性肺疾病 与 肺源性心脏病 互斥（来源：004）']);
  });
});

describe('checkExclusions: the other 004 groups', () => {
  const names = (cs: { held: { name: string } }[]) => cs.map((c) => c.held.name);

  it('004: 支气管哮喘 × 慢阻肺 and 肝硬化（失代偿期）× 病毒性肝炎（慢性）', () => {
    expect(names(checkExclusions(shanxi, [code('支气管哮喘')], code('慢性阻塞性肺疾病')))).toEqual(['支气管哮喘']);
    expect(names(checkExclusions(shanxi, [code('病毒性肝炎（慢性）')], code('肝硬化（失代偿期）')))).toEqual(['病毒性肝炎（慢性）']);
    expect(names(checkExclusions(shanxi, [code('肝硬化（失代偿期）')], code('病毒性肝炎（慢性）')))).toEqual(['肝硬化（失代偿期）']);
  });

  it('004: 原发性骨髓纤维化 excludes 恶性肿瘤（急性白血病）, not every cancer', () => {
    const c = checkExclusions(shanxi, [code('恶性肿瘤（急性白血病）')], code('原发性骨髓纤维化'));
    expect(c.map((x) => x.message)).toEqual(['原发性骨髓纤维化 与 恶性肿瘤（急性白血病） 互斥（来源：004）']);
    expect(checkExclusions(shanxi, [code('恶性肿瘤门诊治疗')], code('原发性骨髓纤维化'))).toEqual([]);
  });

  it('004: 慢性肾功能不全 × 尿毒症透析 or 肾移植, 肾病综合征 likewise — every pair of the group', () => {
    const ckd = code('慢性肾功能不全（CKD 3-5期）');
    expect(names(checkExclusions(shanxi, [code('尿毒症透析')], ckd))).toEqual(['尿毒症透析']);
    expect(names(checkExclusions(shanxi, [code('器官移植抗排异治疗（肾移植）')], ckd))).toEqual(['器官移植抗排异治疗（肾移植）']);
    expect(names(checkExclusions(shanxi, [ckd, code('肾病综合征（原发性）')], code('尿毒症透析')))).toEqual([
      '慢性肾功能不全（CKD 3-5期）',
      '肾病综合征（原发性）',
    ]);
    // Not listed by 004: CKD and nephrotic syndrome may be held together.
    expect(checkExclusions(shanxi, [ckd], code('肾病综合征（原发性）'))).toEqual([]);
  });

  it('reports one conflict per held disease, several when several conflict', () => {
    const held = [code('支气管哮喘'), code('肺源性心脏病'), code('高血压3级（极高危）'), code('支气管哮喘')];
    expect(names(checkExclusions(shanxi, held, code('慢性阻塞性肺疾病')))).toEqual(['支气管哮喘', '肺源性心脏病']);
    expect(names(checkExclusions(shanxi, [code('慢性阻塞性肺疾病'), code('支气管哮喘')], code('肺源性心脏病')))).toEqual(['慢性阻塞性肺疾病']);
  });

  it('nothing conflicts with itself, with unknown codes, or in a pack without rules', () => {
    const copd = code('慢性阻塞性肺疾病');
    expect(checkExclusions(shanxi, [copd], copd)).toEqual([]);
    expect(checkExclusions(shanxi, ['M99999'], copd)).toEqual([]);
    expect(checkExclusions(shanxi, [copd], 'M99999')).toEqual([]);
    expect(checkExclusions({ ...shanxi, exclusions: [] }, [code('支气管哮喘')], copd)).toEqual([]);
  });
});

describe('checkExclusions: 004 transplant-relapse exception', () => {
  const kidneyTx = code('器官移植抗排异治疗（肾移植）');
  const dialysis = code('尿毒症透析');

  it('a kidney-transplant conflict names the exception; confirming it waives the conflict', () => {
    const [c] = checkExclusions(shanxi, [kidneyTx], dialysis);
    expect(c).toMatchObject({
      ruleId: 'uremia-dialysis-x-kidney-transplant',
      message: '尿毒症透析 与 器官移植抗排异治疗（肾移植） 互斥（来源：004）',
      exception: { id: 'transplant-relapse', source: '004' },
    });
    expect(checkExclusions(shanxi, [kidneyTx], dialysis, { waive: ['transplant-relapse'] })).toEqual([]);
    // In the other direction too.
    expect(checkExclusions(shanxi, [dialysis], kidneyTx, { waive: ['transplant-relapse'] })).toEqual([]);
  });

  it('waives only pairs that involve the transplant', () => {
    const held = [kidneyTx, code('慢性肾功能不全（CKD 3-5期）')];
    const c = checkExclusions(shanxi, held, dialysis, { waive: ['transplant-relapse'] });
    expect(c.map((x) => [x.held.name, x.exception])).toEqual([['慢性肾功能不全（CKD 3-5期）', undefined]]);
    expect(checkExclusions(shanxi, [code('支气管哮喘')], code('慢性阻塞性肺疾病'), { waive: ['transplant-relapse'] })).toHaveLength(1);
  });

  it('liver transplant and 肝硬化（失代偿期）', () => {
    const liverTx = code('器官移植抗排异治疗（肝移植）');
    expect(checkExclusions(shanxi, [liverTx], code('肝硬化（失代偿期）'))[0]?.exception?.id).toBe('transplant-relapse');
    expect(checkExclusions(shanxi, [liverTx], code('肝硬化（失代偿期）'), { waive: ['transplant-relapse'] })).toEqual([]);
    expect(checkExclusions(shanxi, [liverTx], dialysis)).toEqual([]);
  });

  it('a transplant filed without its organ (the parent code) matches no organ-specific rule', () => {
    expect(checkExclusions(shanxi, [code('器官移植抗排异治疗')], dialysis)).toEqual([]);
  });
});

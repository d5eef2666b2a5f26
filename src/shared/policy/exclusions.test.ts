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

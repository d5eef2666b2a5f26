import { describe, expect, it } from 'vitest';
import jilin from '../../../resources/policy/jilin-2025.json';
import kaifeng from '../../../resources/policy/kaifeng-2023.json';
import mente from '../../../resources/policy/mente-qualification-54.json';
import shanxi from '../../../resources/policy/shanxi-2025.json';
import wuhu from '../../../resources/policy/wuhu-2025.json';
import { BUNDLED_PACKS, describeSource, parsePolicyPack, type PolicyPack } from './index';

const FILES: Record<string, unknown> = {
  'shanxi-2025.json': shanxi,
  'kaifeng-2023.json': kaifeng,
  'jilin-2025.json': jilin,
  'wuhu-2025.json': wuhu,
  'mente-qualification-54.json': mente,
};

function load(json: unknown): PolicyPack {
  const r = parsePolicyPack(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.pack;
}

/** Every `{ value, source }` and every `source` field in a pack. */
function sources(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => sources(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'source') out.push(v);
      else sources(v, out);
    }
  }
  return out;
}

describe('bundled packs', () => {
  it('lists every shipped file, each parsing and named after its id', () => {
    expect([...BUNDLED_PACKS].sort()).toEqual(Object.keys(FILES).sort());
    for (const [file, json] of Object.entries(FILES)) {
      const pack = load(json);
      expect(`${pack.id}.json`).toBe(file);
      // Every section and item names a declared document or says it is an example.
      for (const s of sources(pack)) expect(s).toSatisfy((x: object) => 'doc' in x || 'example' in x);
    }
  });

  it('004: Shanxi lists 46 diseases, 11 special and 35 chronic, with the names of the report', () => {
    const p = load(shanxi);
    expect(p.diseases).toHaveLength(46);
    const special = p.diseases.filter((d) => d.category === 'special').map((d) => d.name);
    expect(special).toEqual([
      '恶性肿瘤门诊治疗', '器官移植抗排异治疗', '血友病', '尿毒症透析', '结核病', '重性精神疾病',
      '再生障碍性贫血（慢性）', '原发性骨髓纤维化', '真性红细胞增多症', '原发性血小板增多症', '免疫性血小板减少症（原发性）',
    ]);
    const psych = p.diseases.find((d) => d.name === '重性精神疾病')!;
    expect(psych.variants.map((v) => v.name)).toEqual(['精神分裂症', '双相障碍', '妄想性障碍', '分裂情感性障碍', '癫痫性精神病', '重度以上精神发育迟滞']);
    const chronic = p.diseases.filter((d) => d.category === 'chronic').map((d) => d.name);
    expect(chronic).toHaveLength(35);
    expect(chronic).toEqual(expect.arrayContaining(['糖尿病（合并严重并发症）', '高血压3级（极高危）', '克山病', '干燥综合征']));
    expect(p.diseases.every((d) => 'doc' in d.source && d.source.doc === '004')).toBe(true);
    expect(p.exclusions).toHaveLength(8);
    expect(p.benefits).toMatchObject({
      reimbursementRatio: { value: 0.7 },
      deductible: { value: 0 },
      chronicLimitPeriod: { value: 'quarter' },
      stacking: { kind: 'highest-plus-shares', extraCount: 2, extraShare: 0.5, source: { doc: '004' } },
    });
    expect(p.process.completionLimitWorkingDays).toMatchObject({ value: 20, source: { doc: '004' } });
    expect(p.process.handledAtOnce?.codes).toHaveLength(3);
    // Codes are unverified until checked against the region's 1309 download.
    expect(p.diseases.every((d) => !d.codeVerified)).toBe(true);
  });

  it('002: Kaifeng is a random process with 48 h acceptance, 3 refusals, 20 working days, 15 MB', () => {
    const p = load(kaifeng);
    expect(p.process.kind).toBe('random');
    expect(p.process.stages.map((s) => [s.label, s.reviewers, s.tieBreak?.label ?? null])).toEqual([
      ['初审', 1, null],
      ['终审', 2, '终审（第三名专家）'],
    ]);
    expect(p.process.acceptanceWindowHours?.value).toBe(48);
    expect(p.process.refusalLimit?.value).toBe(3);
    expect(p.process.completionLimitWorkingDays?.value).toBe(20);
    expect(p.materials.maxTotalBytes?.value).toBe(15 * 1024 * 1024);
    expect(p.materials.recordWindowMonths).toMatchObject({ inpatient: { value: 24 }, outpatient: { value: 6 } });
    // No disease list in 002: the list is an example, and the pack says so.
    expect(p.diseases.every((d) => 'example' in d.source)).toBe(true);
    expect(p.notes.join()).toContain('示例');
  });

  it('000: Jilin physicians need 副高+ (中级+ at grassroots), at most 2 per department; chain with the 医保办 re-check', () => {
    const p = load(jilin);
    expect(p.physicians).toMatchObject({
      excludeAssistants: { value: true, source: { doc: '000' } },
      minTitle: { value: 'associate-senior' },
      minTitleGrassroots: { value: 'intermediate' },
      maxPerDepartment: { value: 2 },
    });
    expect(p.process.kind).toBe('chain');
    expect(p.process.stages.map((s) => s.role)).toEqual(['physician', 'office']);
    expect(p.institutions?.certify.special.levels).toEqual(['level-2', 'level-3']);
  });

  it('001: Wuhu screens each March for 24 months without cost and adjusts off-site ratios', () => {
    const p = load(wuhu);
    expect(p.reReview.inactivity).toMatchObject({ months: 24, screeningMonth: 3, source: { doc: '001' } });
    expect(p.offSite?.adjustments.map((a) => [a.scope, a.referral, a.points])).toEqual([
      ['in-province', true, 5], ['in-province', false, 15], ['cross-province', true, 10], ['cross-province', false, 20],
    ]);
    expect(p.benefits.designatedHospital?.codes).toHaveLength(3);
  });

  it('003: the qualification form lists 54 diseases, each offering both rights', () => {
    const p = load(mente);
    expect(p.diseases).toHaveLength(54);
    expect(p.diseases.every((d) => d.rights?.certify && d.rights.treat)).toBe(true);
    expect(p.diseases[0]!.name).toBe('慢性阻塞性肺疾病');
    expect(p.diseases[53]!.name).toBe('血管炎');
    expect(p.institutionQualification).toMatchObject({
      completionNoticeWorkingDays: { value: 5 }, reviewWorkingDays: { value: 30 }, evaluationWorkingDays: { value: 60 }, publicationWorkingDays: { value: 3 },
    });
    expect(p.region.code).toBeNull();
  });
});

describe('importing a pack (administrator)', () => {
  it('rejects an invalid file with a readable list of every error', () => {
    const bad = structuredClone(shanxi) as Record<string, unknown> & { diseases: Record<string, unknown>[]; exclusions: { members: string[] }[] };
    bad.diseases[0]!.code = 'M123';
    bad.diseases[1]!.category = 'rare';
    bad.exclusions[7]!.members = ['M05300', 'M99999'];
    bad.version = '';
    const r = parsePolicyPack(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toEqual(expect.arrayContaining([
        'diseases[0]（恶性肿瘤门诊治疗）.code：病种代码须为 M 加 5 位数字',
        expect.stringMatching(/^diseases\[1\]（器官移植抗排异治疗）\.category：/),
        expect.stringMatching(/^version：/),
      ]));
    }
    // Cross-references are checked once the fields are well-formed.
    const bad2 = structuredClone(shanxi) as typeof bad;
    bad2.exclusions[7]!.members = ['M05300', 'M99999'];
    const r2 = parsePolicyPack(JSON.stringify(bad2));
    expect(r2).toEqual({ ok: false, errors: ['exclusions[7]（asthma-x-copd）.members[1]：病种代码“M99999”不在本包病种目录中'] });
  });

  it('rejects duplicate codes, undeclared documents and unknown keys', () => {
    const bad = structuredClone(shanxi) as { diseases: { code: string }[]; sources: unknown[]; extra?: number };
    bad.diseases[5]!.code = bad.diseases[4]!.code;
    bad.sources = bad.sources.slice(1);
    const r = parsePolicyPack(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.some((e) => e.includes('重复'))).toBe(true);
      expect(r.errors.some((e) => e.includes('来源文件“004”未在 sources 中声明'))).toBe(true);
    }
    const r2 = parsePolicyPack({ ...(shanxi as object), extra: 1 });
    expect(r2.ok).toBe(false);
    expect(parsePolicyPack('not json')).toMatchObject({ ok: false, errors: [expect.stringContaining('不是有效的 JSON')] });
    expect(parsePolicyPack(null)).toMatchObject({ ok: false });
  });

  it('describes a source for the policy page', () => {
    const p = load(wuhu);
    expect(describeSource(p.reReview.inactivity!.source, p.sources)).toMatch(/^001《关于加强门诊慢特病综合管理的实施意见（试行）》：每年 3 月/);
    expect(describeSource({ example: true, note: '金额为示例' })).toBe('示例（未经地区确认）：金额为示例');
  });
});

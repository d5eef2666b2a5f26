import { describe, expect, it } from 'vitest';
import kaifengJson from '../../../resources/policy/kaifeng-2023.json';
import shanxiJson from '../../../resources/policy/shanxi-2025.json';
import { parsePolicyPack, type PolicyPack } from './index';
import { checkMaterials, type ApplicationFacts, type MaterialFacts } from './materials';

function load(json: unknown): PolicyPack {
  const r = parsePolicyPack(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.pack;
}
const kaifeng = load(kaifengJson);
const DM = kaifeng.diseases.find((d) => d.name === '糖尿病')!.code;
const HTN = kaifeng.diseases.find((d) => d.name === '高血压病')!.code;
const MB = 1024 * 1024;
const ON = '2026-11-23';

const identity: MaterialFacts = { id: 'id', kind: 'identity', sizeBytes: 1 * MB };
const rec = (over: Partial<MaterialFacts> = {}): MaterialFacts => ({
  id: 'r1', kind: 'medical-record', fileName: '出院记录.pdf', sizeBytes: 3 * MB, diseaseCode: DM, recordKind: 'inpatient', recordDate: '2026-03-10', stamped: true, ...over,
});
const app = (materials: MaterialFacts[], over: Partial<ApplicationFacts> = {}): ApplicationFacts => ({ diseaseCodes: [DM], materials, offSiteResident: false, ...over });
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);
const check = (a: ApplicationFacts, on = ON) => checkMaterials(kaifeng, a, on);

describe('checkMaterials (002 申报材料)', () => {
  it('a complete application has no issues', () => {
    expect(check(app([identity, rec()]))).toEqual([]);
  });

  it('002: uploads together at most 15 MB', () => {
    expect(check(app([identity, rec({ sizeBytes: 14 * MB })]))).toEqual([]);
    const over = check(app([identity, rec({ sizeBytes: 14 * MB + 1 })]));
    expect(over).toEqual([{ code: 'total-size-exceeded', message: '上传材料合计 15.1 MB，超过 15.0 MB 的上限', source: '002' }]);
  });

  it('002: inpatient records within 2 years, outpatient within 6 months (boundary day included)', () => {
    expect(check(app([identity, rec({ recordDate: '2024-11-23' })]))).toEqual([]);
    const old = check(app([identity, rec({ recordDate: '2024-11-22' })]));
    expect(old).toMatchObject([{ code: 'record-too-old', materialId: 'r1', diseaseCode: DM, source: '002' }]);
    expect(old[0]!.message).toBe('“糖尿病”的住院病历“出院记录.pdf”日期 2024-11-22 超过近 2 年（应不早于 2024-11-23）');
    expect(check(app([identity, rec({ recordKind: 'outpatient', recordDate: '2026-05-23' })]))).toEqual([]);
    expect(codes(check(app([identity, rec({ recordKind: 'outpatient', recordDate: '2026-05-22' })])))).toEqual(['record-too-old']);
    // An inpatient record of that age is still fine: the window depends on the kind.
    expect(check(app([identity, rec({ recordKind: 'inpatient', recordDate: '2026-05-22' })]))).toEqual([]);
  });

  it('record windows across leap days and short months', () => {
    // 2026-02-28 − 2 years = 2024-02-28, so the leap day 2024-02-29 is inside.
    expect(check(app([identity, rec({ recordDate: '2024-02-29' })]), '2026-02-28')).toEqual([]);
    expect(codes(check(app([identity, rec({ recordDate: '2024-02-27' })]), '2026-02-28'))).toEqual(['record-too-old']);
    // 2026-08-31 − 6 months = 2026-02-28 (no 31st in February).
    expect(check(app([identity, rec({ recordKind: 'outpatient', recordDate: '2026-02-28' })]), '2026-08-31')).toEqual([]);
    expect(codes(check(app([identity, rec({ recordKind: 'outpatient', recordDate: '2026-02-27' })]), '2026-08-31'))).toEqual(['record-too-old']);
    // Applying on a leap day: 2024-02-29 − 6 months = 2023-08-29.
    expect(codes(check(app([identity, rec({ recordKind: 'outpatient', recordDate: '2023-08-28' })]), '2024-02-29'))).toEqual(['record-too-old']);
  });

  it('002: one record per disease; two for one disease is reported', () => {
    const issues = check(app([identity, rec(), rec({ id: 'r2', fileName: '门诊病历.pdf', recordKind: 'outpatient', recordDate: '2026-10-01' })]));
    expect(issues).toEqual([{ code: 'duplicate-record', message: '“糖尿病”上传了 2 份病历，每个病种只需一份', source: '002', diseaseCode: DM }]);
  });

  it('002: long-term off-site residents add the registration form', () => {
    expect(codes(check(app([identity, rec()], { offSiteResident: true })))).toEqual(['missing-offsite-form']);
    expect(check(app([identity, rec(), { id: 'f', kind: 'off-site-form', sizeBytes: MB }], { offSiteResident: true }))).toEqual([]);
  });

  it('lists every missing or invalid item at once, for the one-time notice (000/003)', () => {
    const issues = check(
      app(
        [
          rec({ id: 'a', stamped: false, recordDate: '2023-01-01', sizeBytes: 16 * MB }),
          rec({ id: 'b', diseaseCode: 'M05300', fileName: undefined }),
          rec({ id: 'c', diseaseCode: undefined }),
        ],
        { diseaseCodes: [DM, HTN, 'M99999'], offSiteResident: true },
      ),
    );
    expect(codes(issues)).toEqual([
      'missing-identity',
      'record-not-stamped',
      'record-too-old',
      'missing-record',
      'unknown-disease',
      'record-for-other-disease',
      'record-for-other-disease',
      'total-size-exceeded',
      'missing-offsite-form',
    ]);
    expect(issues.find((i) => i.code === 'missing-record')?.message).toBe('缺少“高血压病”的病历资料');
  });

  it('reports undated, future and unclassified records', () => {
    expect(codes(check(app([identity, rec({ recordDate: undefined })])))).toEqual(['record-undated']);
    expect(codes(check(app([identity, rec({ recordDate: '2026-13-01' })])))).toEqual(['record-undated']);
    expect(codes(check(app([identity, rec({ recordDate: '2026-11-24' })])))).toEqual(['record-in-future']);
    expect(codes(check(app([identity, rec({ recordKind: undefined })])))).toEqual(['record-kind-missing']);
  });

  it('names the source: 002 in Kaifeng, 示例 where a region borrowed the rule', () => {
    const shanxi = load(shanxiJson);
    const copd = shanxi.diseases.find((d) => d.name === '慢性阻塞性肺疾病')!.code;
    const [i] = checkMaterials(shanxi, { diseaseCodes: [copd], materials: [identity], offSiteResident: false }, ON);
    expect(i).toMatchObject({ code: 'missing-record', source: '示例' });
  });
});

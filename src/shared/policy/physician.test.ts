import { describe, expect, it } from 'vitest';
import jilinJson from '../../../resources/policy/jilin-2025.json';
import { parsePolicyPack, type PolicyPack } from './index';
import { checkDepartmentQuota, checkPhysician, type InstitutionFacts, type PhysicianFacts, type RegistryRecord } from './physician';

const parsed = parsePolicyPack(jilinJson);
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const jilin: PolicyPack = parsed.pack;
const code = (name: string) => jilin.diseases.find((d) => d.name === name)!.code;
const CHD = code('冠心病');
const HTN = code('高血压病');
const CANCER = code('恶性肿瘤门诊治疗');
const ON = '2026-11-23';

const hospital: InstitutionFacts = { code: 'H22010100001', level: 'level-3', kind: 'general' };
const township: InstitutionFacts = { code: 'H22010100002', level: 'level-1', kind: 'grassroots' };

const record = (over: Partial<RegistryRecord> = {}): RegistryRecord => ({
  physicianId: 'p1',
  institutionCode: hospital.code!,
  department: '心血管内科',
  registeredOn: '2025-06-01',
  expiresOn: null,
  invalidOn: null,
  ...over,
});

const doctor = (over: Partial<PhysicianFacts> = {}): PhysicianFacts => ({
  id: 'p1',
  name: '测试医师甲',
  licence: 'physician',
  title: 'associate-senior',
  department: '心血管内科',
  practiceScopes: ['内科专业'],
  paymentQualifications: [{ code: 'D220101000001', from: '2024-01-01', to: null }],
  registry: [record()],
  ...over,
});

const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('checkPhysician (000 认定医师条件)', () => {
  it('a 副主任医师 of cardiology, registered and qualified, may certify 冠心病', () => {
    expect(checkPhysician(jilin, doctor(), hospital, CHD, ON)).toEqual([]);
  });

  it('000: an assistant physician may not certify', () => {
    const [i] = checkPhysician(jilin, doctor({ licence: 'assistant' }), hospital, CHD, ON);
    expect(i).toEqual({ code: 'assistant-physician', message: '执业助理医师不能担任认定医师', source: '000' });
  });

  it('000: payment qualification must hold on the date (open, ended, not yet begun, ends that day)', () => {
    const on = (q: PhysicianFacts['paymentQualifications']) => codes(checkPhysician(jilin, doctor({ paymentQualifications: q }), hospital, CHD, ON));
    expect(on([{ from: '2024-01-01', to: '2026-06-30' }])).toEqual(['no-payment-qualification']);
    expect(on([{ from: '2026-12-01', to: null }])).toEqual(['no-payment-qualification']);
    expect(on([])).toEqual(['no-payment-qualification']);
    expect(on([{ from: '2024-01-01', to: ON }])).toEqual([]);
    expect(on([{ from: '2024-01-01', to: '2025-01-01' }, { from: '2025-06-01', to: null }])).toEqual([]);
  });

  it('000: 副高 and above; 中级 is enough at a township or community centre', () => {
    const [i] = checkPhysician(jilin, doctor({ title: 'intermediate' }), hospital, CHD, ON);
    expect(i).toMatchObject({ code: 'title-too-low', message: '职称为中级，三级医疗机构认定须副高级及以上', source: '000' });
    const grassroots = doctor({ title: 'intermediate', registry: [record({ institutionCode: township.code! })] });
    expect(checkPhysician(jilin, grassroots, township, CHD, ON)).toEqual([]);
    expect(codes(checkPhysician(jilin, { ...grassroots, title: 'junior' }, township, CHD, ON))).toEqual(['title-too-low']);
  });

  it('000: some diseases allow 初级 (高血压病 in this example pack)', () => {
    expect(checkPhysician(jilin, doctor({ title: 'junior' }), hospital, HTN, ON)).toEqual([]);
    const [i] = checkPhysician(jilin, doctor({ title: 'junior' }), hospital, CHD, ON);
    expect(i?.code).toBe('title-too-low');
  });

  it('000: department and scope of practice must match the disease', () => {
    const issues = checkPhysician(jilin, doctor({ department: '内分泌科', practiceScopes: ['外科专业'] }), hospital, CHD, ON);
    expect(codes(issues)).toEqual(['department-mismatch', 'scope-mismatch']);
    expect(issues[0]!.message).toBe('科室“内分泌科”与病种“冠心病”不相符（应为：心血管内科）');
  });

  it('000: the registry keeps expired and invalid records; either blocks certification', () => {
    const expired = checkPhysician(jilin, doctor({ registry: [record({ expiresOn: '2026-10-31' })] }), hospital, CHD, ON);
    expect(expired).toEqual([{ code: 'registry-expired', message: '认定医师备案已于 2026-10-31 过期', source: '000' }]);
    const invalid = checkPhysician(jilin, doctor({ registry: [record({ invalidOn: '2026-09-01', invalidReason: '调离本院' })] }), hospital, CHD, ON);
    expect(invalid).toEqual([{ code: 'registry-invalid', message: '认定医师备案已于 2026-09-01 失效（调离本院）', source: '000' }]);
    expect(codes(checkPhysician(jilin, doctor({ registry: [] }), hospital, CHD, ON))).toEqual(['not-registered']);
    expect(codes(checkPhysician(jilin, doctor({ registry: [record({ institutionCode: 'OTHER' })] }), hospital, CHD, ON))).toEqual(['not-registered']);
    // An old expired record next to a current one is fine: history is kept, not deleted.
    const renewed = [record({ registeredOn: '2023-01-01', expiresOn: '2024-12-31' }), record({ registeredOn: '2025-01-01' })];
    expect(checkPhysician(jilin, doctor({ registry: renewed }), hospital, CHD, ON)).toEqual([]);
    // Expiry is inclusive: the last day still counts; an invalid date does not.
    expect(checkPhysician(jilin, doctor({ registry: [record({ expiresOn: ON })] }), hospital, CHD, ON)).toEqual([]);
    expect(codes(checkPhysician(jilin, doctor({ registry: [record({ invalidOn: ON })] }), hospital, CHD, ON))).toEqual(['registry-invalid']);
  });

  it('000: special diseases are certified at level-2+ or specialist institutions only', () => {
    const oncologist = doctor({ department: '肿瘤科', title: 'associate-senior', registry: [record({ institutionCode: township.code!, department: '肿瘤科' })] });
    const issues = checkPhysician(jilin, oncologist, township, CANCER, ON);
    expect(codes(issues)).toEqual(['institution-not-eligible']);
    expect(issues[0]!.message).toBe('本机构（一级）不在门诊特病认定机构范围内');
    const specialist: InstitutionFacts = { ...township, level: 'level-1', kind: 'specialist' };
    expect(checkPhysician(jilin, oncologist, specialist, CANCER, ON)).toEqual([]);
  });

  it('003: an institution granted rights per disease must hold the certification right', () => {
    const withRights: InstitutionFacts = { ...hospital, rights: { [CHD]: { certify: false, treat: true } } };
    expect(codes(checkPhysician(jilin, doctor(), withRights, CHD, ON))).toEqual(['institution-no-right']);
    expect(checkPhysician(jilin, doctor(), { ...hospital, rights: { [CHD]: { certify: true, treat: true } } }, CHD, ON)).toEqual([]);
  });

  it('lists every reason at once; an unknown disease is the only reason', () => {
    const all = doctor({ licence: 'assistant', title: 'junior', department: '眼科', practiceScopes: [], paymentQualifications: [], registry: [] });
    expect(codes(checkPhysician(jilin, all, hospital, CHD, ON))).toEqual([
      'assistant-physician', 'no-payment-qualification', 'title-too-low', 'department-mismatch', 'scope-mismatch', 'not-registered',
    ]);
    expect(codes(checkPhysician(jilin, all, hospital, 'M99999', ON))).toEqual(['unknown-disease']);
  });
});

describe('checkDepartmentQuota (000: 每科室一般不超过 2 名)', () => {
  const r = (id: string, over: Partial<RegistryRecord> = {}) => record({ physicianId: id, ...over });

  it('counts distinct physicians active on the date in that department of that institution', () => {
    const registry = [
      r('a'),
      r('a', { registeredOn: '2023-01-01', expiresOn: '2024-12-31' }),
      r('b', { expiresOn: '2026-01-31' }),
      r('c', { department: '内分泌科' }),
      r('d', { institutionCode: 'OTHER' }),
      r('e', { registeredOn: '2027-01-01' }),
    ];
    expect(checkDepartmentQuota(jilin, registry, hospital, '心血管内科', ON)).toEqual({
      department: '心血管内科',
      limit: 2,
      physicianIds: ['a'],
      count: 1,
      status: 'ok',
      message: '心血管内科现有认定医师 1 名，还可备案 1 名',
      source: '000',
    });
  });

  it('full at two, over at three (a warning: the rule says 一般)', () => {
    expect(checkDepartmentQuota(jilin, [r('a'), r('b')], hospital, '心血管内科', ON)).toMatchObject({ status: 'full', count: 2 });
    const over = checkDepartmentQuota(jilin, [r('a'), r('b'), r('c')], hospital, '心血管内科', ON);
    expect(over).toMatchObject({ status: 'over', count: 3, message: '心血管内科有 3 名认定医师，超过每科室一般不超过 2 名的规定' });
    expect(checkDepartmentQuota(jilin, [r('a'), r('b', { invalidOn: '2026-05-01' })], hospital, '心血管内科', ON)).toMatchObject({ status: 'ok', count: 1 });
  });

  it('unlimited where the region sets no number', () => {
    const open: PolicyPack = { ...jilin, physicians: { ...jilin.physicians, maxPerDepartment: { value: null, source: { example: true, note: '测试' } } } };
    expect(checkDepartmentQuota(open, [r('a'), r('b'), r('c')], hospital, '心血管内科', ON)).toMatchObject({ status: 'unlimited', count: 3 });
  });
});

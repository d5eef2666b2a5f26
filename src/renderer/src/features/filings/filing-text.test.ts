/**
 * What the 新建备案 form checks before queuing (FilingForm's save: filingMessage, then
 * validateMessage) refuses text the platform cannot carry, on the form field it came from.
 */
import { describe, expect, it } from 'vitest';
import { validateMessage } from '../../../../shared/sync/validate-message';
import { DRAFT_FIELD_OF, filingMessage, type FilingDraft } from './filing-message';

const draft: FilingDraft = {
  psnNo: '14000090000000000001',
  psnName: '张演示',
  insutype: '390',
  insuplcAdmdvs: '140000',
  diseaseCode: 'M03900',
  diseaseName: '高血压',
  hospIdeDate: '2025-05-30',
  begndate: '2025-06-01',
  physicianCode: 'D140105000001',
  physicianName: '李医生',
  institutionCode: 'H14010500001',
  institutionName: '山西省示例人民医院',
  tel: '13800000000',
  addr: '太原市小店区坞城路１２号、３单元',
};

describe('the filing form refuses text the platform cannot carry', () => {
  it('passes ordinary Chinese text', () => {
    expect(validateMessage(filingMessage({ ...draft, physicianName: '阿卜杜·买买提' }))).toEqual([]);
  });

  it('refuses a NUL in the address, on the address field', () => {
    const issues = validateMessage(filingMessage({ ...draft, addr: '太原市\u0000坞城路' }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'input.data.addr', label: '联系地址' });
    expect(issues[0]!.message).toContain('含有平台无法接收的控制字符');
    expect(DRAFT_FIELD_OF[issues[0]!.path.split('.').pop()!]).toBe('addr');
  });

  it('refuses a tab inside the physician name and a lone surrogate in the telephone', () => {
    const issues = validateMessage(filingMessage({ ...draft, physicianName: '李\t医生', tel: '138\ud800' }));
    expect(issues.map((i) => i.label)).toEqual(['联系电话', '诊断医师姓名']);
    expect(issues[0]!.message).toMatch(/^含有无效的 Unicode 字符/);
    expect(issues[1]!.message).toMatch(/^含有平台无法接收的控制字符（第 2 个字符，U\+0009 制表符）/);
  });
});

/**
 * Text the national table cannot carry — control characters and lone surrogates — is refused by
 * validation, naming the field, before a message is queued (and by the sandbox when one arrives).
 */
import { describe, expect, it } from 'vitest';
import { buildEnvelope, buildMsgid, unsendableText, unsendableTextIssues, validateInput, validateRequest, type EnvelopeSender } from './index';

const filingData = {
  psn_no: '14010090000000000001',
  insutype: '310',
  opsp_dise_code: 'M03900',
  opsp_dise_name: '高血压',
  tel: '13800000000',
  addr: '太原市示例路 1 号',
  insu_optins: '140100',
  ide_fixmedins_no: 'H14010500001',
  ide_fixmedins_name: '山西省示例人民医院',
  hosp_ide_date: '2025-05-30',
  diag_dr_codg: 'D140105000001',
  diag_dr_name: '李医生',
  begndate: '2025-06-01',
  enddate: '2027-05-31',
};

const personInput = (psn_name: string) => ({
  data: { mdtrt_cert_type: '02', mdtrt_cert_no: '140105197001010011', psn_cert_type: '01', certno: '140105197001010011', psn_name },
});

const revocation = (memo: string) => ({ data: { trt_dcla_detl_sn: '140000202506011000001', psn_no: '14010090000000000001', memo } });

function refused(infno: string, input: unknown) {
  const v = validateInput(infno, input);
  expect(v.ok).toBe(false);
  if (v.ok) throw new Error('accepted');
  return v;
}

describe('text the platform cannot carry', () => {
  it('refuses a NUL in addr, naming the field', () => {
    const v = refused('2503', { data: { ...filingData, addr: '太原市\u0000示例路' } });
    expect(v.issues).toEqual([
      { path: 'input.data.addr', label: '联系地址', message: '含有平台无法接收的控制字符（第 4 个字符，U+0000 空字符），请删除后再保存' },
    ]);
    expect(v.message).toBe('input.data.addr（联系地址）: 含有平台无法接收的控制字符（第 4 个字符，U+0000 空字符），请删除后再保存');
  });

  it('refuses a lone surrogate in psn_name', () => {
    for (const name of ['张\ud800三', '张三\udc00', '\ud83d']) {
      const v = refused('1101', personInput(name));
      expect(v.issues).toHaveLength(1);
      expect(v.issues[0]).toMatchObject({ path: 'input.data.psn_name', label: '人员姓名' });
      expect(v.issues[0]!.message).toMatch(/^含有无效的 Unicode 字符（第 \d 个字符，不成对的代理项 U\+D[89A-F][0-9A-F]{2}）/);
    }
  });

  it('refuses C1 controls (U+0085 NEL, U+0080, U+009F) and DEL', () => {
    expect(refused('2503', { data: { ...filingData, diag_dr_name: '李\u0085医生' } }).message).toBe(
      'input.data.diag_dr_name（诊断医师姓名）: 含有平台无法接收的控制字符（第 2 个字符，U+0085 下一行符），请删除后再保存',
    );
    expect(refused('2503', { data: { ...filingData, opsp_dise_name: '高血压\u0080' } }).issues[0]!.message).toContain('U+0080');
    expect(refused('2503', { data: { ...filingData, ide_fixmedins_name: '\u009f医院' } }).issues[0]!.message).toContain('U+009F');
    expect(refused('2503', { data: { ...filingData, tel: '138\u007f' } }).issues[0]!.message).toContain('U+007F 删除符');
  });

  it('refuses a tab in any field, and a line break in a single-line field', () => {
    expect(refused('2503', { data: { ...filingData, addr: '太原市\t示例路' } }).issues[0]!.message).toContain('U+0009 制表符');
    expect(refused('2503', { data: { ...filingData, addr: '太原市\n示例路' } }).issues[0]!.message).toContain('U+000A 换行符');
    expect(refused('2503', { data: { ...filingData, tel: '\r13800000000' } }).issues[0]!.message).toContain('U+000D 回车符');
    expect(refused('2504', revocation('诊断有误\t重新备案')).issues[0]).toMatchObject({ path: 'input.data.memo', label: '备注' });
  });

  it('allows line breaks in a multi-line free-text field (the revocation reason)', () => {
    expect(validateInput('2504', revocation('诊断有误，\n撤销后重新备案\r\n')).ok).toBe(true);
    expect(refused('2504', revocation('诊断有误\u0000')).issues[0]!.message).toContain('U+0000');
  });

  it('names every offending field, beside the table rules', () => {
    const v = refused('2503', { data: { ...filingData, addr: 'a\u0001', diag_dr_name: 'b\u001f', insu_optins: '1401' } });
    expect(v.issues.map((i) => i.path)).toEqual(['input.data.insu_optins', 'input.data.addr', 'input.data.diag_dr_name']);
  });

  it('looks at fields the table does not know and at key names, since the message is sent as written', () => {
    expect(refused('2503', { data: { ...filingData, extra: 'x\u0000' } }).issues[0]!.path).toBe('input.data.extra');
    const key = refused('5301', { data: { psn_no: 'P1', ['x\u0000']: 1 } });
    expect(key.issues[0]).toMatchObject({ path: 'input.data', label: null });
    expect(key.issues[0]!.message).toMatch(/^其中一个字段名含有平台无法接收的控制字符/);
  });

  it('passes ordinary Chinese text: ·, 、, full-width characters, emoji, ideographic space', () => {
    const text = {
      addr: '太原市小店区坞城路１２号（Ａ座）、３单元　５０２室',
      diag_dr_name: '阿卜杜·买买提',
      opsp_dise_name: '高血压３级（极高危）；“合并”症',
      ide_fixmedins_name: '山西省人民医院—东院🏥',
      tel: '０３５１－１２３４５６７',
    };
    expect(validateInput('2503', { data: { ...filingData, ...text } })).toMatchObject({ ok: true });
    expect(validateInput('1101', personInput('欧阳·娜娜')).ok).toBe(true);
    for (const value of Object.values(text)) expect(unsendableText(value)).toBeNull();
    expect(unsendableText('\u00a0\u00ff\ud7ff\ue000\uffff𠀀')).toBeNull();
  });

  it('counts the position in characters, a surrogate pair as one', () => {
    expect(unsendableText('🙂🙂\u0007')).toBe('含有平台无法接收的控制字符（第 3 个字符，U+0007），请删除后再保存');
  });

  it('checks the envelope fields in validateRequest', () => {
    const sender: EnvelopeSender = {
      fixmedinsCode: 'H14010500001',
      fixmedinsName: '山西省示例人民医院',
      mdtrtareaAdmvs: '140100',
      recerSysCode: 'OPSPWS',
      opter: 'clerk01',
      opterName: '王\u0000测试',
    };
    const now = new Date(Date.UTC(2025, 5, 1, 2, 0, 0));
    const env = buildEnvelope({ infno: '2503', input: { data: { ...filingData, addr: '\u0000' } }, msgid: buildMsgid(sender.fixmedinsCode, now, 1), now, sender, signNo: 'S1', insuplcAdmdvs: '140100' });
    const v = validateRequest(env);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues.map((i) => i.path)).toEqual(['opter_name']);
    expect(v.issues[0]!.label).toBe('经办人姓名');
    // Once the envelope is fixed, the input's problem is reported.
    const input = validateRequest({ ...env, opter_name: '王测试' });
    expect(!input.ok && input.issues.map((i) => i.path)).toEqual(['input.data.addr']);
  });

  it('walks deep bodies without recursion', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(unsendableTextIssues(deep)).toHaveLength(1);
  });
});

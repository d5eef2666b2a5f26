import { describe, expect, it } from 'vitest';
import {
  buildEnvelope,
  buildMsgid,
  describeFieldIssues,
  envelopeRequestSchema,
  envelopeResponseSchema,
  normalizeInfcode,
  validateInput,
  validateRequest,
  type EnvelopeSender,
} from './index';

const sender: EnvelopeSender = {
  fixmedinsCode: 'H14010500001',
  fixmedinsName: '山西省示例人民医院',
  mdtrtareaAdmvs: '140100',
  recerSysCode: 'OPSPWS',
  opter: 'clerk01',
  opterName: '王测试',
};
const now = new Date(Date.UTC(2025, 5, 1, 2, 0, 0));

const filingData = {
  psn_no: '14010090000000000001',
  insutype: '310',
  opsp_dise_code: 'M03900',
  opsp_dise_name: '高血压',
  tel: '',
  addr: null,
  insu_optins: '140100',
  ide_fixmedins_no: 'H14010500001',
  ide_fixmedins_name: '山西省示例人民医院',
  hosp_ide_date: '2025-05-30',
  diag_dr_codg: 'D140105000001',
  diag_dr_name: '李医生',
  begndate: '2025-06-01',
  enddate: '2027-05-31',
};

function envelope(infno: string, input: Record<string, unknown>, extra: Partial<Parameters<typeof buildEnvelope>[0]> = {}) {
  return buildEnvelope({ infno, input, msgid: buildMsgid(sender.fixmedinsCode, now, 1), now, sender, signNo: 'S1', ...extra });
}

describe('envelope', () => {
  it('builds every field of the national envelope', () => {
    const env = envelope('2503', { data: filingData }, { insuplcAdmdvs: '140100' });
    expect(env.inf_time).toBe('2025-06-01 10:00:00');
    expect(env.infver).toBe('V1.0');
    expect(env.opter_type).toBe('1');
    expect(envelopeRequestSchema.safeParse(env).success).toBe(true);
    const v = validateRequest(env);
    expect(v.ok).toBe(true);
  });

  it('names missing and over-long fields', () => {
    const env: Record<string, unknown> = { ...envelope('2503', { data: filingData }), msgid: 'x'.repeat(31) };
    delete env.opter;
    const v = validateRequest(env);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.message).toContain('msgid（发送方报文ID）: 长度应为 30');
    expect(v.message).toContain('opter（经办人）: 必填');
  });

  it('requires the msgid to start with the institution code', () => {
    const env = { ...envelope('9001', { signIn: { opter_no: 'a', mac: 'b', ip: 'c' } }), fixmedins_code: 'H99999999999' };
    const v = validateRequest(env);
    expect(!v.ok && v.message).toContain('msgid（发送方报文ID）: 前 12 位应与 fixmedins_code 一致');
  });

  it('requires insuplc_admdvs when the input carries a psn_no', () => {
    const v = validateRequest(envelope('5301', { data: { psn_no: 'P1' } }));
    expect(!v.ok && v.message).toBe('insuplc_admdvs（参保地医保区划）: 交易输入含人员编号时必填');
  });

  it('refuses an unknown infno and a body that is not an object', () => {
    expect(validateInput('8888', {}).ok).toBe(false);
    const v = validateRequest([1, 2]);
    expect(!v.ok && v.message).toContain('报文应为 JSON 对象');
  });

  it('reads a response with infcode as a number or a string', () => {
    expect(normalizeInfcode('-1')).toBe(-1);
    expect(normalizeInfcode(0)).toBe(0);
    expect(normalizeInfcode('ok')).toBeNull();
    expect(normalizeInfcode(0.5)).toBeNull();
    const r = envelopeResponseSchema.parse({ infcode: '0', output: { a: 1 }, extra: true });
    expect(r.infcode).toBe(0);
    expect(envelopeResponseSchema.safeParse({ infcode: 'x' }).success).toBe(false);
  });
});

describe('2503 input', () => {
  it('accepts a complete filing and empty optional fields', () => {
    expect(validateInput('2503', { data: filingData }).ok).toBe(true);
  });

  it('names every bad field with its Chinese name', () => {
    const v = validateInput('2503', {
      data: { ...filingData, psn_no: '', opsp_dise_name: 'x'.repeat(301), hosp_ide_date: '2025/05/30', insutype: '999', enddate: '2025-01-01' },
    });
    expect(v.ok).toBe(false);
    if (v.ok) return;
    const paths = v.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['input.data.psn_no', 'input.data.opsp_dise_name', 'input.data.hosp_ide_date', 'input.data.insutype']),
    );
    expect(v.message).toContain('input.data.psn_no（人员编号）: 必填');
    expect(v.message).toContain('input.data.opsp_dise_name（门慢门特病种名称）: 长度不能超过 300');
    expect(v.message).toContain('日期格式应为 yyyy-MM-dd');
  });

  it('refuses an end date before the start date', () => {
    const v = validateInput('2503', { data: { ...filingData, enddate: '2025-05-01' } });
    expect(!v.ok && v.message).toContain('input.data.enddate（结束日期）: 不能早于开始日期 begndate');
  });

  it('refuses wrong types', () => {
    const v = validateInput('2503', { data: { ...filingData, psn_no: 123 } });
    expect(!v.ok && v.message).toContain('input.data.psn_no（人员编号）: 类型应为字符串');
    const w = validateInput('2503', { data: 'x' });
    expect(!w.ok && w.message).toContain('input.data（数据）: 类型应为对象');
  });
});

describe('other transactions', () => {
  it('1101 needs card_sn for a social-security card', () => {
    expect(validateInput('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '140105198001010011' } }).ok).toBe(true);
    const v = validateInput('1101', { data: { mdtrt_cert_type: '03', mdtrt_cert_no: 'X' } });
    expect(!v.ok && v.message).toContain('input.data.card_sn（卡识别码）');
  });

  it('2504 needs a reason', () => {
    const v = validateInput('2504', { data: { trt_dcla_detl_sn: 'S', psn_no: 'P' } });
    expect(!v.ok && v.message).toContain('input.data.memo（备注）: 必填');
  });

  it('9101 takes base64 text or a byte array', () => {
    const base = { filename: 'a.pdf', fixmedins_code: 'H14010500001' };
    expect(validateInput('9101', { fsUploadIn: { ...base, in: 'aGVsbG8=' } }).ok).toBe(true);
    expect(validateInput('9101', { fsUploadIn: { ...base, in: [104, -1, 255] } }).ok).toBe(true);
    const v = validateInput('9101', { fsUploadIn: { ...base, in: 'not base64!' } });
    expect(!v.ok && v.message).toContain('input.fsUploadIn.in（文件数据）');
  });

  it('the recognition extension is found under its configured code', () => {
    const data = {
      hosp_rcgn_id: 'R1',
      psn_no: 'P1',
      exam_type: '2',
      exam_item_code: 'HBA1C',
      exam_item_name: '糖化血红蛋白',
      src_fixmedins_code: 'H14010500002',
      src_fixmedins_name: '示例医院',
      rpt_date: '2025-05-01',
      hr_flag: '1',
      hr_mark: '晋HR',
      rcgn_rslt: '2',
      psn_infm_flag: '0',
      dr_codg: 'D1',
      dr_name: '李医生',
      rcgn_time: '2025-05-02 09:00:00',
    };
    expect(validateInput('HR01', { data }).ok).toBe(false);
    const v = validateInput('4901', { data }, { recognitionInfno: '4901' });
    expect(!v.ok && describeFieldIssues(v.issues)).toContain('input.data.rept_rea_code（重复检查理由代码）: 重复检查时必填');
    expect(!v.ok && v.message).toContain('input.data.psn_infm_flag');
    expect(validateInput('HR01', { data: { ...data, rcgn_rslt: '1' } }).ok).toBe(true);
    expect(validateInput('HR01', { data: { ...data, rept_rea_code: 'condition-changed', psn_infm_flag: '1' } }).ok).toBe(true);
  });
});

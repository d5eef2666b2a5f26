/**
 * Every transaction of the sandbox and every platform-side rule, over real HTTP on loopback.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildMsgid,
  fileUploadOutputSchema,
  filingQueryOutputSchema,
  isSignInExpiredError,
  parseCatalogueFile,
  personInfoOutputSchema,
  REFMSGID_LENGTH,
  signInOutputSchema,
} from '../../src/shared/platform/index';
import { SandboxClient } from '../../src/sandbox/testing/client';
import { filingData, listPersons, startTestSandbox, type PersonSummary, type TestSandbox } from '../../src/sandbox/testing/harness';

let t: TestSandbox;
let c: SandboxClient;
let people: PersonSummary[];

beforeAll(async () => {
  t = await startTestSandbox({ seedPersons: 30, sessionTtlSeconds: 3600 });
  c = t.client;
  people = await listPersons(c);
});
afterAll(async () => t.dispose());

beforeEach(async () => {
  await c.post('/sandbox/reset', {});
  await c.signIn();
});

type Out = { output: Record<string, unknown> };
const sn = (r: { body: { output: unknown } }) => (r.body.output as { result: { trt_dcla_detl_sn: string } }).result.trt_dcla_detl_sn;

describe('envelope', () => {
  it('answers with the national response envelope', async () => {
    const r = await c.call('5301', { data: { psn_no: people[0]!.psn_no } });
    expect(r.status).toBe(200);
    expect(r.body.infcode).toBe(0);
    const b = r.body as unknown as Record<string, string>;
    expect(b.inf_refmsgid).toHaveLength(REFMSGID_LENGTH);
    expect(b.inf_refmsgid!.startsWith('140000')).toBe(true);
    expect(b.refmsg_time).toMatch(/^\d{17}$/);
    expect(b.respond_time).toMatch(/^\d{17}$/);
    expect(b.respond_time! >= b.refmsg_time!).toBe(true);
  });

  it('dispatches on infno whatever the path under /fsi/api/', async () => {
    for (const path of ['/fsi/api/rsfComIfsService/callService', '/fsi/api/5301', '/fsi/api/a/b/c']) {
      const r = await c.call('5301', { data: { psn_no: people[0]!.psn_no } }, { path });
      expect(r.body.infcode).toBe(0);
    }
  });

  it('names a missing or over-long field', async () => {
    const env = await c.envelope('5301', { data: { psn_no: people[0]!.psn_no } });
    const { opter_name: _drop, ...missing } = env;
    let r = await c.post('/fsi/api/x', missing);
    let b = (await r.json()) as { infcode: number; err_msg: string };
    expect(b).toMatchObject({ infcode: -1 });
    expect(b.err_msg).toContain('opter_name（经办人姓名）: 必填');
    r = await c.post('/fsi/api/x', { ...env, msgid: `${env.msgid}9` });
    b = (await r.json()) as { infcode: number; err_msg: string };
    expect(b.err_msg).toContain('msgid（发送方报文ID）: 长度应为 30');
    r = await c.post('/fsi/api/x', { ...env, input: { data: { psn_no: 'x'.repeat(31) } } });
    b = (await r.json()) as { infcode: number; err_msg: string };
    expect(b.err_msg).toBe('input.data.psn_no（人员编号）: 长度不能超过 30');
  });

  it('refuses an unknown transaction and a missing insuplc_admdvs', async () => {
    let r = await c.call('8888', { data: {} });
    expect(r.body).toMatchObject({ infcode: -1, err_msg: 'infno（交易编号）: 不支持的交易编号 8888' });
    r = await c.call('5301', { data: { psn_no: people[0]!.psn_no } }, { insuplcAdmdvs: '' });
    expect(r.body.err_msg).toContain('insuplc_admdvs');
    r = await c.call('5301', { data: { psn_no: people[0]!.psn_no } }, { insuplcAdmdvs: '410000' });
    expect(r.body.err_msg).toContain('与参保人参保地 140000 不符');
  });
});

describe('9001 / 9002 sign-in', () => {
  it('signs in and out; a signed-out session is refused with a re-sign message', async () => {
    const signNo = c.signNo;
    const r = await c.call('9002', { signOut: { sign_no: signNo, opter_no: 'clerk01' } });
    expect(r.body.infcode).toBe(0);
    expect(r.body.output).toMatchObject({ signoutoutb: { sign_time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) } });
    const after = await c.call('5301', { data: { psn_no: people[0]!.psn_no } });
    expect(after.body.infcode).toBe(-1);
    expect(after.body.err_msg).toContain('签到已签退');
    expect(isSignInExpiredError(after.body)).toBe(true);
    const again = await c.call('9002', { signOut: { sign_no: signNo, opter_no: 'clerk01' } }, { signNo: await c.signIn() });
    expect(again.body.err_msg).toContain('已于');
  });

  it('returns a session that passes the output schema', async () => {
    const r = await c.call('9001', { signIn: { opter_no: 'clerk01', mac: 'm', ip: 'i' } });
    expect(signInOutputSchema.parse(r.body.output).signinoutb.sign_no.length).toBeLessThanOrEqual(30);
  });

  it('refuses a missing, unknown, foreign or expired sign_no, and accepts another opter on a valid one', async () => {
    const q = { data: { psn_no: people[0]!.psn_no } };
    const cases: [string, string][] = [
      ['', '未签到'],
      ['NOSUCHSESSION', '签到编号无效'],
    ];
    for (const [signNo, text] of cases) {
      const r = await c.call('5301', q, { signNo });
      expect(r.body.err_msg).toContain(text);
      expect(isSignInExpiredError(r.body)).toBe(true);
    }
    // Real clients send another user, or a constant, as opter: the session is not tied to it.
    const other = new SandboxClient(c.url, { opter: 'clerk02', opterName: '赵测试' });
    const r = await other.call('5301', q, { signNo: c.signNo });
    expect(r.body).toMatchObject({ infcode: 0, err_msg: '' });
    const hospital2 = new SandboxClient(c.url, { fixmedinsCode: 'H14010500002' });
    expect((await hospital2.call('5301', q, { signNo: c.signNo })).body.err_msg).toContain('不属于本机构');
    t.advance(3601_000);
    const expired = await c.call('5301', q);
    expect(expired.body.err_msg).toMatch(/^签到已过期.*请重新签到$/);
    expect(isSignInExpiredError(expired.body)).toBe(true);
    await c.signIn();
    expect((await c.call('5301', q)).body.infcode).toBe(0);
  });
});

describe('1101 person info', () => {
  it('finds a person by ID number, e-voucher token or social-security card', async () => {
    const p = people[3]!;
    for (const data of [
      { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, psn_cert_type: '01', certno: p.certno, psn_name: p.psn_name },
      { mdtrt_cert_type: '01', mdtrt_cert_no: p.ec_token },
      { mdtrt_cert_type: '03', mdtrt_cert_no: p.card_no, card_sn: p.card_sn },
    ]) {
      const r = await c.call('1101', { data });
      expect(r.body.infcode).toBe(0);
      const out = personInfoOutputSchema.parse(r.body.output);
      expect(out.baseinfo).toMatchObject({ psn_no: p.psn_no, certno: p.certno, psn_name: p.psn_name });
      expect(out.insuinfo[0]).toMatchObject({ insutype: p.insutype, insuplc_admdvs: '140000', psn_insu_stas: '1' });
      expect(typeof out.baseinfo.age).toBe('number');
    }
  });

  it('refuses an unknown person, a wrong card chip id and a wrong name', async () => {
    const p = people[3]!;
    expect((await c.call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '11010519491231002X' } })).body.err_msg).toContain('未查询到参保人员信息');
    expect((await c.call('1101', { data: { mdtrt_cert_type: '03', mdtrt_cert_no: p.card_no, card_sn: 'X' } })).body.err_msg).toContain('card_sn');
    expect((await c.call('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, psn_name: '某某某' } })).body.err_msg).toContain('姓名');
  });
});

describe('2503 / 2504 / 5301 filings', () => {
  it('files, lists, revokes and files again', async () => {
    const p = people[0]!;
    const r1 = await c.call('2503', { data: filingData(p) });
    expect(r1.body.infcode).toBe(0);
    const first = sn(r1);
    expect(first).toHaveLength(30);
    const r2 = await c.call('2503', { data: filingData(p, 'M01600', '糖尿病（合并严重并发症）') });
    expect(sn(r2)).not.toBe(first);

    let list = filingQueryOutputSchema.parse((await c.call<Out>('5301', { data: { psn_no: p.psn_no } })).body.output).feedetail;
    expect(list.map((f) => [f.opsp_dise_code, f.trt_dcla_detl_sn])).toEqual([['M03900', first], ['M01600', sn(r2)]]);
    expect(list[0]).toMatchObject({ opsp_dise_name: '高血压3级（极高危）', begndate: '2025-06-01', enddate: '2027-05-31' });

    const rv = await c.call('2504', { data: { trt_dcla_detl_sn: first, psn_no: p.psn_no, memo: '诊断更正' } });
    expect(rv.body.infcode).toBe(0);
    list = filingQueryOutputSchema.parse((await c.call('5301', { data: { psn_no: p.psn_no } })).body.output).feedetail;
    expect(list.map((f) => f.opsp_dise_code)).toEqual(['M01600']);

    const again = await c.call('2503', { data: filingData(p) });
    expect(again.body.infcode).toBe(0);
    expect(sn(again)).not.toBe(first);

    const all = await c.get<{ total: number; filings: { trt_dcla_detl_sn: string; status: string; msgid: string; filed_at: string; revoked_at: string | null; revoke_memo: string | null }[] }>('/sandbox/filings');
    expect(all.total).toBe(3);
    const revoked = all.filings.find((f) => f.trt_dcla_detl_sn === first)!;
    expect(revoked).toMatchObject({ status: 'revoked', revoke_memo: '诊断更正' });
    expect(revoked.msgid).toHaveLength(30);
    expect(Date.parse(revoked.revoked_at!)).toBeGreaterThanOrEqual(Date.parse(revoked.filed_at));
  });

  it('refuses a resent filing as a duplicate: there is no msgid deduplication', async () => {
    const p = people[1]!;
    const env = await c.envelope('2503', { data: filingData(p) });
    const first = (await (await c.post('/fsi/api/x', env)).json()) as { infcode: number };
    expect(first.infcode).toBe(0);
    const resent = (await (await c.post('/fsi/api/x', env)).json()) as { infcode: number; err_msg: string };
    expect(resent.infcode).toBe(-1);
    expect(resent.err_msg).toMatch(/^重复备案：该参保人已备案 高血压3级（极高危）（M03900）/);
    const fresh = await c.call('2503', { data: filingData(p) });
    expect(fresh.body.err_msg).toContain('重复备案');
  });

  it('accepts a later period of the same disease (re-review) but not an overlapping one', async () => {
    const p = people[1]!;
    expect((await c.call('2503', { data: filingData(p, 'M03900', '高血压', '2023-06-01', '2025-05-31') })).body.infcode).toBe(0);
    expect((await c.call('2503', { data: filingData(p, 'M03900', '高血压', '2025-06-01', '') })).body.infcode).toBe(0);
    expect((await c.call('2503', { data: filingData(p, 'M03900', '高血压', '2030-01-01', '2031-01-01') })).body.err_msg).toContain('重复备案');
  });

  it('refuses a disease mutually exclusive with one held', async () => {
    const p = people[2]!;
    expect((await c.call('2503', { data: filingData(p, 'M05300', '慢性阻塞性肺疾病') })).body.infcode).toBe(0);
    const r = await c.call('2503', { data: filingData(p, 'M90112', '肺源性心脏病') });
    expect(r.body.infcode).toBe(-1);
    expect(r.body.err_msg).toMatch(/^互斥病种：肺源性心脏病 与 慢性阻塞性肺疾病 互斥/);
    // An exclusion with a relapse exception is refused too, naming the exception.
    expect((await c.call('2503', { data: filingData(p, 'M90021', '尿毒症透析') })).body.infcode).toBe(0);
    const k = await c.call('2503', { data: filingData(p, 'M90011', '器官移植抗排异治疗（肾移植）') });
    expect(k.body.err_msg).toContain('请由经办机构办理');
  });

  it('refuses an unknown person, an unknown disease, a wrong insurance type or region', async () => {
    const p = people[4]!;
    const ghost = { ...p, psn_no: '14000099999999999999' };
    expect((await c.call('2503', { data: filingData(ghost) })).body.err_msg).toBe('参保人不存在：psn_no=14000099999999999999');
    expect((await c.call('2503', { data: filingData(p, 'M99999', '不存在') })).body.err_msg).toContain('不在本地区病种目录');
    const other = p.insutype === '310' ? '390' : '310';
    expect((await c.call('2503', { data: { ...filingData(p), insutype: other } })).body.err_msg).toContain('险种类型');
    expect((await c.call('2503', { data: { ...filingData(p), insu_optins: '410000' } })).body.err_msg).toContain('insu_optins');
  });

  it('names invalid fields of a filing', async () => {
    const r = await c.call('2503', { data: { ...filingData(people[4]!), hosp_ide_date: '2025/05/30', diag_dr_name: '' } });
    expect(r.body.err_msg).toContain('input.data.hosp_ide_date（医院鉴定日期）: 日期格式应为 yyyy-MM-dd');
    expect(r.body.err_msg).toContain('input.data.diag_dr_name（诊断医师姓名）: 必填');
  });

  it('refuses to revoke a filing that is not active, another person’s or another institution’s', async () => {
    const p = people[5]!;
    const s = sn(await c.call('2503', { data: filingData(p) }));
    expect((await c.call('2504', { data: { trt_dcla_detl_sn: s, psn_no: people[6]!.psn_no, memo: 'x' } })).body.err_msg).toContain('psn_no');
    const h2 = new SandboxClient(c.url, { fixmedinsCode: 'H14010500002' });
    await h2.signIn();
    expect((await h2.call('2504', { data: { trt_dcla_detl_sn: s, psn_no: p.psn_no, memo: 'x' } })).body.err_msg).toBe('只能撤销本机构办理的备案');
    expect((await c.call('2504', { data: { trt_dcla_detl_sn: s, psn_no: p.psn_no, memo: '患者申请' } })).body.infcode).toBe(0);
    const twice = await c.call('2504', { data: { trt_dcla_detl_sn: s, psn_no: p.psn_no, memo: '患者申请' } });
    expect(twice.body.err_msg).toMatch(/^该备案不是有效状态，已撤销/);
    expect((await c.call('2504', { data: { trt_dcla_detl_sn: 'NOPE', psn_no: p.psn_no, memo: 'x' } })).body.err_msg).toContain('备案记录不存在');
    expect((await c.call('2504', { data: { trt_dcla_detl_sn: s, psn_no: p.psn_no } })).body.err_msg).toContain('input.data.memo（备注）: 必填');
  });

  it('files exactly once when the same filing races', async () => {
    const p = people[7]!;
    const results = await Promise.all(Array.from({ length: 24 }, () => c.call('2503', { data: filingData(p) })));
    expect(results.filter((r) => r.body.infcode === 0)).toHaveLength(1);
    expect((await c.get<{ total: number }>(`/sandbox/filings?psn_no=${p.psn_no}`)).total).toBe(1);
  });
});

describe('9101 / 9102 files', () => {
  const fsIn = (bytes: string | number[], filename = '病历.pdf') => ({ fsUploadIn: { in: bytes, filename, fixmedins_code: 'H14010500001' } });
  const fsOut = (q: string, filename: string, fixmedins_code = 'H14010500001') => ({ fsDownloadIn: { file_qury_no: q, filename, fixmedins_code } });

  it('uploads base64 or a byte array and downloads the same bytes', async () => {
    const content = Buffer.from('%PDF-1.4 示例病历', 'utf8');
    const up = await c.call('9101', fsIn(content.toString('base64')));
    expect(up.body.infcode).toBe(0);
    const out = fileUploadOutputSchema.parse(up.body.output);
    expect(out.filename).toBe('病历.pdf');
    const res = await c.post('/fsi/api/x', await c.envelope('9102', fsOut(out.file_qury_no, '病历.pdf')));
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer()).equals(content)).toBe(true);

    const signed = [...content].map((b) => (b > 127 ? b - 256 : b));
    const up2 = await c.call('9101', fsIn(signed, 'b.bin'));
    const q2 = fileUploadOutputSchema.parse(up2.body.output).file_qury_no;
    const res2 = await c.post('/fsi/api/x', await c.envelope('9102', fsOut(q2, 'b.bin')));
    expect(Buffer.from(await res2.arrayBuffer()).equals(content)).toBe(true);
  });

  it('refuses an empty or too large file, a wrong name, another institution and an expired download', async () => {
    expect((await c.call('9101', fsIn(''))).body.err_msg).toBe('文件为空');
    const up = await c.call('9101', fsIn(Buffer.from('abc').toString('base64')));
    const q = fileUploadOutputSchema.parse(up.body.output).file_qury_no;
    const wrongName = await (await c.post('/fsi/api/x', await c.envelope('9102', fsOut(q, 'other.pdf')))).json();
    expect(wrongName).toMatchObject({ infcode: -1, err_msg: '文件名 filename 与文件查询号不符' });
    const h2 = new SandboxClient(c.url, { fixmedinsCode: 'H14010500002' });
    await h2.signIn();
    const foreign = await h2.call('9102', fsOut(q, '病历.pdf', 'H14010500002'));
    expect(foreign.body.err_msg).toContain('文件不存在');
    t.advance(8 * 24 * 3600_000);
    await c.signIn();
    const expired = await c.call('9102', fsOut(q, '病历.pdf'));
    expect(expired.body.err_msg).toContain('下载截止时间');
  });

  it('enforces the size limit', async () => {
    const small = await startTestSandbox({ maxFileBytes: 1024, seedPersons: 0 });
    try {
      await small.client.signIn();
      const ok = await small.client.call('9101', fsIn(Buffer.alloc(1024, 1).toString('base64')));
      expect(ok.body.infcode).toBe(0);
      const big = await small.client.call('9101', fsIn(Buffer.alloc(1025, 1).toString('base64')));
      expect(big.body.err_msg).toBe('文件大小 1025 字节，超过上限 1024 字节（1 KB）');
    } finally {
      await small.dispose();
    }
  });
});

describe('1309 catalogue', () => {
  it('names a file with the pack’s diseases and version, fetched with 9102', async () => {
    const r = await c.call('1309', { data: { ver: '0' } });
    expect(r.body.infcode).toBe(0);
    const out = r.body.output as { file_qury_no: string; filename: string; data_cnt: number; ver: string };
    expect(out.ver).toBe('2025.04');
    expect(out.data_cnt).toBeGreaterThanOrEqual(46);
    for (const filename of [out.filename, 'plc']) {
      const res = await c.post('/fsi/api/x', await c.envelope('9102', { fsDownloadIn: { file_qury_no: out.file_qury_no, filename, fixmedins_code: 'H14010500001' } }));
      const rows = parseCatalogueFile(Buffer.from(await res.arrayBuffer()).toString('utf8'));
      expect(rows).toHaveLength(out.data_cnt);
      expect(rows.find((row) => row.opsp_dise_code === 'M05300')).toMatchObject({
        opsp_dise_name: '慢性阻塞性肺疾病',
        opsp_dise_majcls_name: '门诊慢性病',
        ver: '2025.04',
        vali_flag: '1',
      });
      expect(rows.find((row) => row.opsp_dise_code === 'M90011')?.opsp_dise_majcls_name).toBe('门诊特殊疾病');
    }
    const current = await c.call('1309', { data: { ver: '2025.04' } });
    expect((current.body.output as { data_cnt: number }).data_cnt).toBe(0);
  });
});

describe('recognition extension (HR01)', () => {
  const record = (p: PersonSummary, over: Record<string, unknown> = {}) => ({
    hosp_rcgn_id: 'RCGN-0001',
    psn_no: p.psn_no,
    psn_name: p.psn_name,
    opsp_dise_code: 'M01600',
    exam_type: '2',
    exam_item_code: 'HBA1C',
    exam_item_name: '糖化血红蛋白',
    src_fixmedins_code: 'H14010500009',
    src_fixmedins_name: '太原市示例医院',
    rpt_no: 'L20250501001',
    rpt_date: '2025-05-01',
    hr_flag: '1',
    hr_mark: '晋HR',
    rcgn_rslt: '1',
    rept_rea_code: '',
    rept_rea_dscr: '',
    psn_infm_flag: '0',
    dr_codg: 'D140105000001',
    dr_name: '李医生',
    rcgn_time: '2025-05-20 09:30:00',
    memo: '',
    ...over,
  });

  it('records once and answers a resend with the first receipt', async () => {
    const p = people[8]!;
    const r1 = await c.call('HR01', { data: record(p) });
    expect(r1.body.infcode).toBe(0);
    const res1 = (r1.body.output as { result: { rcgn_sn: string; dup_flag: string } }).result;
    expect(res1).toMatchObject({ dup_flag: '0', hosp_rcgn_id: 'RCGN-0001' });
    const r2 = await c.call('HR01', { data: record(p) });
    expect((r2.body.output as { result: unknown }).result).toEqual({ ...res1, dup_flag: '1' });
    const changed = await c.call('HR01', { data: record(p, { rcgn_rslt: '2', rept_rea_code: 'condition-changed', psn_infm_flag: '1' }) });
    expect(changed.body.err_msg).toContain('内容与本次不同');
    const list = await c.get<{ total: number; recognitions: { hosp_rcgn_id: string; data: { exam_item_name: string } }[] }>('/sandbox/recognitions');
    expect(list.total).toBe(1);
    expect(list.recognitions[0]!.data.exam_item_name).toBe('糖化血红蛋白');
  });

  it('checks the repeat reason against the pack and the fields against the schema', async () => {
    const p = people[8]!;
    const bad = await c.call('HR01', { data: record(p, { hosp_rcgn_id: 'R2', rcgn_rslt: '2', rept_rea_code: 'because', psn_infm_flag: '1' }) });
    expect(bad.body.err_msg).toContain('重复检查理由代码 because 不在本地区目录中');
    const missing = await c.call('HR01', { data: record(p, { hosp_rcgn_id: 'R3', rcgn_rslt: '2' }) });
    expect(missing.body.err_msg).toContain('input.data.rept_rea_code（重复检查理由代码）: 重复检查时必填');
    const ghost = await c.call('HR01', { data: record({ ...p, psn_no: '14000099999999999999' }, { hosp_rcgn_id: 'R4' }) });
    expect(ghost.body.err_msg).toContain('参保人不存在');
  });

  it('takes its transaction code from configuration', async () => {
    const other = await startTestSandbox({ recognitionInfno: '4901', seedPersons: 1 });
    try {
      const [p] = await listPersons(other.client);
      await other.client.signIn();
      expect((await other.client.call('4901', { data: record(p!) })).body.infcode).toBe(0);
      expect((await other.client.call('HR01', { data: record(p!) })).body.err_msg).toContain('不支持的交易编号 HR01');
      expect((await other.client.get<{ recognitionInfno: string }>('/sandbox/health')).recognitionInfno).toBe('4901');
    } finally {
      await other.dispose();
    }
  });
});

describe('inspection', () => {
  it('reports health and lists persons', async () => {
    const h = await c.get<{ ok: boolean; counts: { persons: number }; policy: { version: string } }>('/sandbox/health');
    expect(h).toMatchObject({ ok: true, counts: { persons: 30 }, policy: { version: '2025.04' } });
    const one = await c.get<{ persons: PersonSummary[] }>(`/sandbox/persons?certno=${people[2]!.certno}`);
    expect(one.persons).toEqual([people[2]]);
    const bad = await fetch(`${c.url}/sandbox/persons?limit=0`);
    expect(bad.status).toBe(400);
  });

  it('msgid helper agrees with the sandbox on the institution prefix', () => {
    expect(buildMsgid('H14010500001', new Date('2026-06-15T10:00:00+08:00'), 1).slice(0, 12)).toBe(c.sender.fixmedinsCode);
  });
});

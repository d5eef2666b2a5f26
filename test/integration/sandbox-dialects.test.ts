/**
 * The sandbox in each dialect, replaying requests shaped as real hospital systems send them:
 * national's tolerance of what real platforms accept, Jilin's OAuth2 + SM4/SM2, Guangdong's TIF
 * headers, the refusals (wrong signature, stale timestamp, missing token) with a clear err_msg,
 * text the database cannot store, and a filing the insurance centre has reviewed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm2Sign, sm4EncryptText, tifHeaders } from '../../src/shared/platform/dialect-crypto';
import { isSignInExpiredError } from '../../src/shared/platform/index';
import { readAnswer, readCatalogueFile } from '../../src/shared/platform/tolerant';
import { inflateRawSync } from 'node:zlib';
import { DialectClient } from '../../src/sandbox/testing/dialect-client';
import { mulberry32 } from '../../src/sandbox/prng';
import { filingData, listPersons, startTestSandbox, type PersonSummary, type TestSandbox } from '../../src/sandbox/testing/harness';

const readAnswerOutput = (raw: unknown, sm4Key: string): unknown => {
  const read = readAnswer(raw, { sm4Key });
  if (!read.ok) throw new Error(read.reason);
  return read.answer.output;
};

const sn = (r: { body: { output: unknown } }) => (r.body.output as { result: { trt_dcla_detl_sn: string } }).result.trt_dcla_detl_sn;

describe('national: strict in what the table requires, not in what real platforms accept', () => {
  let t: TestSandbox;
  let people: PersonSummary[];
  beforeAll(async () => {
    t = await startTestSandbox({ seedPersons: 5 });
    people = await listPersons(t.client);
    await t.client.signIn();
  });
  afterAll(async () => t.dispose());

  it('accepts a 9001 without mac, an infno of 6 characters, and 9102 as text/plain', async () => {
    const c = t.client;
    const noMac = await c.call('9001', { signIn: { opter_no: 'clerk01', ip: '127.0.0.1' } });
    expect(noMac.body.infcode).toBe(0);
    const sixChars = await c.call('100001', { data: {} });
    expect(sixChars.body.err_msg).toContain('不支持的交易编号 100001');
    expect(sixChars.body.err_msg).not.toContain('长度');
    const up = await c.call<{ output: { file_qury_no: string; filename: string } }>('9101', {
      fsUploadIn: { in: Buffer.from('hello').toString('base64'), filename: 'a.txt', fixmedins_code: c.sender.fixmedinsCode },
    });
    const env = await c.envelope('9102', { fsDownloadIn: { file_qury_no: up.body.output.file_qury_no, filename: 'a.txt', fixmedins_code: c.sender.fixmedinsCode } });
    const res = await c.post('/fsi/api/fsi/download', JSON.stringify(env), { 'content-type': 'text/plain;charset=utf-8' });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('hello');
  });

  it('reads a body in GBK when the content type says so', async () => {
    const c = t.client;
    const p = people[3]!;
    const env = await c.envelope('2503', { data: { ...filingData(p), diag_dr_name: 'DOCTOR' } });
    // Every other non-ASCII character as a JSON escape (ASCII), the doctor's name as GBK bytes: 李医生.
    const ascii = JSON.stringify(env).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const [before, after] = ascii.split('DOCTOR') as [string, string];
    const body = Buffer.concat([Buffer.from(before), Buffer.from([0xc0, 0xee, 0xd2, 0xbd, 0xc9, 0xfa]), Buffer.from(after)]);
    const res = await c.post('/fsi/api/x', new Uint8Array(body), { 'content-type': 'application/json; charset=GBK' });
    expect(((await res.json()) as { infcode: number }).infcode).toBe(0);
    const filings = await c.get<{ filings: { psn_no: string; diag_dr_name: string }[] }>(`/sandbox/filings?psn_no=${p.psn_no}`);
    expect(filings.filings.map((f) => f.diag_dr_name)).toEqual(['李医生']);
  });

  it('still refuses a 26-character msgid where the dialect does not allow it', async () => {
    const env = await t.client.envelope('5301', { data: { psn_no: people[0]!.psn_no } });
    const r = await t.client.post('/fsi/api/x', { ...env, msgid: env.msgid.slice(0, 26) });
    const body = (await r.json()) as { infcode: number; err_msg: string };
    expect(body.infcode).toBe(-1);
    expect(body.err_msg).toContain('msgid（发送方报文ID）');
  });

  it('refuses text it cannot store with infcode -1 naming the field, never HTTP 500', async () => {
    const c = t.client;
    const p = people[0]!;
    for (const [addr, what] of [['太原\u0000市', 'NUL'], ['太原\ud800市', 'lone high surrogate'], ['\udc00', 'lone low surrogate']] as const) {
      const r = await c.call('2503', { data: { ...filingData(p), addr } });
      expect(r.status, what).toBe(200);
      expect(r.body.infcode, what).toBe(-1);
      expect(r.body.err_msg, what).toContain('input.data.addr');
      expect(r.body.err_msg, what).toContain('无法保存的字符');
    }
    const key = await c.call('5301', { data: { psn_no: p.psn_no, ['x\u0000']: 1 } });
    expect(key.body.err_msg).toContain('input.data 的键名');
    // a surrogate pair (an emoji) is ordinary text
    const emoji = await c.call('2503', { data: { ...filingData(p), addr: '太原市🙂路 1 号' } });
    expect(emoji.body.infcode).toBe(0);
  });

  it('answers 600 hostile variations of a filing without one HTTP 500', async () => {
    const c = t.client;
    const random = mulberry32(13);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const hostile: unknown[] = [
      '', ' ', '\u0000', 'a\u0000b', '\ud83d', '\ude00x', '🙂'.repeat(40), "'; drop table filings; --", '\\', '"', 'x'.repeat(5000),
      '2025-02-30', '9999-99-99', '0000-00-00', '2025-06-01 25:61:61', -1, 0, 1e308, NaN, true, null, [], ['a'], {}, { a: 1 }, '１２３',
    ];
    const base = await c.envelope('2503', { data: filingData(people[2]!) });
    const statuses = new Map<number, number>();
    for (let i = 0; i < 600; i++) {
      const env = JSON.parse(JSON.stringify(base)) as Record<string, unknown> & { input: { data: Record<string, unknown> } };
      for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
        if (random() < 0.5) env.input.data[pick(Object.keys(env.input.data))] = pick(hostile);
        else env[pick(Object.keys(env).filter((key) => key !== 'input'))] = pick(hostile);
      }
      const res = await c.post('/fsi/api/x', JSON.stringify(env).replaceAll('null', random() < 0.1 ? '"\\u0000"' : 'null'));
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const body = (await res.json()) as { infcode: number; err_msg: string };
      if (res.status !== 200 || body.infcode !== 0) expect(body.err_msg.length, JSON.stringify(env).slice(0, 200)).toBeGreaterThan(0);
    }
    expect(statuses.get(500) ?? 0).toBe(0);
  });

  it('models a filing the insurance centre has reviewed: the hospital cannot revoke it', async () => {
    const c = t.client;
    const p = people[1]!;
    const filed = await c.call('2503', { data: filingData(p, 'M01600', '糖尿病') });
    expect(filed.body.infcode).toBe(0);
    const review = (await (await c.post('/sandbox/filings/review', { trt_dcla_detl_sn: sn(filed) })).json()) as { reviewed: string[] };
    expect(review.reviewed).toEqual([sn(filed)]);
    const revoke = await c.call('2504', { data: { trt_dcla_detl_sn: sn(filed), psn_no: p.psn_no, memo: '误报' } });
    expect(revoke.body.infcode).toBe(-1);
    expect(revoke.body.err_msg).toContain('已经在医保中心审核，医院无法撤销');
    expect(revoke.body.err_msg).toContain('请联系参保地医保经办机构');
    expect(isSignInExpiredError(revoke.body)).toBe(false);
    // still active and held
    const query = await c.call<{ output: { feedetail: { trt_dcla_detl_sn: string }[] } }>('5301', { data: { psn_no: p.psn_no } });
    expect(query.body.output.feedetail.map((f) => f.trt_dcla_detl_sn)).toContain(sn(filed));
  });
});

describe('jilin: OAuth2 bearer token, SM4-encrypted input and output, SM2 over the input', () => {
  let t: TestSandbox;
  let c: DialectClient;
  let people: PersonSummary[];
  beforeAll(async () => {
    t = await startTestSandbox({ seedPersons: 5, dialect: 'jilin', tokenTtlSeconds: 600 });
    c = new DialectClient(t.sandbox.url, t.sandbox.dialect, t.sandbox.credentials);
    people = await listPersons(t.client);
  });
  afterAll(async () => t.dispose());

  it('refuses a call without a token with HTTP 401 and a clear err_msg', async () => {
    const r = await c.call('9001', { signIn: { opter_no: 'clerk01', mac: 'm', ip: 'i' } });
    expect(r.status).toBe(401);
    expect(r.body.err_msg).toContain('缺少访问令牌');
    // the refusal is in Jilin's types too: infcode as a string
    const res = await c.post('/fsi/api/x', c.seal(await c.envelope('5301', { data: { psn_no: people[0]!.psn_no } })));
    expect(await res.json()).toMatchObject({ infcode: '-1', err_msg: expect.stringContaining('缺少访问令牌') });
  });

  it('refuses wrong client credentials and a wrong password at the token endpoint', async () => {
    const bad = new DialectClient(t.sandbox.url, t.sandbox.dialect, { ...t.sandbox.credentials, clientSecret: 'nope' });
    await expect(bad.fetchToken()).rejects.toThrow(/client_secret/);
    const badUser = new DialectClient(t.sandbox.url, t.sandbox.dialect, { ...t.sandbox.credentials, password: 'nope' });
    await expect(badUser.fetchToken()).rejects.toThrow(/用户名或密码错误/);
  });

  it('signs in, files, queries, revokes and downloads a zipped catalogue, every input and output encrypted', async () => {
    await c.fetchToken();
    await c.signIn();
    const p = people[0]!;
    const filed = await c.call('2503', { data: filingData(p) });
    expect(filed.body).toMatchObject({ infcode: 0, err_msg: '' });
    expect((filed.body as unknown as Record<string, unknown>)['enc_type']).toBe('SM4');
    const q = await c.call<{ output: { feedetail: unknown[] } }>('5301', { data: { psn_no: p.psn_no } });
    expect(q.body.output.feedetail).toHaveLength(1);
    const revoked = await c.call('2504', { data: { trt_dcla_detl_sn: sn(filed), psn_no: p.psn_no, memo: '测试撤销' } });
    expect(revoked.body.infcode).toBe(0);

    const cat = await c.call<{ output: { file_qury_no: string; filename: string } }>('1309', { data: { ver: '0' } });
    expect(cat.body.output.filename).toMatch(/\.zip$/);
    const env = c.seal(await c.envelope('9102', { fsDownloadIn: { file_qury_no: cat.body.output.file_qury_no, filename: 'plc', fixmedins_code: c.sender.fixmedinsCode } }));
    const res = await c.post('/fsi/api/x', env, c.authHeaders());
    const bytes = new Uint8Array(await res.arrayBuffer());
    const rows = readCatalogueFile(bytes, (b) => new Uint8Array(inflateRawSync(b)));
    expect(rows.length).toBeGreaterThan(5);
    expect(rows[0]!.opsp_dise_code).toMatch(/^M/);
    expect(Buffer.from(bytes.subarray(0, 2)).toString()).toBe('PK'); // a zip, not the text
  });

  it('takes a 9101 as multipart/form-data: the sealed envelope in jsonStr, the file in the part in', async () => {
    const fixmedins = c.sender.fixmedinsCode;
    const bytes = Buffer.from([0, 1, 2, 250, 255, 13, 10, 45, 45]); // binary, with CRLF and dashes inside
    const env = c.seal(await c.envelope('9101', { fsUploadIn: { filename: 'scan.bin', fixmedins_code: fixmedins } }));
    const boundary = '----test-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="jsonStr"\r\n\r\n${JSON.stringify(env)}\r\n--${boundary}\r\nContent-Disposition: form-data; name="in"; filename="scan.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await fetch(`${t.sandbox.url}/fsi/api/fileupload/upload`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...c.authHeaders() },
      body: new Uint8Array(body),
    });
    const raw = (await res.json()) as { infcode: string; output: string };
    expect(raw.infcode).toBe('0');
    const up = readAnswerOutput(raw, c.sm4Key()!) as { file_qury_no: string };
    const down = await c.post('/fsi/api/x', c.seal(await c.envelope('9102', { fsDownloadIn: { file_qury_no: up.file_qury_no, filename: 'scan.bin', fixmedins_code: fixmedins } })), c.authHeaders());
    expect(Buffer.from(await down.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('answers infcode as a string and 成功 on success', async () => {
    const env = c.seal(await c.envelope('5301', { data: { psn_no: people[0]!.psn_no } }));
    const res = await c.post('/fsi/api/x', env, c.authHeaders());
    const raw = (await res.json()) as Record<string, unknown>;
    expect(raw).toMatchObject({ infcode: '0', err_msg: '成功', enc_type: 'SM4', signtype: 'SM2' });
    expect(typeof raw['output']).toBe('string');
  });

  it('refuses a wrong signature, a plain input and a request signed by another key', async () => {
    const env = await c.envelope('5301', { data: { psn_no: people[0]!.psn_no } });
    const sealed = c.seal(env);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...sealed, cainfo: sm2Sign('{"data":{"psn_no":"other"}}', t.sandbox.credentials.clientPrivateKey, { format: 'raw-base64' }) }, /验签失败：cainfo 与 input 内容不符/],
      [{ ...sealed, input: env.input }, /收到的是明文/],
      [{ ...sealed, cainfo: sm2Sign(JSON.stringify(env.input), t.sandbox.credentials.platformPrivateKey, { format: 'raw-base64' }) }, /验签失败/],
      [{ ...sealed, input: sm4EncryptText(JSON.stringify(env.input), 'ffeeddccbbaa99887766554433221100') }, /解密失败/],
    ];
    for (const [body, message] of cases) {
      const res = await c.post('/fsi/api/x', body, c.authHeaders());
      const raw = (await res.json()) as { infcode: unknown; err_msg: string };
      expect(raw.infcode).toBe('-1');
      expect(raw.err_msg).toMatch(message);
    }
  });

  it('refuses an expired token, and a refreshed one works', async () => {
    t.advance(601_000);
    const r = await c.call('5301', { data: { psn_no: people[0]!.psn_no } });
    expect(r.status).toBe(401);
    expect(r.body.err_msg).toContain('访问令牌已过期');
    await c.fetchToken();
    await c.signIn();
    expect((await c.call('5301', { data: { psn_no: people[0]!.psn_no } })).body.infcode).toBe(0);
  });
});

describe('guangdong-tif: TIF gateway headers, no sign-in', () => {
  let t: TestSandbox;
  let c: DialectClient;
  let people: PersonSummary[];
  beforeAll(async () => {
    t = await startTestSandbox({ seedPersons: 5, dialect: 'guangdong-tif' });
    c = new DialectClient(t.sandbox.url, t.sandbox.dialect, t.sandbox.credentials);
    people = await listPersons(t.client);
  });
  afterAll(async () => t.dispose());

  it('files and queries without any 9001, with a 26-character msgid, and answers open ends as a far-future date', async () => {
    const p = people[0]!;
    const env = await c.envelope('2503', { data: { ...filingData(p), enddate: '' } }, { signNo: '' });
    const res = await c.post('/fsi/api/x', { ...env, msgid: env.msgid.slice(0, 26) }, c.authHeaders());
    const raw = (await res.json()) as Record<string, unknown>;
    expect(raw).toMatchObject({ infcode: 0, err_msg: null });
    const q = await c.call<{ output: { feedetail: { enddate: string }[] } }>('5301', { data: { psn_no: p.psn_no } }, { signNo: '' });
    expect(q.body.output.feedetail[0]!.enddate).toBe('2120-11-01');
  });

  it('refuses missing headers, a wrong signature and a stale timestamp with a clear err_msg', async () => {
    const env = await c.envelope('5301', { data: { psn_no: people[0]!.psn_no } });
    const creds = t.sandbox.credentials;
    const good = tifHeaders({ paasid: creds.paasid, token: creds.tifToken, nowMs: Date.now(), nonce: 'abc' });
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /缺少请求头 x-tif-paasid/],
      [{ ...good, 'x-tif-signature': '0'.repeat(64) }, /签名错误/],
      [tifHeaders({ paasid: creds.paasid, token: creds.tifToken, nowMs: Date.now() - 3_600_000, nonce: 'abc' }), /时间戳已过期/],
      [tifHeaders({ paasid: creds.paasid, token: 'guessed', nowMs: Date.now(), nonce: 'abc' }), /签名错误/],
    ];
    for (const [headers, message] of cases) {
      const res = await c.post('/fsi/api/x', env, headers);
      expect(res.status).toBe(401);
      const raw = (await res.json()) as { infcode: number; err_msg: string };
      expect(raw.infcode).toBe(-1);
      expect(raw.err_msg).toMatch(message);
    }
    expect((await c.post('/fsi/api/x', env, good)).status).toBe(200);
    // the same signed headers again: a replay
    const replay = await c.post('/fsi/api/x', env, good);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { err_msg: string }).err_msg).toContain('x-tif-nonce 已使用过');
  });
});

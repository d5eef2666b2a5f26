import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import smCrypto from 'sm-crypto';
import { formatCatalogueFile } from './catalogue';
import { sm2Sign, sm4EncryptText } from './dialect-crypto';
import { crc32, readAge, readAnswer, readCatalogueFile, readEnddate, readFilingRows, unzipFirstFile, zipOneFile } from './tolerant';

const ok = (body: unknown) => {
  const r = readAnswer(body);
  if (!r.ok) throw new Error(r.reason);
  return r.answer;
};

describe('readAnswer', () => {
  it('reads infcode as a number or a string', () => {
    expect(ok({ infcode: 0 }).success).toBe(true);
    expect(ok({ infcode: '0' }).success).toBe(true);
    expect(ok({ infcode: ' 0 ' }).success).toBe(true);
    expect(ok({ infcode: '-1', err_msg: '参保人不存在' })).toMatchObject({ success: false, infcode: -1, errMsg: '参保人不存在' });
    expect(readAnswer({ infcode: 'OK' })).toEqual({ ok: false, reason: expect.stringMatching(/infcode/) });
    expect(readAnswer('<html>502</html>')).toEqual({ ok: false, reason: '应答不是 JSON' });
  });

  it('never takes a success for a failure, whatever err_msg says', () => {
    for (const err_msg of ['', null, '成功', undefined]) {
      expect(ok({ infcode: 0, err_msg, output: { a: 1 } })).toMatchObject({ success: true, errMsg: '', warnMsg: '', output: { a: 1 } });
    }
    // some text in err_msg on success is kept as a warning, not a refusal
    expect(ok({ infcode: '0', err_msg: '已存在相同记录' })).toMatchObject({ success: true, warnMsg: '已存在相同记录' });
  });

  it('reads warn_msg and warnMsg, and keeps unknown keys', () => {
    expect(ok({ infcode: 0, warn_msg: '提示一' }).warnMsg).toBe('提示一');
    expect(ok({ infcode: 0, warnMsg: '提示二', enctype: '', extra: { x: 1 } })).toMatchObject({ warnMsg: '提示二', raw: { extra: { x: 1 } } });
  });

  it('reads output as JSON text, and decrypts and verifies an SM4 output', () => {
    expect(ok({ infcode: 0, output: '{"result":{"trt_dcla_detl_sn":"1"}}' }).output).toEqual({ result: { trt_dcla_detl_sn: '1' } });
    const key = '0123456789abcdeffedcba9876543210';
    const platform = smCrypto.sm2.generateKeyPairHex();
    const json = '{"feedetail":[]}';
    const body = { infcode: '0', enc_type: 'SM4', output: sm4EncryptText(json, key), cainfo: sm2Sign(json, platform.privateKey, { format: 'raw-base64' }) };
    const verify = { publicKey: platform.publicKey, userId: '1234567812345678', format: 'raw-base64' as const };
    const read = readAnswer(body, { sm4Key: key, verify });
    expect(read.ok && read.answer).toMatchObject({ output: { feedetail: [] }, signatureOk: true });
    const forged = readAnswer({ ...body, cainfo: sm2Sign('{"x":1}', platform.privateKey, { format: 'raw-base64' }) }, { sm4Key: key, verify });
    expect(forged.ok && forged.answer.signatureOk).toBe(false);
    expect(readAnswer(body)).toEqual({ ok: false, reason: expect.stringMatching(/未配置解密密钥/) });
    expect(readAnswer(body, { sm4Key: 'ffeeddccbbaa99887766554433221100' })).toEqual({ ok: false, reason: expect.stringMatching(/无法用本机构 SM4 密钥解密/) });
  });
});

describe('enddate, age and 5301 rows', () => {
  const now = new Date('2026-12-07T09:00:00Z');
  it('reads empty, null and far-future enddates as no end', () => {
    expect(readEnddate('', now)).toBe('');
    expect(readEnddate(null, now)).toBe('');
    expect(readEnddate('2120-11-01', now)).toBe('');
    expect(readEnddate('9999-12-31 00:00:00', now)).toBe('');
    expect(readEnddate('2027-05-31', now)).toBe('2027-05-31');
    expect(readEnddate('2027-05-31 00:00:00', now)).toBe('2027-05-31');
    expect(readFilingRows([{ opsp_dise_code: 'M03900', enddate: '2120-11-01' }], now)).toEqual([{ opsp_dise_code: 'M03900', enddate: '' }]);
  });
  it('reads an age with a decimal', () => {
    expect(readAge(69.2)).toBe(69.2);
    expect(readAge('69.2')).toBe(69.2);
    expect(readAge('69')).toBe(69);
    expect(readAge('')).toBeNull();
    expect(readAge(null)).toBeNull();
  });
});

describe('the 1309 catalogue, zipped or plain', () => {
  const text = formatCatalogueFile([{ opsp_dise_code: 'M03900', opsp_dise_name: '高血压病' }, { opsp_dise_code: 'M01600', opsp_dise_name: '糖尿病' }]);
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  const inflate = (b: Uint8Array) => new Uint8Array(inflateRawSync(b));
  const deflate = (b: Uint8Array) => new Uint8Array(deflateRawSync(b));

  it('computes the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('reads plain text, a deflated zip and a stored zip to the same rows', () => {
    const plain = readCatalogueFile(bytes, inflate);
    expect(plain.map((r) => r.opsp_dise_code)).toEqual(['M03900', 'M01600']);
    expect(readCatalogueFile(zipOneFile('plc.txt', bytes, deflate), inflate)).toEqual(plain);
    expect(readCatalogueFile(zipOneFile('plc.txt', bytes), inflate)).toEqual(plain);
    expect(unzipFirstFile(zipOneFile('目录.txt', bytes, deflate), inflate).name).toBe('目录.txt');
  });

  it('refuses a damaged archive', () => {
    const zip = zipOneFile('plc.txt', bytes);
    zip[40] = zip[40]! ^ 0xff; // a byte of the stored text
    expect(() => readCatalogueFile(zip, inflate)).toThrow(/CRC/);
    expect(() => readCatalogueFile(zip.subarray(0, 30), inflate)).toThrow(/zip/);
  });
});

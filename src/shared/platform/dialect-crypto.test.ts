import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import smCrypto from 'sm-crypto';
import { dialectPreset } from './dialect';
import {
  base64Decode,
  base64Encode,
  bytesToHex,
  canonicalEnvelope,
  checkTifHeaders,
  hexToBytes,
  openRequest,
  sealAnswer,
  sealRequest,
  sm2PublicKeyOf,
  sm2Sign,
  sm2Verify,
  sm3Hex,
  sm4DecryptText,
  sm4EcbDecrypt,
  sm4EcbEncrypt,
  sm4EncryptText,
  sm4KeyOfClientId,
  tifHeaders,
  tifSignature,
  utf8Decode,
  utf8Encode,
} from './dialect-crypto';

describe('SM3 (GB/T 32905 test vectors)', () => {
  it('hashes "abc" and the 64-byte "abcd" example', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm3Hex('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });
});

describe('SM4-ECB (GB/T 32907 test vector)', () => {
  const key = '0123456789abcdeffedcba9876543210';
  it('encrypts the standard block to 681edf34…', () => {
    const cipher = sm4EcbEncrypt(hexToBytes(key), key);
    // PKCS#7 adds a whole block of padding to a 16-byte input; the first block is the standard one.
    expect(cipher).toHaveLength(32);
    expect(bytesToHex(cipher.slice(0, 16))).toBe('681edf34d206965e86b3e94f536e4246');
    expect(bytesToHex(sm4EcbDecrypt(cipher, key)!)).toBe(key);
  });

  it('round-trips Chinese JSON text through base64, and refuses a wrong key or damaged text', () => {
    const json = JSON.stringify({ data: { psn_no: '22000090000000000001', opsp_dise_name: '高血压病' } });
    const cipher = sm4EncryptText(json, key);
    expect(sm4DecryptText(cipher, key)).toBe(json);
    expect(sm4DecryptText(cipher, 'ffeeddccbbaa99887766554433221100')).toBeNull();
    expect(sm4DecryptText('not base64!', key)).toBeNull();
    expect(sm4DecryptText(cipher.slice(0, -4), key)).toBeNull();
  });

  it('takes a 16-byte client id as the key and refuses any other length', () => {
    expect(sm4KeyOfClientId('ABCDEFGHIJKLMNOP')).toBe(bytesToHex(Buffer.from('ABCDEFGHIJKLMNOP')));
    expect(() => sm4KeyOfClientId('short')).toThrow(/16 字节/);
  });
});

describe('SM2 (SM3withSM2)', () => {
  const keys = smCrypto.sm2.generateKeyPairHex();
  it('derives the public key the library generated', () => {
    expect(sm2PublicKeyOf(keys.privateKey)).toBe(keys.publicKey);
  });

  for (const format of ['raw-hex', 'raw-base64', 'der-base64'] as const) {
    it(`signs and verifies (${format}), and refuses a tampered message or signature`, () => {
      const message = '{"data":{"psn_no":"1"}}';
      const signature = sm2Sign(message, keys.privateKey, { format });
      if (format === 'raw-hex') expect(signature).toMatch(/^[0-9a-f]{128}$/);
      if (format === 'raw-base64') expect(base64Decode(signature)).toHaveLength(64);
      expect(sm2Verify(message, signature, keys.publicKey, { format })).toBe(true);
      expect(sm2Verify('{"data":{"psn_no":"2"}}', signature, keys.publicKey, { format })).toBe(false);
      const bytes = base64Decode(format === 'raw-hex' ? base64Encode(hexToBytes(signature)) : signature)!;
      bytes[10] = bytes[10]! ^ 1;
      const tampered = format === 'raw-hex' ? bytesToHex(bytes) : base64Encode(bytes);
      expect(sm2Verify(message, tampered, keys.publicKey, { format })).toBe(false);
      // another user id gives another Z_A, so the signature does not verify
      expect(sm2Verify(message, signature, keys.publicKey, { format, userId: 'ALICE123@YAHOO.COM' })).toBe(false);
    });
  }
});

describe('bytes', () => {
  it('base64 matches node for every padding length', () => {
    for (const text of ['', 'a', 'ab', 'abc', '慢特病', '🙂x']) {
      const bytes = utf8Encode(text);
      expect(bytesToHex(bytes)).toBe(Buffer.from(text, 'utf8').toString('hex'));
      expect(base64Encode(bytes)).toBe(Buffer.from(text, 'utf8').toString('base64'));
      expect(utf8Decode(base64Decode(base64Encode(bytes))!)).toBe(text);
    }
  });
  it('refuses bytes that are not UTF-8', () => {
    expect(utf8Decode([0xff, 0x41])).toBeNull();
    expect(utf8Decode([0xe4, 0xb8])).toBeNull();
  });
});

describe('TIF gateway signature', () => {
  it('is the hex SHA-256 of timestamp + token + nonce + timestamp', () => {
    // computed by hand: sha256("1700000000" + "sandbox-token" + "n0nce-42" + "1700000000")
    const byHand = createHash('sha256').update('1700000000sandbox-tokenn0nce-421700000000').digest('hex');
    expect(byHand).toBe('ec0559ce9c71b30d3c061bceefbcb6e2e66cc536d3f43226bb542ca76bf28ab5');
    expect(tifSignature('1700000000', 'sandbox-token', 'n0nce-42')).toBe(byHand);
    const headers = tifHeaders({ paasid: 'h1', token: 'sandbox-token', nowMs: 1_700_000_000_999, nonce: 'n0nce-42' });
    expect(headers).toEqual({ 'x-tif-paasid': 'h1', 'x-tif-timestamp': '1700000000', 'x-tif-nonce': 'n0nce-42', 'x-tif-signature': byHand });
  });

  it('passes good headers and refuses a wrong signature, a stale timestamp, an unknown paasid and missing headers', () => {
    const nowMs = 1_700_000_000_000;
    const headers = tifHeaders({ paasid: 'h1', token: 't', nowMs, nonce: 'x' });
    const check = (h: Record<string, string>, at = nowMs) => checkTifHeaders(h, { tokens: { h1: 't' }, nowMs: at, maxSkewSeconds: 300 });
    expect(check(headers)).toBeNull();
    expect(check(headers, nowMs + 299_000)).toBeNull();
    expect(check(headers, nowMs + 301_000)).toMatch(/时间戳已过期/);
    expect(check({ ...headers, 'x-tif-signature': tifSignature('1700000000', 'wrong', 'x') })).toMatch(/签名错误/);
    expect(check({ ...headers, 'x-tif-paasid': 'h2' })).toMatch(/未登记的 paasid h2/);
    expect(check({ 'x-tif-paasid': 'h1' })).toMatch(/缺少请求头 x-tif-timestamp、x-tif-nonce、x-tif-signature/);
  });
});

describe('sealing and opening per dialect', () => {
  const client = smCrypto.sm2.generateKeyPairHex();
  const platform = smCrypto.sm2.generateKeyPairHex();
  const envelope = { infno: '5301', msgid: 'H22010100001202506011000000001', input: { data: { psn_no: '22000090000000000001' } } };

  it('national: plain, no signature', () => {
    const sealed = sealRequest(dialectPreset('national'), envelope, {});
    expect(sealed).toMatchObject({ input: envelope.input, signtype: '', cainfo: '' });
    expect(openRequest(dialectPreset('national'), sealed, {})).toEqual({ ok: true, envelope: sealed });
  });

  it('envelope-sm2: signs the sorted envelope; a changed field fails verification', () => {
    const dialect = { ...dialectPreset('national'), security: { kind: 'envelope-sm2' as const, userId: '1234567812345678', format: 'raw-hex' as const, platformPublicKey: '' } };
    const sealed = sealRequest(dialect, envelope, { clientPrivateKey: client.privateKey });
    expect(sealed['signtype']).toBe('SM2');
    expect(sm2Verify(canonicalEnvelope(sealed), sealed['cainfo'] as string, client.publicKey, { format: 'raw-hex' })).toBe(true);
    expect(openRequest(dialect, sealed, { clientPublicKey: client.publicKey }).ok).toBe(true);
    const changed = openRequest(dialect, { ...sealed, msgid: 'H22010100001202506011000000002' }, { clientPublicKey: client.publicKey });
    expect(changed).toEqual({ ok: false, message: expect.stringMatching(/验签失败/) });
  });

  it('jilin: input is SM4 of its JSON under the client id, cainfo signs that JSON only', () => {
    const dialect = dialectPreset('jilin');
    const sm4Key = sm4KeyOfClientId('CLIENTID00000001');
    const sealed = sealRequest(dialect, envelope, { clientPrivateKey: client.privateKey, sm4Key });
    expect(typeof sealed['input']).toBe('string');
    expect(sealed).toMatchObject({ enc_type: 'SM4', signtype: 'SM2' });
    const json = sm4DecryptText(sealed['input'] as string, sm4Key)!;
    expect(JSON.parse(json)).toEqual(envelope.input);
    expect(base64Decode(sealed['cainfo'] as string)).toHaveLength(64);
    expect(sm2Verify(json, sealed['cainfo'] as string, client.publicKey, { format: 'raw-base64' })).toBe(true);

    const opened = openRequest(dialect, sealed, { clientPublicKey: client.publicKey, sm4Key });
    expect(opened.ok && opened.envelope['input']).toEqual(envelope.input);
    // signed by someone else
    expect(openRequest(dialect, sealed, { clientPublicKey: platform.publicKey, sm4Key })).toEqual({ ok: false, message: expect.stringMatching(/验签失败/) });
    // plain input where cipher text is expected
    expect(openRequest(dialect, { ...sealed, input: envelope.input }, { clientPublicKey: client.publicKey, sm4Key })).toEqual({ ok: false, message: expect.stringMatching(/明文/) });
    // no signature
    expect(openRequest(dialect, { ...sealed, cainfo: '' }, { clientPublicKey: client.publicKey, sm4Key })).toEqual({ ok: false, message: expect.stringMatching(/缺少数字签名/) });
  });

  it('answers take the dialect\'s infcode type, success err_msg, warn key and encryption', () => {
    const plain = { infcode: 0, inf_refmsgid: 'r', refmsg_time: 't', respond_time: 't', err_msg: '', output: { feedetail: [] } };
    const sm4Key = sm4KeyOfClientId('CLIENTID00000001');
    const jilin = sealAnswer(dialectPreset('jilin'), plain, { sm4Key, platformPrivateKey: platform.privateKey });
    expect(jilin).toMatchObject({ infcode: '0', err_msg: '成功', enc_type: 'SM4', signtype: 'SM2' });
    expect(JSON.parse(sm4DecryptText(jilin['output'] as string, sm4Key)!)).toEqual({ feedetail: [] });
    const tif = sealAnswer(dialectPreset('guangdong-tif'), { ...plain, warn_msg: '注意' }, {});
    expect(tif).toMatchObject({ infcode: 0, err_msg: null, warnMsg: '注意', output: { feedetail: [] } });
    const refused = sealAnswer(dialectPreset('jilin'), { ...plain, infcode: -1, err_msg: '不行', output: null }, { sm4Key });
    expect(refused).toMatchObject({ infcode: '-1', err_msg: '不行', output: null });
  });
});

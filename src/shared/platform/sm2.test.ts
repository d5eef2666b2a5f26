import smCrypto from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { utf8Encode } from './dialect-crypto';
import { randomBytes } from 'node:crypto';
import { sm2SignRaw, sm2VerifyRaw } from './sm2';

const id = utf8Encode('1234567812345678');

describe('the standard SM2 signature example (recommended curve, message "message digest", default user id 1234567812345678)', () => {
  // Key, k and signature as published for the SM2 signature algorithm's worked example on the
  // recommended 256-bit curve; the signer takes k from its caller, so the signature is fixed.
  const d = '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8';
  const publicKey = '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
  const k = Buffer.from('59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21', 'hex');
  const r = 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3';
  const s = 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';

  it('signs to the published r and s, and verifies them', () => {
    expect(sm2SignRaw(utf8Encode('message digest'), d, publicKey, id, () => k)).toBe(r + s);
    expect(sm2VerifyRaw(utf8Encode('message digest'), r, s, publicKey, id)).toBe(true);
    expect(sm2VerifyRaw(utf8Encode('message digesT'), r, s, publicKey, id)).toBe(false);
  });
});

describe('sm2VerifyRaw agrees with sm-crypto', () => {
  it('accepts sm-crypto\'s signatures and refuses every altered one, for many keys and messages', () => {
    for (let i = 0; i < 12; i++) {
      const keys = smCrypto.sm2.generateKeyPairHex();
      const message = `{"data":{"psn_no":"${i}","addr":"太原市示例路 ${i} 号🙂"}}`;
      const bytes = utf8Encode(message);
      const signature = smCrypto.sm2.doSignature(bytes, keys.privateKey, { hash: true, publicKey: keys.publicKey, userId: '1234567812345678' });
      const r = signature.slice(0, 64);
      const s = signature.slice(64);
      expect(sm2VerifyRaw(bytes, r, s, keys.publicKey, id)).toBe(true);
      expect(smCrypto.sm2.doVerifySignature(bytes, signature, keys.publicKey, { hash: true, userId: '1234567812345678' })).toBe(true);
      expect(sm2VerifyRaw(utf8Encode(`${message} `), r, s, keys.publicKey, id)).toBe(false);
      expect(sm2VerifyRaw(bytes, s, r, keys.publicKey, id)).toBe(false);
      expect(sm2VerifyRaw(bytes, r, s, keys.publicKey, utf8Encode('ALICE123@YAHOO.COM'))).toBe(false);
      expect(sm2VerifyRaw(bytes, r, s, smCrypto.sm2.generateKeyPairHex().publicKey, id)).toBe(false);
    }
  });

  it('refuses out-of-range values and a key off the curve', () => {
    const keys = smCrypto.sm2.generateKeyPairHex();
    const bytes = utf8Encode('abc');
    const signature = smCrypto.sm2.doSignature(bytes, keys.privateKey, { hash: true, publicKey: keys.publicKey });
    expect(sm2VerifyRaw(bytes, '0'.repeat(64), signature.slice(64), keys.publicKey, id)).toBe(false);
    expect(sm2VerifyRaw(bytes, signature.slice(0, 64), 'f'.repeat(64), keys.publicKey, id)).toBe(false);
    const offCurve = `04${keys.publicKey.slice(2, 66)}${(BigInt(`0x${keys.publicKey.slice(66)}`) ^ 1n).toString(16).padStart(64, '0')}`;
    expect(sm2VerifyRaw(bytes, signature.slice(0, 64), signature.slice(64), offCurve, id)).toBe(false);
    expect(sm2VerifyRaw(bytes, signature.slice(0, 64), signature.slice(64), 'not a key', id)).toBe(false);
  });
});

describe('sm2SignRaw', () => {
  it('makes signatures sm-crypto verifies, for many keys and messages, and never the same twice', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const keys = smCrypto.sm2.generateKeyPairHex();
      const privateKey = keys.privateKey.padStart(64, '0');
      const bytes = utf8Encode(`慢特病 ${i}`);
      const signature = sm2SignRaw(bytes, privateKey, keys.publicKey, id, (n) => randomBytes(n));
      expect(signature).toMatch(/^[0-9a-f]{128}$/);
      expect(smCrypto.sm2.doVerifySignature(bytes, signature, keys.publicKey, { hash: true, userId: '1234567812345678' })).toBe(true);
      expect(smCrypto.sm2.doVerifySignature(utf8Encode(`慢特病 ${i + 1}`), signature, keys.publicKey, { hash: true, userId: '1234567812345678' })).toBe(false);
      seen.add(signature);
    }
    expect(seen.size).toBe(12);
  });

  it('draws k again when the random bytes give 0', () => {
    const keys = smCrypto.sm2.generateKeyPairHex();
    let calls = 0;
    const random = (n: number) => (calls++ === 0 ? new Uint8Array(n) : randomBytes(n));
    const signature = sm2SignRaw(utf8Encode('abc'), keys.privateKey.padStart(64, '0'), keys.publicKey, id, random);
    expect(calls).toBe(2);
    expect(smCrypto.sm2.doVerifySignature(utf8Encode('abc'), signature, keys.publicKey, { hash: true })).toBe(true);
  });
});


/**
 * The cryptography of the dialects (dialect.ts), pure so that the gateway and the sandbox run the
 * same code: SM3, SM4-ECB with PKCS#7 padding, SM3withSM2 signatures (GM/T 0003/0009, through
 * sm-crypto), the TIF gateway's header signature, and the sealing and opening of requests and
 * answers per dialect. Nothing here reads a clock or draws randomness: `now` and `nonce` are inputs.
 *
 * Not re-exported from index.ts, so code that only validates envelopes (the renderer) does not
 * carry sm-crypto.
 */
import smCrypto from 'sm-crypto';
import { sha256Hex, utf8 } from '../hash/sha256';
import type { Dialect } from './dialect';
import { sm2SignRaw, sm2VerifyRaw } from './sm2';

// ---------------------------------------------------------------- bytes

/** Text as UTF-8 bytes, a lone surrogate as U+FFFD (it has no UTF-8 form). */
export const utf8Encode = (text: string): number[] => Array.from(utf8(text, true));

/** UTF-8 bytes to text; null when the bytes are not valid UTF-8. */
export function utf8Decode(bytes: ArrayLike<number>): string | null {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    let c: number;
    let extra: number;
    if (b < 0x80) [c, extra] = [b, 0];
    else if (b >= 0xc2 && b < 0xe0) [c, extra] = [b & 31, 1];
    else if (b >= 0xe0 && b < 0xf0) [c, extra] = [b & 15, 2];
    else if (b >= 0xf0 && b < 0xf5) [c, extra] = [b & 7, 3];
    else return null;
    for (let k = 1; k <= extra; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return null;
      c = (c << 6) | (next & 63);
    }
    if ((extra === 2 && (c < 0x800 || (c >= 0xd800 && c < 0xe000))) || (extra === 3 && (c < 0x10000 || c > 0x10ffff))) return null;
    out += String.fromCodePoint(c);
    i += extra + 1;
  }
  return out;
}

export function bytesToHex(bytes: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (bytes[i]! & 0xff).toString(16).padStart(2, '0');
  return out;
}

export function hexToBytes(hex: string): number[] {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError('不是有效的十六进制串');
  const out: number[] = [];
  for (let i = 0; i < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64Encode(bytes: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += b === undefined ? '=' : B64[(n >> 6) & 63]!;
    out += c === undefined ? '=' : B64[n & 63]!;
  }
  return out;
}

/** Base64 (standard or URL-safe alphabet, padding optional, whitespace ignored) to bytes; null when it is not base64. */
export function base64Decode(text: string): number[] | null {
  const clean = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || clean.length % 4 === 1) return null;
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    buffer = (buffer << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return out;
}

// ---------------------------------------------------------------- SM3, SM4, SM2

/** SM3 digest of text (UTF-8) or bytes, lower-case hex. */
export function sm3Hex(input: string | ArrayLike<number>): string {
  return smCrypto.sm3(typeof input === 'string' ? utf8Encode(input) : Array.from(input));
}

function sm4Key(keyHex: string): number[] {
  const key = hexToBytes(keyHex);
  if (key.length !== 16) throw new RangeError('SM4 密钥应为 16 字节（32 位十六进制数）');
  return key;
}

/** SM4-ECB with PKCS#7 padding. */
export function sm4EcbEncrypt(plain: ArrayLike<number>, keyHex: string): number[] {
  return smCrypto.sm4.encrypt(Array.from(plain), sm4Key(keyHex), { mode: 'ecb', padding: 'pkcs#7', output: 'array' });
}

/** SM4-ECB with PKCS#7 padding; null when the text is not a whole number of blocks or the padding is wrong. */
export function sm4EcbDecrypt(cipher: ArrayLike<number>, keyHex: string): number[] | null {
  if (cipher.length === 0 || cipher.length % 16 !== 0) return null;
  const key = sm4Key(keyHex);
  let plain: number[];
  try {
    plain = smCrypto.sm4.decrypt(Array.from(cipher), key, { mode: 'ecb', padding: 'none', output: 'array' });
  } catch {
    return null;
  }
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > 16) return null;
  for (let i = 1; i <= pad; i++) if (plain[plain.length - i] !== pad) return null;
  return plain.slice(0, plain.length - pad);
}

/** base64(SM4-ECB(UTF-8 of text)) — how Jilin writes an encrypted input or output. */
export function sm4EncryptText(text: string, keyHex: string): string {
  return base64Encode(sm4EcbEncrypt(utf8Encode(text), keyHex));
}

/** The text inside base64(SM4-ECB(…)); null when it is not base64, not SM4 under this key, or not UTF-8. */
export function sm4DecryptText(cipherBase64: string, keyHex: string): string | null {
  const cipher = base64Decode(cipherBase64);
  if (!cipher) return null;
  const plain = sm4EcbDecrypt(cipher, keyHex);
  return plain ? utf8Decode(plain) : null;
}

/** The SM4 key of a client id: its UTF-8 bytes, which must be exactly 16. */
export function sm4KeyOfClientId(clientId: string): string {
  const bytes = utf8Encode(clientId);
  if (bytes.length !== 16) throw new RangeError('客户端编号须为 16 字节才能作为 SM4 密钥');
  return bytesToHex(bytes);
}

export type Sm2SignatureFormat = 'raw-hex' | 'raw-base64' | 'der-base64';

export const DEFAULT_SM2_USER_ID = '1234567812345678';

export function sm2PublicKeyOf(privateKeyHex: string): string {
  return smCrypto.sm2.getPublicKeyFromPrivateKey(privateKeyHex.toLowerCase());
}

/** SM3withSM2 (Z_A with `userId`, then SM3 of Z_A ‖ UTF-8 of the message) in the given format. */
export function sm2Sign(
  message: string,
  privateKeyHex: string,
  options: { userId?: string; format: Sm2SignatureFormat; publicKey?: string; random?: (n: number) => ArrayLike<number> },
): string {
  const privateKey = privateKeyHex.toLowerCase();
  const der = options.format === 'der-base64';
  if (options.random && !der) {
    // Our BigInt signing (sm2.ts), given the caller's randomness: several times faster.
    const publicKey = (options.publicKey ?? sm2PublicKeyOf(privateKey)).toLowerCase();
    const hex = sm2SignRaw(utf8Encode(message), privateKey.padStart(64, '0'), publicKey, utf8Encode(options.userId ?? DEFAULT_SM2_USER_ID), options.random);
    return options.format === 'raw-hex' ? hex : base64Encode(hexToBytes(hex));
  }
  const hex = smCrypto.sm2.doSignature(utf8Encode(message), privateKey, {
    hash: true,
    der,
    publicKey: options.publicKey ?? sm2PublicKeyOf(privateKey),
    userId: options.userId ?? DEFAULT_SM2_USER_ID,
  });
  return options.format === 'raw-hex' ? hex : base64Encode(hexToBytes(hex));
}

export function sm2Verify(message: string, signature: string, publicKeyHex: string, options: { userId?: string; format: Sm2SignatureFormat }): boolean {
  let hex: string;
  if (options.format === 'raw-hex') hex = signature;
  else {
    const bytes = base64Decode(signature);
    if (!bytes) return false;
    hex = bytesToHex(bytes);
  }
  if (options.format !== 'der-base64') {
    // r‖s: our own BigInt verification, several times faster than sm-crypto's (sm2.ts).
    if (!/^[0-9a-fA-F]{128}$/.test(hex)) return false;
    return sm2VerifyRaw(utf8Encode(message), hex.slice(0, 64), hex.slice(64), publicKeyHex.toLowerCase(), utf8Encode(options.userId ?? DEFAULT_SM2_USER_ID));
  }
  try {
    return smCrypto.sm2.doVerifySignature(utf8Encode(message), hex.toLowerCase(), publicKeyHex.toLowerCase(), {
      hash: true,
      der: options.format === 'der-base64',
      userId: options.userId ?? DEFAULT_SM2_USER_ID,
    });
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- canonical envelope

function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortedCopy(v);
    }
    return out;
  }
  return value;
}

/**
 * The text the envelope-wide signature covers: the envelope as JSON with object keys sorted at
 * every depth, no whitespace, `cainfo` left out (it cannot sign itself), `signtype` kept in.
 */
export function canonicalEnvelope(envelope: Record<string, unknown>): string {
  const { cainfo: _omitted, ...rest } = envelope;
  return JSON.stringify(sortedCopy(rest));
}

// ---------------------------------------------------------------- TIF gateway headers

/** x-tif-signature: lower-case hex SHA-256 of timestamp + token + nonce + timestamp. */
export function tifSignature(timestamp: string, token: string, nonce: string): string {
  return sha256Hex(`${timestamp}${token}${nonce}${timestamp}`);
}

/** The four TIF headers for one request; `nowMs` and `nonce` are the caller's. */
export function tifHeaders(p: { paasid: string; token: string; nowMs: number; nonce: string }): Record<string, string> {
  const timestamp = String(Math.floor(p.nowMs / 1000));
  return {
    'x-tif-paasid': p.paasid,
    'x-tif-timestamp': timestamp,
    'x-tif-nonce': p.nonce,
    'x-tif-signature': tifSignature(timestamp, p.token, p.nonce),
  };
}

/** What a TIF gateway checks; null when the headers are good, else the refusal in Chinese. */
export function checkTifHeaders(
  headers: Record<string, string | string[] | undefined>,
  p: { tokens: Readonly<Record<string, string>>; nowMs: number; maxSkewSeconds: number },
): string | null {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const paasid = one('x-tif-paasid');
  const timestamp = one('x-tif-timestamp');
  const nonce = one('x-tif-nonce');
  const signature = one('x-tif-signature');
  if (!paasid || !timestamp || !nonce || !signature) {
    const missing = ['x-tif-paasid', 'x-tif-timestamp', 'x-tif-nonce', 'x-tif-signature'].filter((n) => !one(n));
    return `网关认证失败：缺少请求头 ${missing.join('、')}`;
  }
  const token = Object.hasOwn(p.tokens, paasid) ? p.tokens[paasid] : undefined;
  if (token === undefined) return `网关认证失败：未登记的 paasid ${paasid}`;
  if (!/^\d{1,12}$/.test(timestamp)) return '网关认证失败：x-tif-timestamp 应为 Unix 秒数';
  const skew = Math.abs(Math.floor(p.nowMs / 1000) - Number(timestamp));
  if (skew > p.maxSkewSeconds) {
    return `网关认证失败：时间戳已过期（与网关时间相差 ${skew} 秒，允许 ${p.maxSkewSeconds} 秒），请校准本机时间`;
  }
  if (signature.toLowerCase() !== tifSignature(timestamp, token, nonce)) return '网关认证失败：x-tif-signature 签名错误';
  return null;
}

// ---------------------------------------------------------------- sealing and opening

/** The keys one side holds; each function says which it needs. */
export interface DialectKeys {
  /** The hospital's SM2 private key (hex): the gateway signs requests with it. */
  clientPrivateKey?: string;
  /** The hospital's SM2 public key (04‖x‖y hex): the platform verifies requests with it. */
  clientPublicKey?: string;
  /** The platform's SM2 private key: the platform signs answers with it. */
  platformPrivateKey?: string;
  /** The platform's SM2 public key: the gateway verifies answers with it when given. */
  platformPublicKey?: string;
  /** SM4 key (32 hex digits) for `sm4-input`. */
  sm4Key?: string;
  /** Random bytes for SM2 signing (node:crypto's randomBytes); without it sm-crypto signs, more slowly. */
  random?: (n: number) => ArrayLike<number>;
}

/** The SM4 key a dialect uses, from the client id or the secret key. */
export function sm4KeyFor(dialect: Dialect, secretKey: string | undefined): string | undefined {
  if (dialect.security.kind !== 'sm4-input') return undefined;
  if (dialect.security.keySource === 'secret') return secretKey?.toLowerCase();
  return dialect.auth.kind === 'oauth2' ? sm4KeyOfClientId(dialect.auth.clientId) : undefined;
}

/** The request as the dialect sends it: signed, and with `input` encrypted where the dialect says. */
export function sealRequest(dialect: Dialect, envelope: Record<string, unknown>, keys: DialectKeys): Record<string, unknown> {
  const security = dialect.security;
  if (security.kind === 'none') return { ...envelope, signtype: '', cainfo: '' };
  if (!keys.clientPrivateKey) throw new Error('缺少 SM2 私钥，无法签名');
  if (security.kind === 'envelope-sm2') {
    const signed = { ...envelope, signtype: 'SM2' };
    return { ...signed, cainfo: sm2Sign(canonicalEnvelope(signed), keys.clientPrivateKey, { userId: security.userId, format: security.format, random: keys.random }) };
  }
  if (!keys.sm4Key) throw new Error('缺少 SM4 密钥，无法加密');
  const json = JSON.stringify(envelope['input'] ?? {});
  return {
    ...envelope,
    input: sm4EncryptText(json, keys.sm4Key),
    enc_type: 'SM4',
    signtype: 'SM2',
    cainfo: sm2Sign(json, keys.clientPrivateKey, { userId: security.userId, format: security.format, random: keys.random }),
  };
}

export type Opened = { ok: true; envelope: Record<string, unknown> } | { ok: false; message: string };

/** What the platform does with a request of the dialect: verify the signature, decrypt `input`. */
export function openRequest(dialect: Dialect, body: Record<string, unknown>, keys: DialectKeys): Opened {
  const security = dialect.security;
  if (security.kind === 'none') return { ok: true, envelope: body };
  const cainfo = body['cainfo'];
  if (typeof cainfo !== 'string' || cainfo === '') return { ok: false, message: '验签失败：缺少数字签名信息 cainfo' };
  if (!keys.clientPublicKey) return { ok: false, message: '验签失败：平台未登记本机构的 SM2 公钥' };
  if (security.kind === 'envelope-sm2') {
    const ok = sm2Verify(canonicalEnvelope(body), cainfo, keys.clientPublicKey, { userId: security.userId, format: security.format });
    return ok ? { ok: true, envelope: body } : { ok: false, message: '验签失败：cainfo 与报文内容不符（SM3withSM2，整个报文）' };
  }
  const input = body['input'];
  if (typeof input !== 'string') return { ok: false, message: '解密失败：input 应为 SM4 密文（Base64），收到的是明文' };
  if (!keys.sm4Key) return { ok: false, message: '解密失败：平台没有本机构的 SM4 密钥' };
  const json = sm4DecryptText(input, keys.sm4Key);
  if (json === null) return { ok: false, message: '解密失败：input 不是本机构密钥加密的 SM4 密文' };
  if (!sm2Verify(json, cainfo, keys.clientPublicKey, { userId: security.userId, format: security.format })) {
    return { ok: false, message: '验签失败：cainfo 与 input 内容不符（SM3withSM2，仅签 input）' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { ok: false, message: '解密后的 input 不是有效的 JSON' };
  }
  return { ok: true, envelope: { ...body, input: parsed } };
}

/** An answer as the platform writes it, before the dialect's typing and sealing. */
export interface PlainAnswer {
  infcode: number;
  inf_refmsgid: string;
  refmsg_time: string;
  respond_time: string;
  err_msg: string;
  warn_msg?: string;
  output: unknown;
}

/** The answer as the dialect's platform sends it: its infcode type, success err_msg, warn key, encryption and signature. */
export function sealAnswer(dialect: Dialect, answer: PlainAnswer, keys: DialectKeys): Record<string, unknown> {
  const { warn_msg, ...rest } = answer;
  const style = dialect.answer;
  const success = answer.infcode === 0;
  const out: Record<string, unknown> = {
    ...rest,
    infcode: style.infcode === 'string' ? String(answer.infcode) : answer.infcode,
    err_msg: success && answer.err_msg === '' ? (style.successErrMsg === 'null' ? null : style.successErrMsg === '成功' ? '成功' : '') : answer.err_msg,
    signtype: '',
    cainfo: '',
  };
  if (warn_msg) out[style.warnKey] = warn_msg;
  const security = dialect.security;
  if (security.kind === 'sm4-input' && keys.sm4Key && answer.output !== null && answer.output !== undefined) {
    const json = JSON.stringify(answer.output);
    out['output'] = sm4EncryptText(json, keys.sm4Key);
    out['enc_type'] = 'SM4';
    if (keys.platformPrivateKey) {
      out['signtype'] = 'SM2';
      out['cainfo'] = sm2Sign(json, keys.platformPrivateKey, { userId: security.userId, format: security.format, random: keys.random });
    }
  } else if (security.kind === 'envelope-sm2' && keys.platformPrivateKey) {
    out['signtype'] = 'SM2';
    out['cainfo'] = sm2Sign(canonicalEnvelope(out), keys.platformPrivateKey, { userId: security.userId, format: security.format, random: keys.random });
  }
  return out;
}

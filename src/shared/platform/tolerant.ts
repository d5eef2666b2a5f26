/**
 * The tolerant reader of platform answers: whatever the dialect, the workstation reads an answer
 * the same way, and never takes a success for a failure.
 *
 * - `infcode` as a number or a string ("0", " -1 ");
 * - `err_msg` empty, null or "成功" on success (and whatever text a platform puts there: infcode
 *   decides, not err_msg);
 * - `warn_msg` or `warnMsg`; unknown extra keys are kept, never refused;
 * - `output` as an object, as JSON text, or SM4-encrypted (decrypted with the dialect's key);
 * - 5301 `enddate` empty, null or far in the future means "no end";
 * - 1101 `age` with a decimal (69.2);
 * - the 1309 catalogue zipped or plain (`readCatalogueFile`).
 */
import { chinaParts, isChinaDate } from '../time';
import { sm4DecryptText, sm2Verify, utf8Decode, utf8Encode, type Sm2SignatureFormat } from './dialect-crypto';
import { normalizeInfcode } from './envelope';
import { parseCatalogueFile, type CatalogueRow } from './catalogue';

export interface ReadAnswer {
  infcode: number;
  /** infcode is 0. */
  success: boolean;
  /** The platform's message; "" on success whatever the platform wrote ("成功", null …). */
  errMsg: string;
  warnMsg: string;
  output: unknown;
  infRefmsgid?: string;
  respondTime?: string;
  /** The answer's SM2 signature checked out (true), failed (false), or was not checked (undefined). */
  signatureOk?: boolean;
  /** Every key as received, for the log of an unexpected answer. */
  raw: Record<string, unknown>;
}

export type ReadResult = { ok: true; answer: ReadAnswer } | { ok: false; reason: string };

export interface ReadOptions {
  /** SM4 key (hex) for an encrypted output. */
  sm4Key?: string;
  /** The platform's SM2 public key and signature settings, to check `cainfo` over the output. */
  verify?: { publicKey: string; userId: string; format: Sm2SignatureFormat };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Reads an answer from its body text or parsed JSON. */
export function readAnswer(body: string | unknown, options: ReadOptions = {}): ReadResult {
  let json: unknown = body;
  if (typeof body === 'string') {
    try {
      json = JSON.parse(body.replace(/^\uFEFF/, ''));
    } catch {
      return { ok: false, reason: '应答不是 JSON' };
    }
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { ok: false, reason: '应答不是 JSON 对象' };
  const raw = json as Record<string, unknown>;
  const infcode = normalizeInfcode(raw['infcode']);
  if (infcode === null) return { ok: false, reason: `infcode 无法识别：${JSON.stringify(raw['infcode'] ?? null)}` };
  const success = infcode === 0;

  let output: unknown = raw['output'] ?? null;
  let signatureOk: boolean | undefined;
  if (typeof output === 'string' && output !== '') {
    const encrypted = text(raw['enc_type']).toUpperCase() === 'SM4' || (options.sm4Key !== undefined && !/^\s*[[{]/.test(output));
    let plain: string | null = output;
    if (encrypted) {
      if (!options.sm4Key) return { ok: false, reason: '应答 output 已加密（SM4），但未配置解密密钥' };
      plain = sm4DecryptText(output, options.sm4Key);
      if (plain === null) return { ok: false, reason: '应答 output 无法用本机构 SM4 密钥解密' };
      const cainfo = text(raw['cainfo']);
      if (options.verify && cainfo) signatureOk = sm2Verify(plain, cainfo, options.verify.publicKey, options.verify);
    }
    try {
      output = JSON.parse(plain);
    } catch {
      if (encrypted) return { ok: false, reason: '解密后的 output 不是 JSON' };
      // A plain string output (some platforms answer a message there) stays as it is.
    }
  }

  const errMsg = success ? '' : text(raw['err_msg']) || text(raw['errMsg']);
  const warnMsg = text(raw['warn_msg']) || text(raw['warnMsg']) || (success && text(raw['err_msg']) !== '成功' ? text(raw['err_msg']) : '');
  return {
    ok: true,
    answer: {
      infcode,
      success,
      errMsg,
      warnMsg,
      output,
      infRefmsgid: text(raw['inf_refmsgid']) || undefined,
      respondTime: text(raw['respond_time']) || undefined,
      signatureOk,
      raw,
    },
  };
}

/** Years ahead from which an enddate stands for "no end" (one platform writes 2120-11-01). */
export const FAR_FUTURE_YEARS = 50;

/**
 * A filing's enddate as the workstation keeps it: "" for no end (empty, null, or a date more than
 * FAR_FUTURE_YEARS after `now`), else the date (a datetime is cut to its date).
 */
export function readEnddate(value: unknown, now: Date): string {
  const t = text(value).trim();
  if (t === '') return '';
  const date = t.length > 10 && isChinaDate(t.slice(0, 10)) ? t.slice(0, 10) : t;
  if (!isChinaDate(date)) return t;
  return Number(date.slice(0, 4)) - chinaParts(now).year > FAR_FUTURE_YEARS ? '' : date;
}

/** 1101 age: a number, possibly with a decimal, or text of one; null when absent or not a number. */
export function readAge(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

/** 5301 rows with "no end" written as "" whatever the platform wrote. */
export function readFilingRows<T extends { enddate?: string | null }>(rows: readonly T[], now: Date): (T & { enddate: string })[] {
  return rows.map((row) => ({ ...row, enddate: readEnddate(row.enddate, now) }));
}

// ---------------------------------------------------------------- zip (the 1309 catalogue)

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: ArrayLike<number>): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Raw DEFLATE (RFC 1951), given by the caller (node:zlib in main and the sandbox). */
export type Deflate = (bytes: Uint8Array) => Uint8Array;

const u16 = (v: number) => [v & 0xff, (v >>> 8) & 0xff];
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

/** A zip archive of one file, deflated when `deflateRaw` is given, else stored. Times are zero (1980-01-01). */
export function zipOneFile(name: string, data: Uint8Array, deflateRaw?: Deflate): Uint8Array {
  const nameBytes = utf8Encode(name);
  const body = deflateRaw ? deflateRaw(data) : data;
  const method = deflateRaw ? 8 : 0;
  const crc = crc32(data);
  const common = [...u16(20), ...u16(0x0800), ...u16(method), ...u16(0), ...u16(0x21), ...u32(crc), ...u32(body.length), ...u32(data.length), ...u16(nameBytes.length), ...u16(0)];
  const local = [...u32(0x04034b50), ...common, ...nameBytes];
  const central = [...u32(0x02014b50), ...u16(20), ...common, ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(0), ...nameBytes];
  const end = [...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(1), ...u16(1), ...u32(central.length), ...u32(local.length + body.length), ...u16(0)];
  const out = new Uint8Array(local.length + body.length + central.length + end.length);
  out.set(local, 0);
  out.set(body, local.length);
  out.set(central, local.length + body.length);
  out.set(end, local.length + body.length + central.length);
  return out;
}

export function isZip(bytes: ArrayLike<number>): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * The first file of a zip archive, found through the central directory (so sizes written after
 * the data are read right); stored or deflated. Throws with a Chinese message on a damaged archive.
 */
export function unzipFirstFile(bytes: Uint8Array, inflateRaw: Deflate): { name: string; data: Uint8Array } {
  const view = (i: number, n: 2 | 4) => (n === 2 ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view(i, 4) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('目录文件不是完整的 zip 压缩包');
  const cd = view(eocd + 16, 4);
  if (view(cd, 4) !== 0x02014b50) throw new Error('zip 压缩包目录损坏');
  const method = view(cd + 10, 2);
  const crc = view(cd + 16, 4);
  const compressed = view(cd + 20, 4);
  const nameLength = view(cd + 28, 2);
  const localOffset = view(cd + 42, 4);
  const name = utf8Decode(bytes.subarray(cd + 46, cd + 46 + nameLength)) ?? '';
  if (view(localOffset, 4) !== 0x04034b50) throw new Error('zip 压缩包文件头损坏');
  const start = localOffset + 30 + view(localOffset + 26, 2) + view(localOffset + 28, 2);
  const body = bytes.subarray(start, start + compressed);
  const data = method === 0 ? body : method === 8 ? inflateRaw(body) : null;
  if (!data) throw new Error(`zip 压缩方式 ${method} 不支持`);
  if (crc32(data) !== crc) throw new Error('zip 压缩包校验失败（CRC 不符）');
  return { name, data };
}

/** The 1309 catalogue from the bytes 9102 gave: a zip of the text file, or the text itself. */
export function readCatalogueFile(bytes: Uint8Array, inflateRaw: Deflate): CatalogueRow[] {
  const data = isZip(bytes) ? unzipFirstFile(bytes, inflateRaw).data : bytes;
  const textOf = utf8Decode(data);
  if (textOf === null) throw new Error('目录文件不是 UTF-8 文本');
  return parseCatalogueFile(textOf);
}

/**
 * Dialects of the national interface. The national tables fix the transactions and their fields;
 * each province's platform (and the gateway in front of it) adds its own way of authenticating the
 * caller, encrypting and signing the payload, requiring sign-in, numbering messages and typing
 * small things in its answers. A dialect is that set of choices as data: the workstation's
 * gateway speaks it, and the sandbox answers in it, from the same definitions.
 *
 * Presets name the combinations seen in hospital systems that talk to real platforms:
 * - `national`: the table as written — no gateway authentication, optional SM2 over the envelope,
 *   9001 sign-in required, 30-character msgids, infcode as a number;
 * - `jilin`: an OAuth2 password grant for a bearer token, `input` and `output` SM4-ECB encrypted
 *   with the client id as key and an SM2 signature over the input alone, infcode as a string;
 * - `guangdong-tif`: the TIF gateway's header signature (SHA-256 of timestamp, token, nonce and
 *   timestamp again), no 9001 session at all, msgids of 26 characters accepted.
 * An administrator starts from a preset and may change any part (README, "Dialects").
 */
import { z } from 'zod';

export const DIALECT_PRESET_NAMES = ['national', 'jilin', 'guangdong-tif'] as const;
export type DialectPresetName = (typeof DIALECT_PRESET_NAMES)[number];

const path = z
  .string()
  .trim()
  .max(200, '路径过长（最多 200 个字符）')
  .regex(/^\/[^\s?#]*$/, '路径应以 / 开头，且不含空格、? 或 #');

/** How the caller proves who it is to the platform's gateway, before any envelope is read. */
export const dialectAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /** HTTP Basic on every call; the password is a secret. */
  z.object({ kind: z.literal('basic'), username: z.string().trim().min(1, '请填写用户名').max(100, '用户名过长') }),
  /**
   * OAuth2 password grant: client credentials as HTTP Basic on the token request, the user's name
   * and password in the form; then `Authorization: Bearer <token>` on every call, refreshed with
   * the refresh token when it expires. The client secret and the password are secrets.
   */
  z.object({
    kind: z.literal('oauth2'),
    tokenPath: path.default('/oauth/token'),
    clientId: z.string().trim().min(1, '请填写客户端编号（client_id）').max(100, '客户端编号过长'),
    username: z.string().trim().min(1, '请填写用户名').max(100, '用户名过长'),
    scope: z.string().trim().max(200, 'scope 过长').default(''),
  }),
  /**
   * The TIF gateway (Guangdong): headers x-tif-paasid, x-tif-timestamp (Unix seconds),
   * x-tif-nonce and x-tif-signature = hex SHA-256 of timestamp + token + nonce + timestamp.
   * The token is a secret. The gateway refuses a timestamp further than `maxSkewSeconds` from its clock.
   */
  z.object({
    kind: z.literal('tif'),
    paasid: z.string().trim().min(1, '请填写 paasid').max(100, 'paasid 过长'),
    maxSkewSeconds: z.number().int().min(10).max(3600).default(300),
  }),
]);
export type DialectAuth = z.output<typeof dialectAuthSchema>;

/**
 * The platform's SM2 public key (04‖x‖y, 130 hex digits), not a secret: when given, the gateway
 * checks the signature of the platform's answers with it; empty = answers are not checked.
 */
const platformPublicKey = z
  .string()
  .trim()
  .regex(/^(04[0-9a-fA-F]{128})?$/, '平台公钥应为 04 开头的 130 位十六进制数')
  .default('');

/** What is encrypted and signed, and how. */
export const dialectSecuritySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /**
   * SM3withSM2 over the whole envelope: `cainfo` signs the envelope as JSON with keys sorted at
   * every depth, `cainfo` left out and `signtype` ("SM2") kept in. `input` stays plain.
   */
  z.object({
    kind: z.literal('envelope-sm2'),
    /** GM/T 0009 user id in Z_A. */
    userId: z.string().min(1, '签名用户标识不能为空').max(64, '签名用户标识过长').default('1234567812345678'),
    /** raw-hex: r‖s as 128 hex digits; der-base64: ASN.1 DER, base64. */
    format: z.enum(['raw-hex', 'der-base64']).default('raw-hex'),
    platformPublicKey,
  }),
  /**
   * Jilin: `input` becomes base64 of SM4-ECB (PKCS#7) over the input's JSON, `enc_type` "SM4";
   * `cainfo` is the SM3withSM2 signature over that same JSON (the input only), `signtype` "SM2".
   * The answer's `output` comes back encrypted the same way. The SM4 key is the client id's
   * 16 bytes, or a 32-hex-digit key kept as a secret.
   */
  z.object({
    kind: z.literal('sm4-input'),
    userId: z.string().min(1, '签名用户标识不能为空').max(64, '签名用户标识过长').default('1234567812345678'),
    keySource: z.enum(['client-id', 'secret']).default('client-id'),
    /** raw-base64: the 64 bytes r‖s in base64 (Jilin); raw-hex; der-base64. */
    format: z.enum(['raw-base64', 'raw-hex', 'der-base64']).default('raw-base64'),
    platformPublicKey,
  }),
]);
export type DialectSecurity = z.output<typeof dialectSecuritySchema>;

/** How strict the platform is about 9001. */
export const dialectSignInSchema = z.object({
  /** required: every code but 9001 carries a sign_no; none: the platform never sees one. */
  policy: z.enum(['required', 'none']).default('required'),
  /** The gateway signs in again after this many seconds; 0 = keep the session until refused. */
  lifetimeSeconds: z.number().int().min(0).max(7 * 24 * 3600).default(0),
  /** Sign in again when the operator (opter) changes. */
  againOnOperatorChange: z.boolean().default(true),
});

/** msgid as the workstation writes it and as the platform accepts it. */
export const dialectMsgidSchema = z.object({
  /**
   * sequence: institution code + yyyyMMddHHmmss + 4-digit sequence of the workstation's slice (the table);
   * millisecond: institution code + yyyyMMddHHmmss + milliseconds (3) + the workstation slot (1).
   */
  style: z.enum(['sequence', 'millisecond']).default('sequence'),
  /** The platform also accepts institution code + yyyyMMddHHmmss without a suffix (26 characters). */
  acceptShort: z.boolean().default(false),
});

/** Small types in the answers. */
export const dialectAnswerSchema = z.object({
  /** What the platform sends as infcode (the workstation reads both). */
  infcode: z.enum(['number', 'string']).default('number'),
  /** err_msg on success. */
  successErrMsg: z.enum(['empty', 'null', '成功']).default('empty'),
  /** enddate of an open-ended filing in 5301: "" or a far-future date such as 2120-11-01. */
  openEnddate: z.enum(['empty', 'far-future']).default('empty'),
  /** Key for a warning: warn_msg or warnMsg. */
  warnKey: z.enum(['warn_msg', 'warnMsg']).default('warn_msg'),
});

export const dialectSchema = z.object({
  /** The preset this dialect started from; 'custom' once the administrator has changed a part. */
  preset: z.enum([...DIALECT_PRESET_NAMES, 'custom']).default('national'),
  auth: dialectAuthSchema.default({ kind: 'none' }),
  security: dialectSecuritySchema.default({ kind: 'none' }),
  signIn: dialectSignInSchema.default({ policy: 'required', lifetimeSeconds: 0, againOnOperatorChange: true }),
  msgid: dialectMsgidSchema.default({ style: 'sequence', acceptShort: false }),
  answer: dialectAnswerSchema.default({ infcode: 'number', successErrMsg: 'empty', openEnddate: 'empty', warnKey: 'warn_msg' }),
  /**
   * How a 9101 upload travels: the envelope as JSON with the file in base64 (the table), or
   * multipart/form-data with the envelope as the text part `jsonStr` and the file's bytes as the
   * part `in` (Jilin's front service).
   */
  uploadContentType: z.enum(['application/json', 'multipart/form-data']).default('application/json'),
  /** Content type of a 9102 request: most send JSON, some clients text/plain (the body is JSON either way). */
  downloadContentType: z.enum(['application/json', 'text/plain']).default('application/json'),
  /** The 1309 catalogue handed out as a zip (as real platforms do) or as plain text. */
  catalogueZipped: z.boolean().default(false),
  /** Longest infno the platform accepts (newer tables: 6, e.g. 100001). */
  infnoMaxLength: z.number().int().min(4).max(6).default(6),
});
export type Dialect = z.output<typeof dialectSchema>;
export type DialectInput = z.input<typeof dialectSchema>;

const NATIONAL: Dialect = {
  preset: 'national',
  auth: { kind: 'none' },
  security: { kind: 'none' },
  signIn: { policy: 'required', lifetimeSeconds: 0, againOnOperatorChange: true },
  msgid: { style: 'sequence', acceptShort: false },
  answer: { infcode: 'number', successErrMsg: 'empty', openEnddate: 'empty', warnKey: 'warn_msg' },
  uploadContentType: 'application/json',
  downloadContentType: 'application/json',
  catalogueZipped: false,
  infnoMaxLength: 6,
};

/** The presets. Credentials (client id, user, paasid) are placeholders the administrator replaces. */
export const DIALECT_PRESETS: Readonly<Record<DialectPresetName, Dialect>> = {
  national: NATIONAL,
  jilin: {
    ...NATIONAL,
    preset: 'jilin',
    auth: { kind: 'oauth2', tokenPath: '/oauth/token', clientId: 'CLIENTID00000001', username: 'his', scope: '' },
    security: { kind: 'sm4-input', userId: '1234567812345678', keySource: 'client-id', format: 'raw-base64', platformPublicKey: '' },
    signIn: { policy: 'required', lifetimeSeconds: 24 * 3600, againOnOperatorChange: true },
    answer: { infcode: 'string', successErrMsg: '成功', openEnddate: 'empty', warnKey: 'warn_msg' },
    uploadContentType: 'multipart/form-data',
    catalogueZipped: true,
  },
  'guangdong-tif': {
    ...NATIONAL,
    preset: 'guangdong-tif',
    auth: { kind: 'tif', paasid: 'hospital_paasid', maxSkewSeconds: 300 },
    signIn: { policy: 'none', lifetimeSeconds: 0, againOnOperatorChange: false },
    msgid: { style: 'sequence', acceptShort: true },
    answer: { infcode: 'number', successErrMsg: 'null', openEnddate: 'far-future', warnKey: 'warnMsg' },
    downloadContentType: 'text/plain',
    catalogueZipped: true,
  },
};

/** Chinese names for the settings page and messages. */
export const DIALECT_PRESET_LABELS: Readonly<Record<DialectPresetName | 'custom', string>> = {
  national: '国家标准（national）',
  jilin: '吉林（jilin：OAuth2 + SM4/SM2）',
  'guangdong-tif': '广东 TIF 网关（guangdong-tif）',
  custom: '自定义',
};

export function dialectPreset(name: DialectPresetName): Dialect {
  return structuredCloneDialect(DIALECT_PRESETS[name]);
}

function structuredCloneDialect(d: Dialect): Dialect {
  return dialectSchema.parse(JSON.parse(JSON.stringify(d)));
}

/** The dialect with what each hospital fills in (ids, user names, keys) blanked, to compare with a preset. */
function shape(d: Dialect): unknown {
  const auth = d.auth;
  const blankAuth =
    auth.kind === 'oauth2' ? { ...auth, clientId: '', username: '', scope: '' } : auth.kind === 'basic' ? { ...auth, username: '' } : auth.kind === 'tif' ? { ...auth, paasid: '' } : auth;
  const security = d.security.kind === 'none' ? d.security : { ...d.security, platformPublicKey: '' };
  return { ...d, preset: '', auth: blankAuth, security };
}

/** True when the dialect is its preset with only the hospital's own ids, names and keys filled in. */
export function matchesPreset(d: Dialect): boolean {
  return d.preset !== 'custom' && stableJson(shape(d)) === stableJson(shape(DIALECT_PRESETS[d.preset]));
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function isDialectPresetName(name: string): name is DialectPresetName {
  return (DIALECT_PRESET_NAMES as readonly string[]).includes(name);
}

/** Secrets a dialect needs, by the name the secret store keeps them under. */
export type DialectSecretName = 'sm2PrivateKey' | 'password' | 'clientSecret' | 'tifToken' | 'sm4Key';

export function secretsNeeded(d: Dialect): DialectSecretName[] {
  const out: DialectSecretName[] = [];
  if (d.auth.kind === 'basic') out.push('password');
  if (d.auth.kind === 'oauth2') out.push('clientSecret', 'password');
  if (d.auth.kind === 'tif') out.push('tifToken');
  if (d.security.kind !== 'none') out.push('sm2PrivateKey');
  if (d.security.kind === 'sm4-input' && d.security.keySource === 'secret') out.push('sm4Key');
  return out;
}

/** Problems with a dialect that the schema alone cannot see, in Chinese; empty when it is usable. */
export function dialectProblems(d: Dialect): string[] {
  const problems: string[] = [];
  if (d.security.kind === 'sm4-input' && d.security.keySource === 'client-id') {
    if (d.auth.kind !== 'oauth2') problems.push('以客户端编号作为 SM4 密钥时，认证方式须为 OAuth2（客户端编号在其中填写）');
    else if (utf8Length(d.auth.clientId) !== 16) problems.push('以客户端编号作为 SM4 密钥时，客户端编号须为 16 字节');
  }
  return problems;
}

function utf8Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

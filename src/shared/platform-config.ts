/**
 * The workstation's platform settings (issue 3 point 8): which platform it talks to and how to
 * fill the national envelope. Stored by main in `<dataDir>/platform.json`; secrets (the SM2 private
 * key, the platform password) live in main's SecretStore and cross IPC only inwards — the view
 * says whether each is set, never what it is. Envelope field names are kept as the interface
 * spells them (fixmedins_code …) so the mapping to the envelope is one-to-one.
 */
import { z } from 'zod';
import { DEFAULT_RECOGNITION_INFNO } from './platform/recognition';
import { DIALECT_PRESET_NAMES, DIALECT_PRESETS, dialectProblems, dialectSchema, secretsNeeded, type DialectSecretName } from './platform/dialect';

/** Transaction code: 4 digits or capitals, as the contract's platform.send accepts. */
const infno = z.string().regex(/^[0-9A-Z]{4}$/, '交易编号应为 4 位数字或大写字母');
const path = z
  .string()
  .trim()
  .max(200, '路径过长（最多 200 个字符）')
  .regex(/^\/[^\s?#]*$/, '路径应以 / 开头，且不含空格、? 或 #');

export const httpUrl = z
  .string()
  .trim()
  .max(500, '地址过长')
  .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, '平台地址应以 http:// 或 https:// 开头，例如 http://10.1.2.3:8080');

/** Some provinces serve a few codes (e.g. file transfer) from another base URL. */
const secondBaseSchema = z.object({
  url: z.union([z.literal(''), httpUrl]).default(''),
  infnos: z.array(infno).max(50).default([]),
});

/**
 * Provinces either route every transaction through one endpoint or give each code its own path
 * (domain.md §5); `overrides` covers the odd code with a path of its own (e.g. 9101 uploads).
 */
export const platformRoutingSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('single'),
    path,
    overrides: z.record(infno, path).default({}),
    secondBase: secondBaseSchema.optional(),
  }),
  z.object({
    kind: z.literal('perTransaction'),
    pathTemplate: path.refine((p) => p.includes('{infno}'), '按交易分路径时，路径模板须包含 {infno}'),
    overrides: z.record(infno, path).default({}),
    secondBase: secondBaseSchema.optional(),
  }),
]);

export const platformConfigSchema = z
  .object({
    /** demo: the embedded sandbox (演示平台); configured: the endpoint below. */
    mode: z.enum(['demo', 'configured']),
    /** Shown as the status label in configured mode, e.g. 湖北省医保信息平台（测试环境）. */
    platformName: z.string().trim().max(40, '平台名称最多 40 个字符').default(''),
    /** Ignored in demo mode; required in configured mode. */
    baseUrl: z.union([z.literal(''), httpUrl]).default(''),
    routing: platformRoutingSchema,
    timeouts: z.object({
      connectMs: z.number({ error: '请填写连接超时' }).int().min(500, '连接超时不少于 500 毫秒').max(60_000, '连接超时不超过 60 秒'),
      responseMs: z.number({ error: '请填写应答超时' }).int().min(1_000, '应答超时不少于 1 秒').max(300_000, '应答超时不超过 300 秒'),
    }),
    institution: z.object({
      fixmedins_code: z.string().trim().regex(/^[A-Za-z0-9]{12}$/, '定点医药机构编号应为 12 位字母或数字'),
      fixmedins_name: z.string().trim().min(1, '请填写定点医药机构名称').max(200, '机构名称最多 200 个字符'),
      mdtrtarea_admvs: z.string().regex(/^\d{6}$/, '就医地医保区划应为 6 位数字'),
    }),
    operator: z.object({
      /** 1 clerk (窗口), 2 self-service kiosk, 3 mobile. */
      opter_type: z.enum(['1', '2', '3']),
      opter: z.string().trim().min(1, '请填写经办人编号').max(30, '经办人编号最多 30 个字符'),
      opter_name: z.string().trim().min(1, '请填写经办人姓名').max(50, '经办人姓名最多 50 个字符'),
    }),
    recer_sys_code: z.string().trim().max(10, '接收方系统代码最多 10 个字符'),
    infver: z.string().trim().min(1, '请填写接口版本号').max(6, '接口版本号最多 6 个字符'),
    dev_no: z.string().trim().max(100, '设备编号最多 100 个字符').default(''),
    /** This workstation's slice of the msgid sequence: slot n uses n000–n999 (domain.md §5). */
    workstationSlot: z.number({ error: '请填写工作站序号' }).int().min(0, '工作站序号为 0–9').max(9, '工作站序号为 0–9'),
    /**
     * How this province speaks the interface: authentication, encryption and signature, sign-in,
     * msgid style, answer types (shared/platform/dialect.ts). Starts from a preset.
     */
    dialect: dialectSchema.default(DIALECT_PRESETS.national),
    /** The province's code for recording an exam-result recognition (not a national code; see shared/platform/recognition.ts). */
    recognitionInfno: infno,
  })
  .superRefine((config, ctx) => {
    if (config.mode === 'configured' && config.baseUrl === '') {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: '使用正式平台时必须填写平台地址' });
    }
    for (const message of dialectProblems(config.dialect)) ctx.addIssue({ code: 'custom', path: ['dialect'], message });
  });

export type PlatformConfig = z.output<typeof platformConfigSchema>;
export type PlatformRouting = z.output<typeof platformRoutingSchema>;

/** The names of the secrets the settings may hold. */
export const platformSecretNames = ['sm2PrivateKey', 'password', 'clientSecret', 'tifToken', 'sm4Key'] as const;
export type PlatformSecretName = (typeof platformSecretNames)[number];

/** What platform.getConfig answers: the settings, and which secrets are set (never their values). */
export const platformConfigViewSchema = z.object({
  config: platformConfigSchema,
  secrets: z.object({
    sm2PrivateKey: z.boolean(),
    password: z.boolean(),
    clientSecret: z.boolean().default(false),
    tifToken: z.boolean().default(false),
    sm4Key: z.boolean().default(false),
  }),
  /** The public key derived from the stored private key, to hand to the platform's operator. */
  sm2PublicKey: z.string().optional(),
  /** Whether the embedded sandbox is running, i.e. whether demo mode can work. */
  demoAvailable: z.boolean(),
  /** The dialect the running embedded sandbox answers in (set from the settings at start-up). */
  demoDialect: z.enum([...DIALECT_PRESET_NAMES, 'custom']).optional(),
  /** plain-file: browser mode / tests, where secrets sit unencrypted in the data folder. */
  secretProtection: z.enum(['os-encrypted', 'plain-file', 'unavailable']),
});
export type PlatformConfigView = z.output<typeof platformConfigViewSchema>;

/**
 * What platform.setConfig takes. A secret left out stays as it is; null clears it; a string sets it.
 * An SM2 private key is 64 hex digits (32 bytes).
 */
export const platformConfigUpdateSchema = z
  .object({
    config: platformConfigSchema,
    secrets: z
      .object({
        sm2PrivateKey: z
          .string()
          .trim()
          .regex(/^[0-9a-fA-F]{64}$/, 'SM2 私钥应为 64 位十六进制数')
          .nullable()
          .optional(),
        password: z.string().min(1, '密码不能为空').max(256, '密码过长（最多 256 个字符）').nullable().optional(),
        /** OAuth2 client secret. */
        clientSecret: z.string().min(1, '客户端密钥不能为空').max(256, '客户端密钥过长').nullable().optional(),
        /** The TIF gateway's token for this paasid. */
        tifToken: z.string().min(1, '网关令牌不能为空').max(256, '网关令牌过长').nullable().optional(),
        /** An SM4 key given as such (not derived from the client id): 32 hex digits. */
        sm4Key: z
          .string()
          .trim()
          .regex(/^[0-9a-fA-F]{32}$/, 'SM4 密钥应为 32 位十六进制数')
          .nullable()
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type PlatformConfigUpdate = z.input<typeof platformConfigUpdateSchema>;

/**
 * First-start settings: demo mode against the embedded sandbox with a clearly fictitious
 * institution, so a new user sees the whole flow before anyone configures anything.
 */
export const defaultPlatformConfig: PlatformConfig = {
  mode: 'demo',
  platformName: '',
  baseUrl: '',
  routing: { kind: 'single', path: '/fsi/api/rsfComIfsService/callService', overrides: {} },
  timeouts: { connectMs: 5_000, responseMs: 30_000 },
  institution: { fixmedins_code: 'H00000000001', fixmedins_name: '演示医院（虚构）', mdtrtarea_admvs: '140100' },
  operator: { opter_type: '1', opter: 'DEMO01', opter_name: '演示经办人' },
  recer_sys_code: 'FSI',
  infver: 'V1.0',
  dev_no: '',
  workstationSlot: 0,
  dialect: DIALECT_PRESETS.national,
  recognitionInfno: DEFAULT_RECOGNITION_INFNO,
};

/** Chinese names of the secrets, for "must be set" messages. */
export const PLATFORM_SECRET_LABELS: Readonly<Record<PlatformSecretName, string>> = {
  sm2PrivateKey: 'SM2 私钥',
  password: '平台密码',
  clientSecret: '客户端密钥（client_secret）',
  tifToken: '网关令牌（token）',
  sm4Key: 'SM4 密钥',
};

/**
 * The secrets the settings' dialect needs. None in demo mode: the embedded demo platform's own
 * invented credentials are used there, whatever the dialect.
 */
export function requiredSecrets(config: PlatformConfig): PlatformSecretName[] {
  if (config.mode === 'demo') return [];
  return secretsNeeded(config.dialect) satisfies DialectSecretName[];
}

/**
 * A platform.json written before dialects existed kept `signing` (off | SM2 over the envelope) and
 * `auth` (none | basic) at the top; they become the dialect's security and authentication.
 */
export function migratePlatformConfig(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || 'dialect' in raw) return raw;
  const { signing, auth, ...rest } = raw as { signing?: { kind?: string; userId?: string; format?: string }; auth?: { kind?: string; username?: string } } & Record<string, unknown>;
  const security = signing?.kind === 'SM2' ? { kind: 'envelope-sm2', userId: signing.userId, format: signing.format } : { kind: 'none' };
  const gateway = auth?.kind === 'basic' ? { kind: 'basic', username: auth.username } : { kind: 'none' };
  return { ...rest, dialect: { ...DIALECT_PRESETS.national, auth: gateway, security } };
}

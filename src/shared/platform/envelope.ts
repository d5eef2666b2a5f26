/**
 * The national envelope (domain.md §5): every request and response of the 定点医药机构接口 is one
 * JSON object of this shape; `infno` selects what `input` and `output` mean.
 */
import { z } from 'zod';
import { formatInfTime } from '../time';
import { optStr, reqCode, reqDateTime, reqStr, exactStr } from './fields';
import { parseMsgid, parseShortMsgid } from './msgid';

/** 6-digit 医保区划 code. */
export const admdvsSchema = reqStr(6).regex(/^\d{6}$/, '应为 6 位数字区划代码');
const optAdmdvs = optStr(6).refine((v) => v == null || v === '' || /^\d{6}$/.test(v), {
  message: '应为 6 位数字区划代码',
});

/** opter_type: 1 经办人, 2 自助终端, 3 移动终端. */
export const OPTER_TYPES = ['1', '2', '3'] as const;

/** What a platform accepts beyond the table's letter (a dialect's choices, shared/platform/dialect.ts). */
export interface EnvelopeRules {
  /** Longest infno: 5 by default (real codes such as 2304A), 6 where newer tables allow 100001. */
  infnoMaxLength?: number;
  /** Also accept a 26-character msgid: institution code + yyyyMMddHHmmss without a sequence. */
  acceptShortMsgid?: boolean;
}

/**
 * The request envelope. Lengths and required flags follow the national table, with notes:
 * - `infno` is 4 in the table, but real codes such as 2304A and 25004 have 5 characters, and newer
 *   copies of the table allow 6 (EnvelopeRules.infnoMaxLength);
 * - `fixmedins_name` is 20 in the envelope table while every other table gives the same field
 *   200, and real hospital names run past 20 characters; we use 200 so that no valid name is refused.
 */
export function envelopeRequestSchemaFor(rules: EnvelopeRules = {}) {
  const acceptShort = rules.acceptShortMsgid ?? false;
  const msgidMessage = acceptShort
    ? '应为 定点医药机构编号(12) + yyyyMMddHHmmss(14) [+ 顺序号(4)]'
    : '应为 定点医药机构编号(12) + yyyyMMddHHmmss(14) + 顺序号(4)';
  return z
  .object(
    {
      infno: reqStr(rules.infnoMaxLength ?? 5).regex(/^[0-9A-Za-z]+$/, '只能包含数字和字母'),
      msgid: (acceptShort ? reqStr(30) : exactStr(30)).refine((v) => parseMsgid(v) !== null || (acceptShort && parseShortMsgid(v) !== null), {
        message: msgidMessage,
      }),
      mdtrtarea_admvs: admdvsSchema,
      /** Required when the input carries a psn_no (checked by validateRequest). */
      insuplc_admdvs: optAdmdvs,
      recer_sys_code: reqStr(10),
      dev_no: optStr(100),
      dev_safe_info: optStr(2000),
      cainfo: optStr(1024),
      signtype: optStr(10),
      infver: reqStr(6),
      opter_type: reqCode(3, OPTER_TYPES),
      opter: reqStr(30),
      opter_name: reqStr(50),
      inf_time: reqDateTime(),
      fixmedins_code: reqStr(12),
      fixmedins_name: reqStr(200),
      /** From 9001; every transaction but 9001 needs it (checked by the platform, not the schema). */
      sign_no: optStr(30),
      input: z.record(z.string(), z.unknown(), {
        error: (iss) => (iss.input === undefined ? '必填' : '类型应为对象'),
      }),
    },
    { error: (iss) => (iss.input === undefined ? '必填' : '报文应为 JSON 对象') },
  )
  .superRefine((env, ctx) => {
    const parsed = parseMsgid(env.msgid) ?? (acceptShort ? parseShortMsgid(env.msgid) : null);
    if (parsed && parsed.fixmedinsCode !== env.fixmedins_code) {
      ctx.addIssue({ code: 'custom', path: ['msgid'], message: '前 12 位应与 fixmedins_code 一致' });
    }
  });
}

/** The envelope as the workstation writes it: the table's rules, infno up to 5. */
export const envelopeRequestSchema = envelopeRequestSchemaFor();

export type EnvelopeRequest = z.output<typeof envelopeRequestSchema>;

/** "0" or 0 → 0, "-1" or -1 → -1; anything that is not an integer → null. */
export function normalizeInfcode(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value.trim());
  return null;
}

export const INFCODE_SUCCESS = 0;
export const INFCODE_FAILURE = -1;

/**
 * The response envelope as a client reads it from any platform: lenient about what real
 * platforms leave out, strict about `infcode` (number or string, normalised to a number).
 * `output` stays unknown here; parse it with the transaction's output schema.
 */
export const envelopeResponseSchema = z.looseObject({
  infcode: z
    .union([z.number(), z.string()], { error: (iss) => (iss.input === undefined ? '必填' : '应为数字或数字字符串') })
    .transform((v, ctx) => {
      const n = normalizeInfcode(v);
      if (n === null) {
        ctx.addIssue({ code: 'custom', message: '应为整数' });
        return z.NEVER;
      }
      return n;
    }),
  /** Region (6) + yyyyMMddHHmmss (14) + serial (10). */
  inf_refmsgid: z.string().nullish(),
  /** yyyyMMddHHmmssSSS */
  refmsg_time: z.string().nullish(),
  /** yyyyMMddHHmmssSSS */
  respond_time: z.string().nullish(),
  err_msg: z.string().nullish(),
  warn_msg: z.string().nullish(),
  /** An object, or SM4-encrypted text where the province encrypts. */
  output: z.unknown(),
  signtype: z.string().nullish(),
  cainfo: z.string().nullish(),
});

export type EnvelopeResponse = z.output<typeof envelopeResponseSchema>;

/** What a workstation knows about itself; the same for every message it sends. */
export interface EnvelopeSender {
  fixmedinsCode: string;
  fixmedinsName: string;
  /** 就医地医保区划 */
  mdtrtareaAdmvs: string;
  recerSysCode: string;
  /** e.g. V1.0 */
  infver?: string;
  opterType?: (typeof OPTER_TYPES)[number];
  opter: string;
  opterName: string;
  devNo?: string;
  devSafeInfo?: string;
  signtype?: string;
}

export interface BuildEnvelopeParams {
  infno: string;
  input: Record<string, unknown>;
  msgid: string;
  /** The moment the message is sent; written as inf_time in China time. */
  now: Date;
  sender: EnvelopeSender;
  /** 参保地医保区划; required when the input carries a psn_no. */
  insuplcAdmdvs?: string;
  signNo?: string;
  /** Signature of the input, where the province signs (SM2/SM3). */
  cainfo?: string;
}

/** Builds a request envelope with every field present, as national clients send it ("" when absent). */
export function buildEnvelope(p: BuildEnvelopeParams): EnvelopeRequest {
  const s = p.sender;
  return {
    infno: p.infno,
    msgid: p.msgid,
    mdtrtarea_admvs: s.mdtrtareaAdmvs,
    insuplc_admdvs: p.insuplcAdmdvs ?? '',
    recer_sys_code: s.recerSysCode,
    dev_no: s.devNo ?? '',
    dev_safe_info: s.devSafeInfo ?? '',
    cainfo: p.cainfo ?? '',
    signtype: s.signtype ?? '',
    infver: s.infver ?? 'V1.0',
    opter_type: s.opterType ?? '1',
    opter: s.opter,
    opter_name: s.opterName,
    inf_time: formatInfTime(p.now),
    fixmedins_code: s.fixmedinsCode,
    fixmedins_name: s.fixmedinsName,
    sign_no: p.signNo ?? '',
    input: p.input,
  };
}

/**
 * The transactions the workstation uses (domain.md §5), each with the zod schema of its `input`
 * (strict: lengths and required flags of the national tables, so a bad field is caught at the desk)
 * and of its `output` (lenient: what a client needs, tolerating what real platforms add or omit).
 *
 * Lengths were checked against public copies of the national tables (人员信息获取 1101, 签到 9001,
 * 慢特病备案 2503, 文件上传下载 9101/9102 …). Where this module is stricter than the table, the
 * field says so.
 */
import { z } from 'zod';
import { optDate, optDateTime, optStr, present, reqCode, reqDate, reqNode, reqStr } from './fields';
import { DEFAULT_RECOGNITION_INFNO, recognitionInputSchema, recognitionOutputSchema } from './recognition';

const node = <K extends string, T extends z.ZodType>(name: K, schema: T) =>
  z.object({ [name]: schema } as { [P in K]: T }, {
    error: (iss) => (iss.input === undefined ? '必填' : '类型应为对象'),
  });

// ---------------------------------------------------------------- 9001 签到 / 9002 签退

export const signInInputSchema = node(
  'signIn',
  // mac is left out by clients on platforms that do not ask for it; the sandbox accepts that.
  reqNode({ opter_no: reqStr(20), mac: optStr(20), ip: reqStr(20) }),
);
export const signInOutputSchema = z.looseObject({
  signinoutb: z.looseObject({ sign_time: z.string(), sign_no: z.string().min(1).max(30) }),
});

export const signOutInputSchema = node(
  'signOut',
  // sign_no has no required flag in the table, but a sign-out without it means nothing.
  reqNode({ sign_no: reqStr(30), opter_no: reqStr(20) }),
);
export const signOutOutputSchema = z.looseObject({
  signoutoutb: z.looseObject({ sign_time: z.string() }),
});

// ---------------------------------------------------------------- 1101 人员信息获取

/** mdtrt_cert_type: 01 医保电子凭证 (ecToken), 02 居民身份证, 03 社会保障卡. */
export const MDTRT_CERT_TYPES = ['01', '02', '03'] as const;
/** psn_cert_type: 01 居民身份证 … 90 社会保障卡, 99 其他 (a different dictionary). */
export const PSN_CERT_ID_CARD = '01';

export const personInfoInputSchema = node(
  'data',
  reqNode({
    mdtrt_cert_type: reqCode(3, MDTRT_CERT_TYPES),
    /** 01: the 40-character ecToken; 02: the ID number; 03: the social-security card number. */
    mdtrt_cert_no: reqStr(50),
    card_sn: optStr(32),
    begntime: optDateTime(),
    psn_cert_type: optStr(6),
    certno: optStr(50),
    psn_name: optStr(50),
  }).superRefine((d, ctx) => {
    if (d.mdtrt_cert_type === '03' && !present(d.card_sn)) {
      ctx.addIssue({ code: 'custom', path: ['card_sn'], message: '就诊凭证类型为 03（社会保障卡）时必填' });
    }
  }),
);

const baseInfoSchema = z.looseObject({
  psn_no: z.string().min(1),
  psn_cert_type: z.string().nullish(),
  certno: z.string().nullish(),
  psn_name: z.string().nullish(),
  gend: z.string().nullish(),
  naty: z.string().nullish(),
  brdy: z.string().nullish(),
  age: z.union([z.number(), z.string()]).nullish(),
});
const insuInfoSchema = z.looseObject({
  insutype: z.string(),
  insuplc_admdvs: z.string().nullish(),
  psn_type: z.string().nullish(),
  psn_insu_stas: z.string().nullish(),
  psn_insu_date: z.string().nullish(),
  paus_insu_date: z.string().nullish(),
  cvlserv_flag: z.string().nullish(),
  emp_name: z.string().nullish(),
  balc: z.union([z.number(), z.string()]).nullish(),
});
export const personInfoOutputSchema = z.looseObject({
  baseinfo: baseInfoSchema,
  insuinfo: z.array(insuInfoSchema).default([]),
  idetinfo: z.array(z.looseObject({})).nullish(),
});

// ---------------------------------------------------------------- 2503 / 2504 / 5301 慢特病备案

/** insutype codes of the 险种类型 dictionary (310 职工, 390 城乡居民 …). */
export const INSUTYPES = ['310', '320', '330', '340', '390', '391', '392', '399'] as const;

export const filingDataSchema = reqNode({
  psn_no: reqStr(30),
  insutype: reqCode(6, INSUTYPES),
  opsp_dise_code: reqStr(30),
  opsp_dise_name: reqStr(300),
  tel: optStr(50),
  addr: optStr(200),
  /** 参保机构医保区划 */
  insu_optins: reqStr(6).regex(/^\d{6}$/, '应为 6 位数字区划代码'),
  ide_fixmedins_no: reqStr(30),
  ide_fixmedins_name: reqStr(200),
  hosp_ide_date: reqDate(),
  diag_dr_codg: reqStr(30),
  diag_dr_name: reqStr(50),
  begndate: reqDate(),
  enddate: optDate(),
}).superRefine((d, ctx) => {
  if (present(d.enddate) && d.enddate < d.begndate) {
    ctx.addIssue({ code: 'custom', path: ['enddate'], message: '不能早于开始日期 begndate' });
  }
});
export type FilingData = z.output<typeof filingDataSchema>;

export const filingInputSchema = node('data', filingDataSchema);
export const filingOutputSchema = z.looseObject({
  result: z.looseObject({ trt_dcla_detl_sn: z.string().min(1).max(30) }),
});

export const revocationInputSchema = node(
  'data',
  reqNode({
    trt_dcla_detl_sn: reqStr(30),
    psn_no: reqStr(30),
    // Optional in the national table; required here because a revocation needs a stated reason.
    memo: reqStr(500),
  }),
);
export const revocationOutputSchema = z.unknown();

export const filingQueryInputSchema = node('data', reqNode({ psn_no: reqStr(30) }));
export const filingRecordSchema = z.looseObject({
  opsp_dise_code: z.string(),
  opsp_dise_name: z.string().nullish(),
  begndate: z.string().nullish(),
  enddate: z.string().nullish(),
  /** Not in every province's 5301; the sandbox returns it. */
  trt_dcla_detl_sn: z.string().nullish(),
});
export type FilingRecord = z.output<typeof filingRecordSchema>;
export const filingQueryOutputSchema = z.looseObject({
  feedetail: z.array(filingRecordSchema).nullish().transform((v) => v ?? []),
});

// ---------------------------------------------------------------- 9101 / 9102 文件上传下载

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** File bytes as base64 text, or as an array of byte values (how Java clients serialise byte[]). */
export const fileBytesSchema = z.union(
  [
    z.string().refine((v) => v.length % 4 === 0 && BASE64.test(v), { message: '应为 base64 文本' }),
    z.array(z.number().int().min(-128).max(255)),
  ],
  { error: (iss) => (iss.input === undefined ? '必填' : '应为 base64 文本或字节数组') },
);

/** Size in bytes of a fileBytesSchema value without decoding it. */
export function fileBytesLength(value: string | readonly number[]): number {
  if (typeof value !== 'string') return value.length;
  const pad = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  return (value.length / 4) * 3 - pad;
}

/** 002: all uploads of one application together ≤ 15 MB; the sandbox's default per-file limit. */
export const DEFAULT_MAX_FILE_BYTES = 15 * 1024 * 1024;

export const fileUploadInputSchema = node(
  'fsUploadIn',
  reqNode({ in: fileBytesSchema, filename: reqStr(200), fixmedins_code: reqStr(30) }),
);
export const fileUploadOutputSchema = z.looseObject({
  file_qury_no: z.string().min(1).max(30),
  filename: z.string(),
  fixmedins_code: z.string().nullish(),
  dld_endtime: z.string().nullish(),
});

export const fileDownloadInputSchema = node(
  'fsDownloadIn',
  reqNode({ file_qury_no: reqStr(30), filename: reqStr(200), fixmedins_code: reqStr(30) }),
);

// ---------------------------------------------------------------- 1309 门慢门特病种目录下载

export const catalogueInputSchema = node('data', reqNode({ ver: reqStr(50) }));
export const catalogueOutputSchema = z.looseObject({
  file_qury_no: z.string().min(1).max(30),
  filename: z.string(),
  dld_endtime: z.string().nullish(),
  data_cnt: z.union([z.number(), z.string()]).nullish(),
  ver: z.string().nullish(),
});

// ---------------------------------------------------------------- the map

export const NATIONAL_INFNOS = ['9001', '9002', '1101', '2503', '2504', '5301', '9101', '9102', '1309'] as const;
export type NationalInfno = (typeof NATIONAL_INFNOS)[number];
export type TransactionKind = NationalInfno | 'recognition';

export interface TransactionSchema {
  kind: TransactionKind;
  name: string;
  input: z.ZodType;
  /** null for 9102, whose successful answer is the file's bytes, not an envelope. */
  output: z.ZodType | null;
  /** false only for 9001 (it is how a session starts). */
  requiresSignIn: boolean;
  /** The input carries a psn_no, so the envelope must carry insuplc_admdvs. */
  carriesPsnNo: boolean;
}

const t = (
  kind: TransactionKind,
  name: string,
  input: z.ZodType,
  output: z.ZodType | null,
  opts: { requiresSignIn?: boolean; carriesPsnNo?: boolean } = {},
): TransactionSchema => ({
  kind,
  name,
  input,
  output,
  requiresSignIn: opts.requiresSignIn ?? true,
  carriesPsnNo: opts.carriesPsnNo ?? false,
});

/** Every national transaction the workstation uses, by infno. */
export const transactionSchemas: Readonly<Record<NationalInfno, TransactionSchema>> = {
  '9001': t('9001', '签到', signInInputSchema, signInOutputSchema, { requiresSignIn: false }),
  '9002': t('9002', '签退', signOutInputSchema, signOutOutputSchema),
  '1101': t('1101', '人员信息获取', personInfoInputSchema, personInfoOutputSchema),
  '2503': t('2503', '人员慢特病备案', filingInputSchema, filingOutputSchema, { carriesPsnNo: true }),
  '2504': t('2504', '人员慢特病备案撤销', revocationInputSchema, revocationOutputSchema, { carriesPsnNo: true }),
  '5301': t('5301', '人员慢特病备案查询', filingQueryInputSchema, filingQueryOutputSchema, { carriesPsnNo: true }),
  '9101': t('9101', '文件上传', fileUploadInputSchema, fileUploadOutputSchema),
  '9102': t('9102', '文件下载', fileDownloadInputSchema, null),
  '1309': t('1309', '门慢门特病种目录下载', catalogueInputSchema, catalogueOutputSchema),
};

export const recognitionTransaction: TransactionSchema = t(
  'recognition',
  '检查检验结果互认记录上传（省级扩展）',
  recognitionInputSchema,
  recognitionOutputSchema,
  { carriesPsnNo: true },
);

export interface TransactionLookupOptions {
  /** The province's code for the recognition extension; defaults to DEFAULT_RECOGNITION_INFNO. */
  recognitionInfno?: string;
}

/** The schemas for an infno, the recognition extension included; null for an unsupported code. */
export function transactionFor(infno: string, options: TransactionLookupOptions = {}): TransactionSchema | null {
  if (infno === (options.recognitionInfno ?? DEFAULT_RECOGNITION_INFNO)) return recognitionTransaction;
  return Object.hasOwn(transactionSchemas, infno) ? transactionSchemas[infno as NationalInfno] : null;
}


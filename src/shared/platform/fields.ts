/**
 * Field builders for the national interface's tables: each field has a type (字符型, 日期型,
 * 日期时间型), a length and a required flag. Messages are Chinese and short, because
 * describeFieldIssues puts the field's path and name in front of them.
 *
 * Conventions of the interface that the builders encode:
 * - a required field must be a non-empty string (clients write "" for "absent");
 * - an optional field may be missing, null or "";
 * - lengths count characters.
 */
import { z } from 'zod';
import { isChinaDate, parseInfTime } from '../time';

const typeError = (expected: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? '必填' : `类型应为${expected}`;

const tooLong = (max: number) => `长度不能超过 ${max}`;

/** 字符型, required, at most `max` characters. */
export const reqStr = (max: number) => z.string({ error: typeError('字符串') }).min(1, '必填').max(max, tooLong(max));

/** 字符型, optional, at most `max` characters; missing, null and "" are all "absent". */
export const optStr = (max: number) => z.string({ error: typeError('字符串') }).max(max, tooLong(max)).nullish();

/** 字符型 of exactly `len` characters. */
export const exactStr = (len: number) =>
  z
    .string({ error: typeError('字符串') })
    .min(1, '必填')
    .length(len, `长度应为 ${len}`);

/** A code from a dictionary (代码标识 Y), e.g. insutype 310 / 390. */
export const reqCode = (max: number, values?: readonly string[]) => {
  const base = reqStr(max);
  return values ? base.refine((v) => values.includes(v), { message: `取值应为 ${values.join('/')} 之一` }) : base;
};

export const optCode = (max: number, values: readonly string[]) =>
  optStr(max).refine((v) => v == null || v === '' || values.includes(v), { message: `取值应为 ${values.join('/')} 之一` });

/** 日期型 `yyyy-MM-dd`, required. */
export const reqDate = () => reqStr(10).refine(isChinaDate, { message: '日期格式应为 yyyy-MM-dd' });

/** 日期型 `yyyy-MM-dd`, optional. */
export const optDate = () =>
  optStr(10).refine((v) => v == null || v === '' || isChinaDate(v), { message: '日期格式应为 yyyy-MM-dd' });

/** 日期时间型 `yyyy-MM-dd HH:mm:ss`, required. */
export const reqDateTime = () =>
  reqStr(19).refine((v) => parseInfTime(v) !== null, { message: '时间格式应为 yyyy-MM-dd HH:mm:ss' });

/** 日期时间型 `yyyy-MM-dd HH:mm:ss`, optional. */
export const optDateTime = () =>
  optStr(19).refine((v) => v == null || v === '' || parseInfTime(v) !== null, {
    message: '时间格式应为 yyyy-MM-dd HH:mm:ss',
  });

/** A node of the message (an object), required. */
export const reqNode = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape, { error: typeError('对象') });

/** True when an optional field carries a value. */
export const present = (v: string | null | undefined): v is string => v != null && v !== '';

/**
 * Free-text fields a clerk may write on several lines (a text area at the desk): line feeds and
 * carriage returns are allowed in them. Every other field is a single line.
 */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['memo', 'rept_rea_dscr']);

const CONTROL_NAMES: Readonly<Record<number, string>> = {
  0x00: '空字符',
  0x09: '制表符',
  0x0a: '换行符',
  0x0d: '回车符',
  0x7f: '删除符',
  0x85: '下一行符',
};

// Anything outside printable ASCII, U+00A0–U+D7FF and U+E000–U+FFFF: a control character or a
// surrogate (a pair is fine and is looked at one character at a time below).
const SUSPECT = /[^\u0020-\u007e\u00a0-\ud7ff\ue000-\uffff]/;

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why a text value cannot be sent to the platform, or null when it can: a control character
 * (U+0000–U+001F, U+007F, U+0080–U+009F; line breaks are allowed when `multiline`) or a lone
 * surrogate (not valid Unicode; it has no UTF-8 form). Names the first offending character and
 * its position, counted in characters as a clerk sees them.
 */
export function unsendableText(value: string, multiline = false): string | null {
  const found = SUSPECT.exec(value);
  if (!found) return null;
  for (let i = found.index; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    const at = () => `第 ${Array.from(value.slice(0, i)).length + 1} 个字符`;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      if (multiline && (code === 0x0a || code === 0x0d)) continue;
      const name = CONTROL_NAMES[code];
      return `含有平台无法接收的控制字符（${at()}，${hex(code)}${name ? ` ${name}` : ''}），请删除后再保存`;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = value.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i += 1; // a surrogate pair: one character outside the BMP (e.g. an emoji)
        continue;
      }
      return `含有无效的 Unicode 字符（${at()}，不成对的代理项 ${hex(code)}），请删除后重新输入`;
    }
  }
  return null;
}

/**
 * Chinese names of the fields, for error messages a clerk can read. Deliberately none of them
 * contains the phrases isSignInExpiredError looks for.
 */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  // envelope
  infno: '交易编号',
  msgid: '发送方报文ID',
  mdtrtarea_admvs: '就医地医保区划',
  insuplc_admdvs: '参保地医保区划',
  recer_sys_code: '接收方系统代码',
  dev_no: '设备编号',
  dev_safe_info: '设备安全信息',
  cainfo: '数字签名信息',
  signtype: '签名类型',
  infver: '接口版本号',
  opter_type: '经办人类别',
  opter: '经办人',
  opter_name: '经办人姓名',
  inf_time: '交易时间',
  fixmedins_code: '定点医药机构编号',
  fixmedins_name: '定点医药机构名称',
  sign_no: '签到编号',
  input: '交易输入',
  // 9001 / 9002
  signIn: '签到输入',
  signOut: '签退输入',
  opter_no: '操作员编号',
  mac: 'MAC地址',
  ip: 'IP地址',
  // 1101
  mdtrt_cert_type: '就诊凭证类型',
  mdtrt_cert_no: '就诊凭证编号',
  card_sn: '卡识别码',
  begntime: '开始时间',
  psn_cert_type: '人员证件类型',
  certno: '证件号码',
  psn_name: '人员姓名',
  // 2503 / 2504 / 5301
  data: '数据',
  psn_no: '人员编号',
  insutype: '险种类型',
  opsp_dise_code: '门慢门特病种目录代码',
  opsp_dise_name: '门慢门特病种名称',
  tel: '联系电话',
  addr: '联系地址',
  insu_optins: '参保机构医保区划',
  ide_fixmedins_no: '鉴定定点医药机构编号',
  ide_fixmedins_name: '鉴定定点医药机构名称',
  hosp_ide_date: '医院鉴定日期',
  diag_dr_codg: '诊断医师编码',
  diag_dr_name: '诊断医师姓名',
  begndate: '开始日期',
  enddate: '结束日期',
  trt_dcla_detl_sn: '待遇申报明细流水号',
  memo: '备注',
  // 9101 / 9102 / 1309
  fsUploadIn: '文件上传输入',
  fsDownloadIn: '文件下载输入',
  in: '文件数据',
  filename: '文件名',
  file_qury_no: '文件查询号',
  ver: '版本号',
  // recognition extension
  hosp_rcgn_id: '院内互认记录号',
  exam_type: '检查检验类别',
  exam_item_code: '检查检验项目代码',
  exam_item_name: '检查检验项目名称',
  src_fixmedins_code: '报告出具机构编号',
  src_fixmedins_name: '报告出具机构名称',
  rpt_no: '报告单号',
  rpt_date: '报告日期',
  hr_flag: '互认标识',
  hr_mark: '互认标识文字',
  rcgn_rslt: '互认结果',
  rept_rea_code: '重复检查理由代码',
  rept_rea_dscr: '重复检查理由说明',
  psn_infm_flag: '已告知患者标志',
  dr_codg: '医师编码',
  dr_name: '医师姓名',
  rcgn_time: '互认时间',
};

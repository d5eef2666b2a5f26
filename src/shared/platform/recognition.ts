/**
 * Provincial extension: reporting an exam-result mutual-recognition record (检查检验结果互认,
 * domain.md §4). The national interface has no transaction for it, so this is ours: same
 * envelope, its own `infno` (configurable per province, default HR01), input node `data`.
 *
 * A record is identified by the workstation's own id (`hosp_rcgn_id`). Sending the same record
 * again is answered with the first receipt (`dup_flag` "1"), so a resend after a lost response
 * is safe; the same id with different content is refused.
 */
import { z } from 'zod';
import { optStr, present, reqCode, reqDate, reqDateTime, reqNode, reqStr } from './fields';

/** Default transaction code of the extension. Letters keep it clear of every national code. */
export const DEFAULT_RECOGNITION_INFNO = 'HR01';

/** exam_type: 1 检查 (imaging, electrophysiology …), 2 检验 (laboratory). */
export const EXAM_TYPES = ['1', '2'] as const;
/** rcgn_rslt: 1 互认 (accepted), 2 重复检查 (repeated). */
export const RECOGNITION_RESULTS = ['1', '2'] as const;
export const FLAGS = ['0', '1'] as const;

export const recognitionDataSchema = reqNode({
  /** The workstation's id of this record, unique within the institution. */
  hosp_rcgn_id: reqStr(40),
  psn_no: reqStr(30),
  psn_name: optStr(50),
  /** The disease being certified, when the record belongs to a certification. */
  opsp_dise_code: optStr(30),
  exam_type: reqCode(3, EXAM_TYPES),
  exam_item_code: reqStr(50),
  exam_item_name: reqStr(200),
  /** The institution that issued the report. */
  src_fixmedins_code: reqStr(30),
  src_fixmedins_name: reqStr(200),
  rpt_no: optStr(50),
  rpt_date: reqDate(),
  /** 1 when the report carries the mutual-recognition mark. */
  hr_flag: reqCode(3, FLAGS),
  /** The mark as printed, e.g. HR or 晋HR. */
  hr_mark: optStr(20),
  rcgn_rslt: reqCode(3, RECOGNITION_RESULTS),
  /** Required when repeated; one of the region's reason codes (the policy pack's repeatReasons). */
  rept_rea_code: optStr(30),
  rept_rea_dscr: optStr(500),
  /** 1 when the patient was told why the exam is repeated. */
  psn_infm_flag: reqCode(3, FLAGS),
  dr_codg: reqStr(30),
  dr_name: reqStr(50),
  rcgn_time: reqDateTime(),
  memo: optStr(500),
}).superRefine((d, ctx) => {
  if (d.rcgn_rslt === '2') {
    if (!present(d.rept_rea_code)) {
      ctx.addIssue({ code: 'custom', path: ['rept_rea_code'], message: '重复检查时必填' });
    }
    // 国卫医发〔2022〕6号: the reason for a repeat is explained to the patient.
    if (d.psn_infm_flag !== '1') {
      ctx.addIssue({ code: 'custom', path: ['psn_infm_flag'], message: '重复检查须告知患者（应为 1）' });
    }
  }
  if (d.hr_flag === '1' && d.hr_mark != null && d.hr_mark !== '' && !d.hr_mark.includes('HR')) {
    ctx.addIssue({ code: 'custom', path: ['hr_mark'], message: '互认标识应含 HR' });
  }
});

export const recognitionInputSchema = z.object({ data: recognitionDataSchema }, { error: () => '交易输入应含 data 节点' });
export type RecognitionInput = z.output<typeof recognitionInputSchema>;

export const recognitionOutputSchema = z.looseObject({
  result: z.looseObject({
    /** The platform's serial number of the record. */
    rcgn_sn: z.string().min(1).max(30),
    hosp_rcgn_id: z.string(),
    /** "1" when the record was already on file and this is its first receipt again. */
    dup_flag: z.enum(FLAGS),
  }),
});
export type RecognitionOutput = z.output<typeof recognitionOutputSchema>;

import type { OutboxItem, OutboxMessage } from '../sync/outbox-item';

/** A filing as the 医保办 form holds it; turned into the frozen 2503 message when saved. */
export interface FilingDraft {
  psnNo: string;
  psnName: string;
  insutype: string;
  /** 参保地医保区划: the envelope's insuplc_admdvs and the filing's insu_optins. */
  insuplcAdmdvs: string;
  diseaseCode: string;
  diseaseName: string;
  /** yyyy-MM-dd */
  hospIdeDate: string;
  begndate: string;
  enddate?: string;
  physicianCode: string;
  physicianName: string;
  institutionCode: string;
  institutionName: string;
  tel?: string;
  addr?: string;
}

/** Which form field a 2503 input field comes from, so a field rule failure lands on the right input. */
export const DRAFT_FIELD_OF: Record<string, Exclude<keyof FilingDraft, 'diseaseName'>> = {
  psn_no: 'psnNo',
  insutype: 'insutype',
  opsp_dise_code: 'diseaseCode',
  opsp_dise_name: 'diseaseCode',
  tel: 'tel',
  addr: 'addr',
  insu_optins: 'insuplcAdmdvs',
  insuplc_admdvs: 'insuplcAdmdvs',
  ide_fixmedins_no: 'institutionCode',
  ide_fixmedins_name: 'institutionName',
  hosp_ide_date: 'hospIdeDate',
  diag_dr_codg: 'physicianCode',
  diag_dr_name: 'physicianName',
  begndate: 'begndate',
  enddate: 'enddate',
};

const optional = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);

export function filingMessage(d: FilingDraft): OutboxMessage {
  return {
    kind: 'filing',
    infno: '2503',
    lane: d.psnNo.trim(),
    insuplcAdmdvs: d.insuplcAdmdvs.trim(),
    input: {
      data: {
        psn_no: d.psnNo.trim(),
        insutype: d.insutype,
        opsp_dise_code: d.diseaseCode,
        opsp_dise_name: d.diseaseName,
        tel: optional(d.tel),
        addr: optional(d.addr),
        insu_optins: d.insuplcAdmdvs.trim(),
        ide_fixmedins_no: d.institutionCode.trim(),
        ide_fixmedins_name: d.institutionName.trim(),
        hosp_ide_date: d.hospIdeDate,
        diag_dr_codg: d.physicianCode.trim(),
        diag_dr_name: d.physicianName.trim(),
        begndate: d.begndate,
        enddate: optional(d.enddate),
      },
    },
  };
}

/** The draft a queued filing was made from: the starting point of a correction. */
export function draftOf(item: OutboxItem): FilingDraft {
  const d = (item.input['data'] ?? {}) as Record<string, string | undefined>;
  return {
    psnNo: d['psn_no'] ?? item.lane,
    psnName: item.meta.psnName ?? '',
    insutype: d['insutype'] ?? '',
    insuplcAdmdvs: item.insuplcAdmdvs ?? d['insu_optins'] ?? '',
    diseaseCode: d['opsp_dise_code'] ?? '',
    diseaseName: d['opsp_dise_name'] ?? '',
    hospIdeDate: d['hosp_ide_date'] ?? '',
    begndate: d['begndate'] ?? '',
    enddate: d['enddate'],
    physicianCode: d['diag_dr_codg'] ?? '',
    physicianName: d['diag_dr_name'] ?? '',
    institutionCode: d['ide_fixmedins_no'] ?? '',
    institutionName: d['ide_fixmedins_name'] ?? '',
    tel: d['tel'],
    addr: d['addr'],
  };
}

/** A 2504 for a filing whose trt_dcla_detl_sn is known (from our receipt or the platform's 5301). */
export function revocationMessage(target: { psnNo: string; insuplcAdmdvs: string; sn: string }, memo: string): OutboxMessage {
  return {
    kind: 'revocation',
    infno: '2504',
    lane: target.psnNo,
    insuplcAdmdvs: target.insuplcAdmdvs,
    input: { data: { trt_dcla_detl_sn: target.sn, psn_no: target.psnNo, memo: memo.trim() } },
  };
}

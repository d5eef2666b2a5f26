import { personInfoOutputSchema, validateInput } from '../../../../shared/platform';
import { platformClient } from '../../hospital/platform-link';
import { errorText } from '../../lib/ipc';

/** An insured person as 1101 answers, as far as filing needs. */
export interface InsuredPerson {
  psnNo: string;
  psnName: string;
  insutype: string;
  insuplcAdmdvs: string;
  /** For display only: never stored or logged in clear. */
  certnoMasked?: string;
}

/** How the clerk identifies the person (mdtrt_cert_type): 02 ID number, 01 医保电子凭证 (scanned ecToken). */
export type LookupBy = '02' | '01';

export const maskCertno = (certno: string): string => (certno.length > 10 ? `${certno.slice(0, 6)}********${certno.slice(-4)}` : certno);

/**
 * 1101 人员信息获取, asked by the hospital server (POST /platform/query): the desk never talks to
 * the platform. Throws an Error whose message a clerk can read, including when the server or the
 * platform cannot be reached (then the person can be entered by hand).
 */
export async function lookupPerson(by: LookupBy, certNo: string): Promise<InsuredPerson> {
  const input = { data: { mdtrt_cert_type: by, mdtrt_cert_no: certNo.trim() } };
  const checked = validateInput('1101', input);
  if (!checked.ok) throw new Error(checked.message);
  let answer;
  try {
    answer = await platformClient().platformQuery({ infno: '1101', input });
  } catch (e) {
    throw new Error(`无法查询参保人：${errorText(e)}。离线时可选“手工录入”。`, { cause: e });
  }
  if (answer.outcome === 'rejected') throw new Error(answer.errMsg);
  if (answer.outcome !== 'accepted') throw new Error(`平台暂时无法查询（${answer.message}）。离线时可选“手工录入”。`);
  const parsed = personInfoOutputSchema.safeParse(answer.output);
  if (!parsed.success) throw new Error('平台返回的参保人信息不完整');
  const { baseinfo, insuinfo } = parsed.data;
  // Prefer the insurance the person is currently paying into (psn_insu_stas 1 参保缴费).
  const insurance = insuinfo.find((i) => i.psn_insu_stas === '1') ?? insuinfo[0];
  if (!insurance?.insuplc_admdvs) throw new Error('平台没有返回该参保人的参保地');
  return {
    psnNo: baseinfo.psn_no,
    psnName: baseinfo.psn_name ?? '',
    insutype: insurance.insutype,
    insuplcAdmdvs: insurance.insuplc_admdvs,
    certnoMasked: baseinfo.certno ? maskCertno(baseinfo.certno) : undefined,
  };
}

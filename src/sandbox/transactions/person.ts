/**
 * 1101 人员信息获取: finds a person by e-voucher token (01), ID number (02) or social-security
 * card (03, with its chip id card_sn), and answers baseinfo / insuinfo / idetinfo.
 */
import { formatChinaDate, present } from '../../shared/platform/index';
import { PERSON_COLUMNS, Refusal, type PersonRow, type TxHandler } from '../context';
import { ageOn } from '../persons';
import { first, sql, trusted } from '../sql';

interface Input1101 {
  data: {
    mdtrt_cert_type: '01' | '02' | '03';
    mdtrt_cert_no: string;
    card_sn?: string | null;
    psn_name?: string | null;
    certno?: string | null;
  };
}

export const personInfo: TxHandler = async (ctx, req) => {
  const d = (req.input as unknown as Input1101).data;
  const certNo = d.mdtrt_cert_no.trim();
  const column = d.mdtrt_cert_type === '01' ? 'ec_token' : d.mdtrt_cert_type === '02' ? 'certno' : 'card_no';
  const value = d.mdtrt_cert_type === '02' ? certNo.toUpperCase() : certNo;
  const p = await first<PersonRow>(ctx.db, sql`select ${PERSON_COLUMNS} from persons where ${trusted(column)} = ${value}`);
  const what = { '01': '医保电子凭证', '02': '身份证号', '03': '社会保障卡号' }[d.mdtrt_cert_type];
  if (!p) throw new Refusal(`未查询到参保人员信息（${what}）`);
  if (d.mdtrt_cert_type === '03' && d.card_sn !== p.card_sn) throw new Refusal('社会保障卡卡识别码 card_sn 与卡号不符');
  if (present(d.psn_name) && d.psn_name !== p.psn_name) throw new Refusal('人员姓名与就诊凭证不符');
  if (present(d.certno) && d.certno.toUpperCase() !== p.certno) throw new Refusal('证件号码与就诊凭证不符');
  ctx.persons.set(p.psn_no, p);
  const today = formatChinaDate(ctx.now());
  return {
    output: {
      baseinfo: {
        psn_no: p.psn_no,
        psn_cert_type: '01',
        certno: p.certno,
        psn_name: p.psn_name,
        gend: p.gend,
        naty: p.naty,
        brdy: p.brdy,
        age: ageOn(p.brdy, today),
      },
      insuinfo: [
        {
          balc: p.insutype === '310' ? 1000 : 0,
          insutype: p.insutype,
          psn_type: p.psn_type,
          psn_insu_stas: '1',
          psn_insu_date: p.psn_insu_date,
          paus_insu_date: null,
          cvlserv_flag: '0',
          insuplc_admdvs: p.insuplc_admdvs,
          emp_name: p.emp_name,
        },
      ],
      idetinfo: [],
    },
  };
};

/**
 * 2503 备案 / 2504 撤销 / 5301 查询 with the platform-side rules (architecture.md §7):
 *
 * - 2503 is refused for an unknown person, a disease code outside the catalogue, an insurance
 *   type or insurance region that is not the person's, a disease the person already holds in an
 *   overlapping period (a resend included: there is no msgid deduplication), and a disease
 *   mutually exclusive with one held (the pack's exclusions). Check and insert run in one
 *   transaction, so concurrent filings cannot both pass.
 * - 2504 is refused for an unknown filing, another person's, another institution's, or one that
 *   is no longer active. A revoked disease can be filed again.
 * - 5301 lists the person's active filings, with trt_dcla_detl_sn as an extra field.
 *
 * "Held" means an active (not revoked) filing whose period [begndate, enddate] overlaps the new
 * one; an open enddate runs forever. So a re-review filing that starts after the old one ends is
 * accepted, and a resend of the same filing is not.
 */
import { formatInfTime, type FilingData } from '../../shared/platform/index';
import { checkExclusions, findDisease } from '../../shared/policy/index';
import { findPerson, platformSerial, Refusal, type TxHandler } from '../context';

interface ActiveRow {
  trt_dcla_detl_sn: string;
  opsp_dise_code: string;
  opsp_dise_name: string;
  begndate: string;
  enddate: string | null;
}

const overlaps = (a: { begndate: string; enddate?: string | null }, b: { begndate: string; enddate?: string | null }) =>
  a.begndate <= (b.enddate || '9999-12-31') && b.begndate <= (a.enddate || '9999-12-31');

export const file2503: TxHandler = async (ctx, req) => {
  const d = (req.input as { data: FilingData }).data;
  const person = await findPerson(ctx, d.psn_no);
  if (!person) throw new Refusal(`参保人不存在：psn_no=${d.psn_no}`);
  const disease = findDisease(ctx.pack, d.opsp_dise_code);
  if (!disease) throw new Refusal(`门慢门特病种目录代码 ${d.opsp_dise_code} 不在本地区病种目录（版本 ${ctx.pack.version}）中`);
  if (d.insutype !== person.insutype) throw new Refusal(`险种类型 ${d.insutype} 与参保人参保险种 ${person.insutype} 不符`);
  if (d.insu_optins !== person.insuplc_admdvs) {
    throw new Refusal(`参保机构医保区划 insu_optins=${d.insu_optins} 与参保人参保地 ${person.insuplc_admdvs} 不符`);
  }
  const sn = await ctx.db.transaction(async (tx) => {
    const held = (
      await tx.query<ActiveRow>(
        `select trt_dcla_detl_sn, opsp_dise_code, opsp_dise_name, begndate, enddate from filings where psn_no = $1 and status = 'active'`,
        [d.psn_no],
      )
    ).rows.filter((r) => overlaps(r, d));
    const same = held.find((r) => r.opsp_dise_code === d.opsp_dise_code);
    if (same) {
      throw new Refusal(
        `重复备案：该参保人已备案 ${same.opsp_dise_name}（${same.opsp_dise_code}），备案流水号 ${same.trt_dcla_detl_sn}，开始日期 ${same.begndate}`,
      );
    }
    const conflicts = checkExclusions(ctx.pack, held.map((r) => r.opsp_dise_code), d.opsp_dise_code);
    if (conflicts.length > 0) {
      const c = conflicts[0]!;
      const heldText = `已备案 ${c.held.name}（${c.held.code}）`;
      // The platform cannot see a reviewer's waiver, so an exception (e.g. transplant relapse) is only mentioned.
      const hint = c.exception ? `；如属“${c.exception.label}”，请由经办机构办理` : '';
      throw new Refusal(`互斥病种：${c.message}，${heldText}${hint}`);
    }
    const serial = await platformSerial(ctx, tx);
    await tx.query(
      `insert into filings (trt_dcla_detl_sn, psn_no, insutype, opsp_dise_code, opsp_dise_name, tel, addr, insu_optins,
         ide_fixmedins_no, ide_fixmedins_name, hosp_ide_date, diag_dr_codg, diag_dr_name, begndate, enddate, status,
         fixmedins_code, opter, msgid, filed_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'active', $16, $17, $18, $19)`,
      [
        serial, d.psn_no, d.insutype, d.opsp_dise_code, d.opsp_dise_name, d.tel || null, d.addr || null, d.insu_optins,
        d.ide_fixmedins_no, d.ide_fixmedins_name, d.hosp_ide_date, d.diag_dr_codg, d.diag_dr_name, d.begndate,
        d.enddate || null, req.envelope.fixmedins_code, req.envelope.opter, req.envelope.msgid, ctx.now(),
      ],
    );
    return serial;
  });
  return { output: { result: { trt_dcla_detl_sn: sn } } };
};

interface FilingRow {
  psn_no: string;
  status: string;
  fixmedins_code: string;
  opsp_dise_name: string;
  revoked_at: Date | null;
}

export const revoke2504: TxHandler = async (ctx, req) => {
  const d = (req.input as { data: { trt_dcla_detl_sn: string; psn_no: string; memo: string } }).data;
  await ctx.db.transaction(async (tx) => {
    const row = (
      await tx.query<FilingRow>(
        'select psn_no, status, fixmedins_code, opsp_dise_name, revoked_at from filings where trt_dcla_detl_sn = $1',
        [d.trt_dcla_detl_sn],
      )
    ).rows[0];
    if (!row) throw new Refusal(`备案记录不存在：trt_dcla_detl_sn=${d.trt_dcla_detl_sn}`);
    if (row.psn_no !== d.psn_no) throw new Refusal('人员编号 psn_no 与备案记录不符');
    if (row.fixmedins_code !== req.envelope.fixmedins_code) throw new Refusal('只能撤销本机构办理的备案');
    if (row.status !== 'active') {
      const when = row.revoked_at ? `（撤销时间 ${formatInfTime(row.revoked_at)}）` : '';
      throw new Refusal(`该备案不是有效状态，已撤销${when}，不能再次撤销`);
    }
    await tx.query(
      `update filings set status = 'revoked', revoked_at = $2, revoke_msgid = $3, revoke_memo = $4, revoke_opter = $5
       where trt_dcla_detl_sn = $1`,
      [d.trt_dcla_detl_sn, ctx.now(), req.envelope.msgid, d.memo, req.envelope.opter],
    );
  });
  return { output: {} };
};

export const query5301: TxHandler = async (ctx, req) => {
  const { psn_no } = (req.input as { data: { psn_no: string } }).data;
  const rows = (
    await ctx.db.query<ActiveRow>(
      `select trt_dcla_detl_sn, opsp_dise_code, opsp_dise_name, begndate, enddate from filings
       where psn_no = $1 and status = 'active' order by filed_at, trt_dcla_detl_sn`,
      [psn_no],
    )
  ).rows;
  return {
    output: {
      feedetail: rows.map((r) => ({
        opsp_dise_code: r.opsp_dise_code,
        opsp_dise_name: r.opsp_dise_name,
        begndate: r.begndate,
        enddate: r.enddate ?? '',
        trt_dcla_detl_sn: r.trt_dcla_detl_sn,
      })),
    },
  };
};

/**
 * 2503 备案 / 2504 撤销 / 5301 查询 with the platform-side rules (architecture.md §7):
 *
 * - 2503 is refused for an unknown person, a disease code outside the catalogue, an insurance
 *   type or insurance region that is not the person's, a disease the person already holds in an
 *   overlapping period (a resend included: there is no msgid deduplication), and a disease
 *   mutually exclusive with one held (the pack's exclusions). Check and insert are one
 *   statement, so concurrent filings cannot both pass.
 * - 2504 is refused for an unknown filing, another person's, another institution's, one that
 *   is no longer active, and one the insurance centre has already reviewed (a Hunan platform's
 *   rule: 已经在医保中心审核，医院无法撤销; the sandbox marks a filing reviewed through
 *   POST /sandbox/filings/review). A revoked disease can be filed again.
 * - 5301 lists the person's active filings, with trt_dcla_detl_sn as an extra field.
 *
 * "Held" means an active (not revoked) filing whose period [begndate, enddate] overlaps the new
 * one; an open enddate runs forever. So a re-review filing that starts after the old one ends is
 * accepted, and a resend of the same filing is not.
 */
import { formatInfTime, present, type FilingData } from '../../shared/platform/index';
import { checkExclusions, findDisease, type PolicyPack } from '../../shared/policy/index';
import { findPerson, platformSerialSql, Refusal, type TxHandler } from '../context';
import { first, rows, sql } from '../sql';

interface HeldRow {
  trt_dcla_detl_sn: string;
  opsp_dise_code: string;
  opsp_dise_name: string;
  begndate: string;
}

const OPEN_END = '9999-12-31';
/** What a platform that writes a date for "no end" answers (seen in a platform sample). */
const FAR_FUTURE_ENDDATE = '2120-11-01';
const blockersCache = new WeakMap<PolicyPack, Map<string, string[]>>();

/** The code itself and every catalogue code the pack makes mutually exclusive with it. */
function blockingCodes(pack: PolicyPack, code: string): string[] {
  let byCode = blockersCache.get(pack);
  if (!byCode) blockersCache.set(pack, (byCode = new Map()));
  let codes = byCode.get(code);
  if (!codes) {
    const all = pack.diseases.flatMap((d) => [d.code, ...d.variants.map((v) => v.code)]);
    codes = [code, ...all.filter((c) => c !== code && checkExclusions(pack, [c], code).length > 0)];
    byCode.set(code, codes);
  }
  return codes;
}

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
  const enddate = present(d.enddate) ? d.enddate : null;
  const env = req.envelope;
  // One statement: find what blocks the filing and insert only when nothing does. PGlite runs
  // one statement at a time, so no other filing can slip in between the check and the insert.
  const r = await first<{ sn: string | null; held: HeldRow[] }>(
    ctx.db,
    sql`with held as (
          select trt_dcla_detl_sn, opsp_dise_code, opsp_dise_name, begndate from filings
          where psn_no = ${d.psn_no} and status = 'active' and opsp_dise_code in ${blockingCodes(ctx.pack, d.opsp_dise_code)}
            and begndate <= ${enddate ?? OPEN_END} and coalesce(enddate, ${OPEN_END}) >= ${d.begndate}
        ), ins as (
          insert into filings (trt_dcla_detl_sn, psn_no, insutype, opsp_dise_code, opsp_dise_name, tel, addr, insu_optins,
            ide_fixmedins_no, ide_fixmedins_name, hosp_ide_date, diag_dr_codg, diag_dr_name, begndate, enddate, status,
            fixmedins_code, opter, msgid, filed_at)
          select ${platformSerialSql(ctx)}, ${d.psn_no}, ${d.insutype}, ${d.opsp_dise_code}, ${d.opsp_dise_name},
            ${d.tel || null}, ${d.addr || null}, ${d.insu_optins}, ${d.ide_fixmedins_no}, ${d.ide_fixmedins_name},
            ${d.hosp_ide_date}, ${d.diag_dr_codg}, ${d.diag_dr_name}, ${d.begndate}, ${enddate}, 'active',
            ${env.fixmedins_code}, ${env.opter}, ${env.msgid}, ${ctx.now()}
          where not exists (select 1 from held)
          returning trt_dcla_detl_sn
        )
        select (select trt_dcla_detl_sn from ins) as sn,
               coalesce((select json_agg(held order by begndate) from held), '[]'::json) as held`,
  );
  if (r?.sn) return { output: { result: { trt_dcla_detl_sn: r.sn } } };
  const held = r?.held ?? [];
  const same = held.find((h) => h.opsp_dise_code === d.opsp_dise_code);
  if (same) {
    throw new Refusal(
      `重复备案：该参保人已备案 ${same.opsp_dise_name}（${same.opsp_dise_code}），备案流水号 ${same.trt_dcla_detl_sn}，开始日期 ${same.begndate}`,
    );
  }
  const c = checkExclusions(ctx.pack, held.map((h) => h.opsp_dise_code), d.opsp_dise_code)[0];
  if (!c) throw new Error(`2503 refused without a reason (held: ${held.map((h) => h.opsp_dise_code).join(',')})`);
  // The platform cannot see a reviewer's waiver, so an exception (e.g. transplant relapse) is only mentioned.
  const hint = c.exception ? `；如属“${c.exception.label}”，请由经办机构办理` : '';
  throw new Refusal(`互斥病种：${c.message}，已备案 ${c.held.name}（${c.held.code}）${hint}`);
};

/** The refusal of a revocation the insurance centre has reviewed; the workstation recognises it (shared/platform/errors.ts). */
export const REVIEWED_REFUSAL = '该备案已经在医保中心审核，医院无法撤销';

interface RevokeRow {
  psn_no: string;
  status: string;
  fixmedins_code: string;
  revoked_at: Date | null;
  reviewed_at: Date | null;
  updated: number;
}

export const revoke2504: TxHandler = async (ctx, req) => {
  const d = (req.input as { data: { trt_dcla_detl_sn: string; psn_no: string; memo: string } }).data;
  const env = req.envelope;
  const row = await first<RevokeRow>(
    ctx.db,
    sql`with f as (
          select psn_no, status, fixmedins_code, revoked_at, reviewed_at from filings where trt_dcla_detl_sn = ${d.trt_dcla_detl_sn}
        ), upd as (
          update filings set status = 'revoked', revoked_at = ${ctx.now()}, revoke_msgid = ${env.msgid},
            revoke_memo = ${d.memo}, revoke_opter = ${env.opter}
          where trt_dcla_detl_sn = ${d.trt_dcla_detl_sn} and psn_no = ${d.psn_no}
            and fixmedins_code = ${env.fixmedins_code} and status = 'active' and reviewed_at is null
          returning 1
        )
        select f.*, (select count(*)::int from upd) as updated from f`,
  );
  if (!row) throw new Refusal(`备案记录不存在：trt_dcla_detl_sn=${d.trt_dcla_detl_sn}`);
  if (row.updated === 1) return { output: {} };
  if (row.psn_no !== d.psn_no) throw new Refusal('人员编号 psn_no 与备案记录不符');
  if (row.fixmedins_code !== env.fixmedins_code) throw new Refusal('只能撤销本机构办理的备案');
  if (row.status === 'active' && row.reviewed_at) {
    throw new Refusal(`${REVIEWED_REFUSAL}（审核时间 ${formatInfTime(row.reviewed_at)}）；如需撤销，请联系参保地医保经办机构办理`);
  }
  const when = row.revoked_at ? `（撤销时间 ${formatInfTime(row.revoked_at)}）` : '';
  throw new Refusal(`该备案不是有效状态，已撤销${when}，不能再次撤销`);
};

interface ActiveRow {
  trt_dcla_detl_sn: string;
  opsp_dise_code: string;
  opsp_dise_name: string;
  begndate: string;
  enddate: string | null;
}

export const query5301: TxHandler = async (ctx, req) => {
  const { psn_no } = (req.input as { data: { psn_no: string } }).data;
  const active = await rows<ActiveRow>(
    ctx.db,
    sql`select trt_dcla_detl_sn, opsp_dise_code, opsp_dise_name, begndate, enddate from filings
        where psn_no = ${psn_no} and status = 'active' order by filed_at, trt_dcla_detl_sn`,
  );
  return {
    output: {
      feedetail: active.map((r) => ({
        opsp_dise_code: r.opsp_dise_code,
        opsp_dise_name: r.opsp_dise_name,
        begndate: r.begndate,
        // Open-ended: "" on most platforms, a far-future date on some (the dialect's answer.openEnddate).
        enddate: r.enddate ?? (ctx.settings.dialect.answer.openEnddate === 'far-future' ? FAR_FUTURE_ENDDATE : ''),
        trt_dcla_detl_sn: r.trt_dcla_detl_sn,
      })),
    },
  };
};

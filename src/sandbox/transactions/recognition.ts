/**
 * The recognition extension (shared/platform/recognition.ts): one exam-result mutual-recognition
 * record per call, idempotent on (institution, hosp_rcgn_id). A repeat reason must be one of the
 * pack's recognition.repeatReasons codes.
 */
import { createHash } from 'node:crypto';
import { present, type RecognitionInput } from '../../shared/platform/index';
import { findPerson, platformSerialSql, Refusal, type TxHandler } from '../context';
import { first, sql } from '../sql';

/** A stable hash of the record's content: keys sorted, absent and "" alike. */
function contentHash(data: Record<string, unknown>): string {
  const entries = Object.keys(data)
    .sort()
    .map((k) => [k, data[k] === '' || data[k] === undefined ? null : data[k]]);
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}

export const recognition: TxHandler = async (ctx, req) => {
  const d = (req.input as unknown as RecognitionInput).data;
  if (!(await findPerson(ctx, d.psn_no))) throw new Refusal(`参保人不存在：psn_no=${d.psn_no}`);
  if (present(d.rept_rea_code)) {
    const codes = ctx.pack.recognition.repeatReasons.map((r) => r.code);
    if (!codes.includes(d.rept_rea_code)) {
      throw new Refusal(`重复检查理由代码 ${d.rept_rea_code} 不在本地区目录中（可用：${codes.join('、')}）`);
    }
  }
  const hash = contentHash(d);
  const fixmedinsCode = req.envelope.fixmedins_code;
  // One statement: answer the existing receipt, or insert when there is none.
  const r = await first<{ new_sn: string | null; old_sn: string | null; old_hash: string | null }>(
    ctx.db,
    sql`with existing as (
          select rcgn_sn, content_hash from recognitions
          where fixmedins_code = ${fixmedinsCode} and hosp_rcgn_id = ${d.hosp_rcgn_id}
        ), ins as (
          insert into recognitions (rcgn_sn, fixmedins_code, hosp_rcgn_id, psn_no, content_hash, data, msgid, received_at)
          select ${platformSerialSql(ctx)}, ${fixmedinsCode}, ${d.hosp_rcgn_id}, ${d.psn_no}, ${hash},
            ${JSON.stringify(d)}::jsonb, ${req.envelope.msgid}, ${ctx.now()}
          where not exists (select 1 from existing)
          returning rcgn_sn
        )
        select (select rcgn_sn from ins) as new_sn, (select rcgn_sn from existing) as old_sn,
               (select content_hash from existing) as old_hash`,
  );
  if (r?.new_sn) return receipt(r.new_sn, d.hosp_rcgn_id, '0');
  if (r?.old_sn && r.old_hash === hash) return receipt(r.old_sn, d.hosp_rcgn_id, '1');
  throw new Refusal(`院内互认记录号 ${d.hosp_rcgn_id} 已登记（${r?.old_sn ?? ''}），内容与本次不同`);
};

const receipt = (rcgnSn: string, hospRcgnId: string, dupFlag: '0' | '1') => ({
  output: { result: { rcgn_sn: rcgnSn, hosp_rcgn_id: hospRcgnId, dup_flag: dupFlag } },
});
